import { parse } from 'shell-quote';
import { InputError } from '../errors.js';

/**
 * Splits a command template like a shell line (quotes, escapes) without ever running a shell:
 * operators, globs, comments and $VARIABLES are refused, so what you write is exactly the argv.
 */
export function splitTemplate(template: string, where: string): string[] {
  if (template.trim() === '') throw new InputError(`${where}: empty command template`);
  const tokens = parse(template, (key) => `\${${key}}`);
  const argv: string[] = [];
  for (const token of tokens) {
    if (typeof token === 'string') {
      if (/\$\{[^}]*\}/.test(token) && !template.includes(token)) {
        throw new InputError(`${where}: environment variables are not expanded (no shell runs): ${template}`);
      }
      argv.push(token);
    } else if ('op' in token && token.op === 'glob') {
      throw new InputError(
        `${where}: glob ${JSON.stringify(token.pattern)} is not expanded (commands ` +
          `run without a shell); quote it to pass it as is`,
      );
    } else {
      const shown = 'op' in token ? token.op : 'comment' in token ? `#${token.comment}` : JSON.stringify(token);
      throw new InputError(
        `${where}: shell syntax ${JSON.stringify(shown)} is not supported (commands run without a shell)`,
      );
    }
  }
  return argv;
}

/** Replaces `{name}` placeholders inside every argv element. Unknown placeholders are an error. */
export function fillTemplate(argv: readonly string[], values: Record<string, string>, where: string): string[] {
  return argv.map((arg) =>
    arg.replace(/\{([a-z_]+)\}/g, (whole, key: string) => {
      const value = values[key];
      if (value === undefined)
        throw new InputError(
          `${where}: unknown placeholder ${whole}; known: ${Object.keys(values)
            .map((k) => `{${k}}`)
            .join(' ')}`,
        );
      return value;
    }),
  );
}

export function placeholdersIn(argv: readonly string[]): Set<string> {
  const found = new Set<string>();
  for (const arg of argv) for (const match of arg.matchAll(/\{([a-z_]+)\}/g)) if (match[1]) found.add(match[1]);
  return found;
}

/** Refuses any `{name}` placeholder not in `allowed` (an empty list: the template takes none). */
export function refuseUnknownPlaceholders(
  argv: readonly string[],
  allowed: readonly string[],
  where: string,
  why = 'this command takes none',
): void {
  const unknown = [...placeholdersIn(argv)].find((name) => !allowed.includes(name));
  if (unknown === undefined) return;
  const known = allowed.length ? `known: ${allowed.map((name) => `{${name}}`).join(' ')}` : why;
  throw new InputError(`${where}: unknown placeholder {${unknown}}; ${known}`);
}

/** The batch template's placeholder that becomes `source1 target1 source2 target2 …`, one argv item each. */
export const PAIRS = 'pairs';

/**
 * Checks a batch template's argv: `{pairs}` exactly once and as an argument of its own (it becomes
 * many arguments, so `--files={pairs}` has no meaning), `{mode}` optional, no other placeholder.
 */
export function checkBatchTemplate(argv: readonly string[], where: string, template: string): void {
  refuseUnknownPlaceholders(argv, [PAIRS, 'mode'], where);
  const holding = argv.filter((arg) => arg.includes(`{${PAIRS}}`));
  if (holding.length === 0) throw new InputError(`${where}: template must contain {${PAIRS}}: ${template}`);
  if (holding.length > 1) throw new InputError(`${where}: {${PAIRS}} may appear only once: ${template}`);
  if (holding[0] !== `{${PAIRS}}`)
    throw new InputError(
      `${where}: {${PAIRS}} must be an argument of its own (it becomes one argument per source and target), ` +
        `not part of ${JSON.stringify(holding[0])}`,
    );
}

/** A checked batch template filled: `{pairs}` expands to every source and target in order, `{mode}` as given. */
export function fillBatchTemplate(
  argv: readonly string[],
  files: readonly { source: string; target: string }[],
  mode: string,
  where: string,
): string[] {
  const pairs = files.flatMap((file) => [file.source, file.target]);
  return argv.flatMap((arg) => (arg === `{${PAIRS}}` ? pairs : fillTemplate([arg], { mode }, where)));
}
