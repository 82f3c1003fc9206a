import { describe, expect, it } from 'vitest';
import { SUITES } from '../cli/main.js';
import { optionKey, parseOptions } from '../core/suite-options.js';

describe('every suite', () => {
  it.each(SUITES.map((suite) => [suite.name, suite] as const))('%s: each declared flag has exactly one parser, and the defaults parse', (_, suite) => {
    const declared = suite.options.map((option) => optionKey(option.flags)).sort();
    const parsed = Object.keys(parseOptions(suite.optionsSchema, {}) as Record<string, unknown>).sort();
    expect(parsed).toEqual(declared);
  });
});
