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
  it('reads units', () => {
    expect(parseSizeList('4096, 1KiB,128k,1kb,8MiB', '--sizes')).toEqual([4096, 1024, 128 * 1024, 1000, 8 * 1024 ** 2]);
  });

  it.each([
    ['lots', /--size: not a size: "lots"/],
    ['0', /--size: size must be positive/],
    ['2GiB', /--size: "2GiB" is larger than the maximum payload size, 1 GiB/],
  ])('refuses %s', (raw, message) => {
    expect(() => parseSize(raw, '--size')).toThrow(message);
  });
});
