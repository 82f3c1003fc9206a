import { z } from 'zod';
import { InputError, isInputError } from './errors.js';
import { isAbsent, optionalWholeNumber } from './parse.js';
import type { Suite, SuiteRun } from './suite.js';

/**
 * A suite's options, declared once as a zod object schema whose fields read the raw values the command line
 * (or `gate`'s defaults) hands over. Each field wraps one of core's parsers, so a bad value has the same
 * one-line message, naming its flag, whichever command it came through; core parses the whole object once,
 * before any suite starts, and the suite receives it typed.
 */
export type OptionParser<T> = (value: unknown, flag: string) => T;

/** `crashTrials` → `--crash-trials`: the flag a field's key came from. */
export function flagOf(key: string): string {
  return `--${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

/** `--crash-trials <n>` → `crashTrials`: the key commander stores a declared flag under. */
export function optionKey(flags: string): string {
  const long = /--([a-z0-9-]+)/.exec(flags)?.[1];
  if (!long) throw new Error(`suite option without a long flag: ${flags}`);
  return long.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/** The object schema of a suite's options from one parser per field. */
export function suiteOptionsSchema<Shape extends Record<string, OptionParser<unknown>>>(
  parsers: Shape,
): z.ZodType<{ [Key in keyof Shape]: ReturnType<Shape[Key]> }> {
  const fields: Record<string, z.ZodType> = {};
  for (const [key, parse] of Object.entries(parsers)) {
    fields[key] = z.unknown().transform((value, ctx) => {
      try {
        return parse(value, flagOf(key));
      } catch (error) {
        if (!isInputError(error)) throw error;
        ctx.addIssue({ code: 'custom', message: error.message });
        return z.NEVER;
      }
    });
  }
  // Every field is read, given or not (an absent flag has its own meaning: a default, or off).
  const every = (raw: unknown) => ({
    ...Object.fromEntries(Object.keys(fields).map((key) => [key, undefined])),
    ...(raw as object),
  });
  return z.preprocess(every, z.object(fields)) as unknown as z.ZodType<{
    [Key in keyof Shape]: ReturnType<Shape[Key]>;
  }>;
}

/** Parses a suite's raw options once; the first bad one is a one-line InputError naming its flag. */
export function parseOptions<O>(schema: z.ZodType<O>, raw: Record<string, unknown>): O {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const key = issue?.path[0];
  const message = issue?.message ?? 'invalid';
  throw new InputError(message.startsWith('--') || key === undefined ? message : `${flagOf(String(key))}: ${message}`);
}

/** Field parsers the suites share. */
export const optionParsers = {
  /** A whole number from `min` to `max` (default MAX_COUNT), or undefined when not given. */
  count:
    (min: number, max?: number): OptionParser<number | undefined> =>
    (value, flag) =>
      optionalWholeNumber(value, flag, min, max),
  /** Free text, or undefined when not given. */
  text: (): OptionParser<string | undefined> => (value) => (isAbsent(value) ? undefined : String(value)),
  /** Text where an empty value is a value (a selection that selects nothing), undefined only when not given. */
  textKeepEmpty: (): OptionParser<string | undefined> => (value) =>
    value === undefined || value === null ? undefined : String(value),
  /** A switch: on only when given. */
  switch: (): OptionParser<boolean> => (value) => value === true,
} as const;

/** A suite with its raw command-line values parsed into its typed options. */
export function suiteRun<Options>(suite: Suite<Options>, raw: Record<string, unknown>): SuiteRun<Options> {
  return { suite, options: parseOptions(suite.optionsSchema, raw) };
}
