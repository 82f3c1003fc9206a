import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { InputError } from './errors.js';
import { readInputText } from './input-file.js';
import { FRESH_FILE_SYSTEMS } from './schema.js';

/**
 * The largest payload size a run accepts: every payload is built in memory (and crash keeps old and
 * new content side by side), so a size past this would fail deep in a run instead of up front.
 */
export const MAX_PAYLOAD_BYTES = 1024 ** 3;
export const MAX_PAYLOAD_TEXT = '1 GiB';

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** Names an object already answers to: read back from a plain object they would be its methods, not a writer. */
const RESERVED_NAMES: ReadonlySet<string> = new Set([
  'constructor',
  'prototype',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  'toString',
  'valueOf',
]);

/** Why `name` cannot name a writer, wrapper or hook, or undefined when it can. */
export function nameProblem(name: string): string | undefined {
  if (!NAME_PATTERN.test(name)) return 'names use letters, digits, . _ - and start with a letter or digit';
  if (RESERVED_NAMES.has(name)) return `${name} is reserved`;
  return undefined;
}

const nameSchema = z.string().superRefine((name, ctx) => {
  const problem = nameProblem(name);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** What the writer reports as its version in the environment record (else `<binary> --version` is asked). */
const writerVersionSchema = z.string().min(1).optional();

const writerSchema = z.union([
  z.strictObject({
    command: z.string().min(1),
    noop: z.string().min(1).optional(),
    /** The batch form: one process writes many files, `{pairs}` expanding to each source and target. */
    batch: z.string().min(1).optional(),
    version: writerVersionSchema,
  }),
  z.strictObject({ driver: z.string().min(1), version: writerVersionSchema }),
]);

/**
 * Opt-in env sets: set name → variables. Names are checked here rather than as record keys so the
 * message says what is wrong (zod's record key error only says "invalid key"). `default` is the set
 * with no variable, so it cannot be defined.
 */
const hookEnvsSchema = z.record(z.string(), z.record(z.string(), z.string())).superRefine((sets, ctx) => {
  for (const [set, vars] of Object.entries(sets)) {
    if (set === 'default')
      ctx.addIssue({
        code: 'custom',
        path: [set],
        message: 'the env set "default" is the one with no opt-in variable; choose another name',
      });
    else if (!nameSchema.safeParse(set).success)
      ctx.addIssue({ code: 'custom', path: [set], message: 'env set names use letters, digits, . _ -' });
    for (const name of Object.keys(vars)) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || name === '__proto__')
        ctx.addIssue({
          code: 'custom',
          path: [set, name],
          message: 'variable names use letters, digits and _, not starting with a digit',
        });
    }
  }
});

/** `writegate.config.json`: everything a flag can say, for a repository to keep. */
export const configSchema = z.strictObject({
  /** Where an editor finds this file's JSON Schema (`writegate schema config`); not read otherwise. */
  $schema: z.string().optional(),
  writers: z.record(nameSchema, writerSchema).optional(),
  builtins: z.array(z.string()).optional(),
  wrappers: z.record(nameSchema, z.string().min(1)).optional(),
  /** PreToolUse hooks under test (the hook suite): name → command template. */
  hooks: z.record(nameSchema, z.string().min(1)).optional(),
  /** Opt-in environments each hook also runs in: set name → variables. */
  hookEnvs: hookEnvsSchema.optional(),
  git: z.string().min(1).optional(),
  sizes: z
    .array(
      z
        .number()
        .int()
        .positive()
        .max(MAX_PAYLOAD_BYTES, `payload sizes are at most ${MAX_PAYLOAD_TEXT} (${MAX_PAYLOAD_BYTES} bytes)`),
    )
    .min(1)
    .optional(),
  /** File systems made fresh for bench and crash, one pass each (root: loop devices, mkfs, mount). */
  fs: z
    .array(z.enum(FRESH_FILE_SYSTEMS))
    .refine((names) => new Set(names).size === names.length, 'each file system once')
    .optional(),
  seed: z
    .number()
    .int()
    .nonnegative()
    .max(2 ** 32 - 1, 'the seed is at most 4294967295 (32 bits)')
    .optional(),
  thresholds: z.string().min(1).optional(),
  knownDifferences: z.string().min(1).optional(),
});
export type WritegateConfig = z.infer<typeof configSchema>;

export const DEFAULT_CONFIG_FILE = 'writegate.config.json';

type Issue = z.core.$ZodIssue;
type Path = readonly PropertyKey[];

/** A required key the input lacks (zod says "received undefined" for it). */
function missingKey(issue: Issue): boolean {
  return issue.code === 'invalid_type' && /received undefined$/.test(issue.message);
}

/**
 * A union's error says only "Invalid input" at the union's path; its branches say what each one
 * wanted. The leaf is taken from the branch the input came closest to (fewest issues, then fewest
 * missing keys), so `writers.py.comand` is named as an unknown key and `writers.py.command: 5` as
 * a string expected there. Returns the issue and its full path.
 */
