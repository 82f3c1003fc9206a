import { describe, expect, it } from 'vitest';
import { InputError } from './errors.js';
import { flagOf, optionKey, optionParsers, parseOptions, suiteOptionsSchema } from './suite-options.js';

describe('suite options', () => {
  const schema = suiteOptionsSchema({
    crashTrials: optionParsers.count(1),
    label: optionParsers.text(),
    quiet: optionParsers.switch(),
  });

  it('maps a key to its flag and a flag to its key', () => {
    expect(flagOf('crashTrials')).toBe('--crash-trials');
    expect(optionKey('--crash-trials <n>')).toBe('crashTrials');
    expect(optionKey('--readiness')).toBe('readiness');
  });

  it('parses raw command-line values into typed options, absent ones as undefined or off', () => {
    expect(parseOptions(schema, { crashTrials: ' 3 ', label: 'x', quiet: true })).toEqual({
      crashTrials: 3,
      label: 'x',
      quiet: true,
    });
    expect(parseOptions(schema, {})).toEqual({ crashTrials: undefined, label: undefined, quiet: false });
  });

  it('refuses a bad value with one line that names its flag', () => {
    expect(() => parseOptions(schema, { crashTrials: '0' })).toThrow(InputError);
    expect(() => parseOptions(schema, { crashTrials: 'two' })).toThrow(
      /^--crash-trials: expected a whole number >= 1, got "two"$/,
    );
  });
});
