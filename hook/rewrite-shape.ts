import { parse } from 'shell-quote';

/**
 * What a rewrite did to a command line, judged on words (shell-quote's split, so `"a b"` and `'a b'`
 * are the same word and quoting style is free):
 * - `same`: the words did not change (spacing or quoting only);
 * - `prefixed`: words were put in front of the program of one or more parts — `git log -3 x` →
 *   `tool git log -3 x`, `A=1 git log` → `A=1 tool git log`, each part of a chain — with `lost` the
 *   original words (arguments, env assignments, whole chained parts) that did not survive in order;
 * - `translated`: the program itself was replaced (`head -5 f` → `tool read f --max-lines 5`), which
 *   cannot be judged word by word.
 */
export type RewriteShape =
  | { kind: 'same' }
  | { kind: 'prefixed'; prefixes: string[]; lost: string[] }
  | { kind: 'translated' };

interface Word {
  text: string;
  /** A shell operator (`&&`, `|`, `>`, …) rather than a word, so a quoted "&&" is never mistaken for one. */
  op: boolean;
}

/** Operators that end one command and start the next; a subshell's parentheses too, so `$(git log)` is a part. */
const SEPARATORS = new Set(['&&', '||', ';', '|', '&', '|&', ';;', '(', ')']);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

function words(line: string): Word[] {
  try {
    return parse(line, (key) => `$${key}`).map((token): Word => {
      if (typeof token === 'string') return { text: token, op: false };
      if ('op' in token)
        return token.op === 'glob'
          ? { text: (token as { pattern: string }).pattern, op: false }
          : { text: token.op, op: true };
      return { text: `#${(token as { comment: string }).comment}`, op: false };
    });
  } catch {
    // A line shell-quote cannot read is compared as whitespace-separated words.
    return line
      .split(/\s+/)
      .filter(Boolean)
      .map((text) => ({ text, op: false }));
  }
}

interface Part {
  words: Word[];
  /** The separator after this part ('' for the last). */
  then: string;
}

function parts(line: string): Part[] {
  const result: Part[] = [{ words: [], then: '' }];
  for (const word of words(line)) {
    const current = result[result.length - 1] as Part;
    if (word.op && SEPARATORS.has(word.text)) {
      current.then = word.text;
      result.push({ words: [], then: '' });
    } else current.words.push(word);
  }
  return result;
}

function same(a: readonly Word[], b: readonly Word[]): boolean {
  return a.length === b.length && a.every((word, i) => word.text === b[i]?.text && word.op === b[i]?.op);
}

/** The words of `wanted` that are not found in `within` in order (greedy subsequence match). */
function missingInOrder(wanted: readonly Word[], within: readonly Word[]): string[] {
  const missing: string[] = [];
  let at = 0;
  for (const word of wanted) {
    let found = -1;
    for (let i = at; i < within.length; i++) {
      if (within[i]?.text === word.text && within[i]?.op === word.op) {
        found = i;
        break;
      }
    }
    if (found < 0) missing.push(word.text);
    else at = found + 1;
  }
  return missing;
}

type PartShape =
  | { kind: 'same' }
  | { kind: 'prefixed'; prefix: string | undefined; lost: string[] }
  | { kind: 'translated' };

/** One part: env assignments, the program, its arguments; the program must still be there, after the inserted words. */
function partShape(original: readonly Word[], rewritten: readonly Word[]): PartShape {
  if (same(original, rewritten)) return { kind: 'same' };
  const programAt = original.findIndex((word) => word.op || !ASSIGNMENT.test(word.text));
  if (programAt < 0) return { kind: 'translated' };
  const assignments = original.slice(0, programAt);
  const program = original[programAt] as Word;
  const at = rewritten.findIndex((word) => word.text === program.text && word.op === program.op);
  if (at < 0) return { kind: 'translated' };
  const before = rewritten.slice(0, at);
  const lost = [
    ...missingInOrder(assignments, before),
    ...missingInOrder(original.slice(programAt + 1), rewritten.slice(at + 1)),
  ];
  // The wrapper is what was put in front of the program, without any variables the hook itself set.
  const assignmentTexts = new Set(assignments.map((word) => word.text));
  const inserted = before.filter(
    (word) => !assignmentTexts.has(word.text) && !(ASSIGNMENT.test(word.text) && !word.op),
  );
  return {
    kind: 'prefixed',
    prefix: inserted.length ? [...inserted, program].map((word) => quoteWord(word.text)).join(' ') : undefined,
    lost,
  };
}

export function rewriteShape(original: string, rewritten: string): RewriteShape {
  const from = parts(original);
  const to = parts(rewritten);
  if (from.length === to.length && from.every((part, i) => part.then === to[i]?.then)) {
    const shapes = from.map((part, i) => partShape(part.words, (to[i] as Part).words));
    if (shapes.some((shape) => shape.kind === 'translated')) return { kind: 'translated' };
    const prefixed = shapes.filter(
      (shape): shape is Extract<PartShape, { kind: 'prefixed' }> => shape.kind === 'prefixed',
    );
    if (prefixed.length === 0) return { kind: 'same' };
    return {
      kind: 'prefixed',
      prefixes: unique(prefixed.map((shape) => shape.prefix)),
      lost: prefixed.flatMap((shape) => shape.lost),
    };
  }
  // The chain changed shape. If its first command was prefixed, judge the whole line as one list of
  // words: every original word, operators included, must still be there in order.
  const all = words(rewritten);
  const first = partShape((from[0] as Part).words, all);
  if (first.kind !== 'prefixed' || first.prefix === undefined) return { kind: 'translated' };
  const lost = missingInOrder(words(original), all);
  return { kind: 'prefixed', prefixes: [first.prefix], lost };
}

function unique(values: readonly (string | undefined)[]): string[] {
  return [...new Set(values.filter((value): value is string => value !== undefined))];
}

/** A word as a shell would need it written to mean the same word. */
export function quoteWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