function leafIssue(issue: Issue, prefix: Path): { issue: Issue; path: Path } {
  const path = [...prefix, ...issue.path];
  // A record's bad key says only "Invalid key in record"; the key schema's own issue says why.
  if (issue.code === 'invalid_key' && issue.issues[0]) return { issue: issue.issues[0] as Issue, path };
  if (issue.code !== 'invalid_union') return { issue, path };
  const branches = issue.errors.filter((branch) => branch.length > 0);
  if (branches.length === 0) return { issue, path };
  const unknown = (branch: readonly Issue[]) =>
    branch
      .filter((i) => i.code === 'unrecognized_keys' && i.path.length === 0)
      .flatMap((i) => (i as { keys: string[] }).keys);
  // A key no branch knows is the mistake to name, whatever else the branches miss.
  const [first, ...rest] = branches.map(unknown);
  const everywhere = (first ?? []).filter((key) => rest.every((keys) => keys.includes(key)));
  if (everywhere.length)
    return {
      issue: { code: 'unrecognized_keys', keys: everywhere, path: [], message: '', input: undefined } as Issue,
      path,
    };
  // Every branch fails only on a missing key: none of them was attempted.
  if (branches.every((branch) => branch.every(missingKey))) {
    const wanted = [
      ...new Set(branches.map((branch) => branch.map((i) => `"${i.path.map(String).join('.')}"`).join(' and '))),
    ];
    return {
      issue: { code: 'custom', path: [], message: `give ${wanted.join(' or ')}`, input: undefined } as Issue,
      path,
    };
  }
  // Every branch fails only on keys the others take: keys of different variants were mixed.
  if (branches.every((branch) => branch.every((i) => i.code === 'unrecognized_keys' && i.path.length === 0))) {
    const keys = [...new Set(branches.flatMap(unknown))];
    return {
      issue: {
        code: 'custom',
        path: [],
        message: `${keys.map((key) => `"${key}"`).join(' and ')} cannot be used together`,
        input: undefined,
      } as Issue,
      path,
    };
  }
  const score = (branch: readonly Issue[]) => branch.length * 1000 + branch.filter(missingKey).length;
  const best = branches.reduce((a, b) => (score(b) < score(a) ? b : a));
  const chosen = best.find((i) => !missingKey(i)) ?? best[0]!;
  return leafIssue(chosen, path);
}

/** Names the first problem as `file: key "key.path": message`, one line, down to the leaf key. */
export function formatZodIssue(source: string, error: z.ZodError): string {
  const first = error.issues[0];
  if (!first) return `${source}: invalid`;
  const { issue, path } = leafIssue(first as Issue, []);
  const where = path.length ? path.map(String).join('.') : '(top level)';
  if (issue.code === 'unrecognized_keys') {
    const prefix = path.length ? `${where}.` : '';
    return `${source}: unknown key ${issue.keys.map((k) => `"${prefix}${k}"`).join(', ')}`;
  }
  return `${source}: key "${where}": ${issue.message.replace(/^Invalid input: /, '')}`;
}

/** Node 20's JSON errors give a character position only; a line and column are what a reader needs. */
function withLine(message: string, text: string): string {
  const position = /at position (\d+)/.exec(message);
  if (!position || /line \d+/.test(message)) return message;
  const before = text.slice(0, Number(position[1]));
  const line = before.split('\n').length;
  return `${message} (line ${line} column ${before.length - before.lastIndexOf('\n')})`;
}

/** Reads and checks a JSON file; `what` ("thresholds file") leads every error, so a user knows which file it was. */
export function parseJsonFile<T>(file: string, schema: z.ZodType<T>, what?: string): T {
  const source = what ? `${what} ${file}` : file;
  const text = readInputText(file, 'json', what);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${source}: not valid JSON (${withLine((error as Error).message, text)})`);
  }
  refuseProtoKeys(source, data);
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new InputError(formatZodIssue(source, parsed.error));
  return parsed.data;
}

/**
 * Refuses a `__proto__` key anywhere in `data`: JSON.parse keeps it as a key, but a schema's record
 * drops it without a word, so a writer or variable of that name would silently vanish.
 */
export function refuseProtoKeys(source: string, data: unknown, at: readonly string[] = []): void {
  if (typeof data !== 'object' || data === null) return;
  for (const [key, value] of Object.entries(data)) {
    const here = [...at, key];
    if (key === '__proto__')
      throw new InputError(
        `${source}: key "${here.join('.')}": __proto__ cannot be a name (an object would take it as its prototype)`,
      );
    refuseProtoKeys(source, value, here);
  }
}

/**
 * The config named by --config, else `writegate.config.json` in the current directory if present,
 * else none. Paths inside it are resolved against the file's directory.
 */
export function loadConfig(
  explicit: string | undefined,
  cwd = process.cwd(),
): { config: WritegateConfig; file?: string } {
  const file = explicit ? path.resolve(cwd, explicit) : path.join(cwd, DEFAULT_CONFIG_FILE);
  if (!explicit && !fs.existsSync(file)) return { config: {} };
  const config = parseJsonFile(file, configSchema, 'config file');
  const dir = path.dirname(file);
  const resolve = (p: string | undefined) => (p === undefined ? undefined : path.resolve(dir, p));
  return {
    config: { ...config, thresholds: resolve(config.thresholds), knownDifferences: resolve(config.knownDifferences) },
    file,
  };
}
