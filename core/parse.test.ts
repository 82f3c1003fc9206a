import { describe, expect, it } from 'vitest';
import { optionalWholeNumber, parseNonNegativeInt, parsePositiveInt, parseSize, parseSizeList } from './parse.js';

describe('whole-number flags', () => {
  it('takes digits, with surrounding space', () => {
    expect(parsePositiveInt(' 12 ', '--n')).toBe(12);
    expect(parseNonNegativeInt('0', '--n')).toBe(0);
  });

  it.each([
    [() => parsePositiveInt('0', '--crash-jobs'), /^--crash-jobs: expected a whole number >= 1, got "0"$/],
    [() => parsePositiveInt('1.5', '--n'), /--n: expected a whole number >= 1/],
    [() => parseNonNegativeInt('-1', '--seed'), /^--seed: expected a whole number >= 0, got "-1"$/],
    [() => parseNonNegativeInt('x', '--rounds'), /--rounds: expected a whole number/],
  ])('refuses %#', (parse, message) => {
    expect(parse).toThrow(message);
  });

  it('an absent option is undefined', () => {
    for (const absent of [undefined, null, '']) expect(optionalWholeNumber(absent, '--n', 1)).toBeUndefined();
    expect(optionalWholeNumber('3', '--n', 1)).toBe(3);
  });
});

describe('sizes', () => {
  it('reads KiB/MiB/GiB as 1024-based and KB/MB/GB as 1000-based, in any case', () => {
    expect(parseSizeList('4096, 1KiB,128kib,1KB,1kb,8MiB,2MB,1GiB,1GB,10B', '--sizes')).toEqual([
      4096,
      1024,
      128 * 1024,
      1000,
      1000,
      8 * 1024 ** 2,
      2 * 1000 ** 2,
      1024 ** 3,
      1000 ** 3,
      10,
    ]);
  });

  it.each([
    ['128k', '--sizes: "128k" is ambiguous: write 128KiB (128 × 1024) or 128KB (128 × 1000)'],
    ['8M', '--sizes: "8M" is ambiguous: write 8MiB (8 × 1024) or 8MB (8 × 1000)'],
    [' 1g', '--sizes: "1g" is ambiguous: write 1GiB (1 × 1024) or 1GB (1 × 1000)'],
  ])('refuses the bare unit in %s and says what to write instead', (raw, message) => {
    expect(() => parseSizeList(raw, '--sizes')).toThrow(message);
  });

  it.each([
    ['lots', /--size: not a size: "lots"/],
    ['0', /--size: size must be positive/],
    ['2GiB', /--size: "2GiB" is larger than the maximum payload size, 1 GiB/],
  ])('refuses %s', (raw, message) => {
    expect(() => parseSize(raw, '--size')).toThrow(message);
  });
});
