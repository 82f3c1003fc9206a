import type { TargetRead, TracedRun } from './types.js';

/** What the content checks of one run found. */
export interface ContentVerdict {
  /** The first checked write that left the wrong content: which, what was expected, what was found. */
  problem?: string;
  /** Writes whose result was read back, and all writes of the run (untimed ones included). */
  checkedWrites: number;
  writes: number;
}

/**
 * Whether the result of a run's nth write (1-based, untimed pilot and warm-up writes included) is
 * read back: each power of two and the write right after it (1, 2, 3, 4, 5, 8, 9, 16, 17, …). The
 * first writes are all checked, so a writer that writes nothing fails at write 1; checked writes come
 * in consecutive pairs, and a writer that skips every other write cannot get both of a pair right; the
 * pairs spread across a run of any length for about 2·log2(n) reads. The runner adds the last write
 * of every round and of the run.
 */
export function isCheckedWrite(n: number): boolean {
  return isPowerOfTwo(n) || isPowerOfTwo(n - 1);
}

function isPowerOfTwo(n: number): boolean {
  return n >= 1 && Number.isInteger(n) && (n & (n - 1)) === 0;
}

/** Bytes the target may legitimately hold at some point, with the name a report calls them by. */
export interface KnownContent {
  label: string;
  bytes: Buffer;
}

/**
 * Compares the target as read back after write `afterWrite` (the runner reads it) with what that write
 * should have left. Undefined when it matches; else which write, what was expected and what was found
 * (named when it is one of the `known` contents, e.g. the previous payload of a writer that skipped one).
 */
export function checkTarget(
  read: TargetRead,
  afterWrite: number,
  expected: KnownContent,
  known: readonly KnownContent[],
): string | undefined {
  const where =
    `after write ${afterWrite} (counted from the start, untimed writes included) ` +
    `expected ${expected.label} (${bytes(expected.bytes.length)})`;
  if ('unreadable' in read) return `${where}, found no readable target (${read.unreadable})`;
  const actual = read.bytes;
  if (actual.equals(expected.bytes)) return undefined;
  const named = known.find((content) => content.label !== expected.label && actual.equals(content.bytes));
  if (named) return `${where}, found ${named.label}`;
  return (
    `${where}, found ${bytes(actual.length)} matching no payload (first difference ` +
    `at byte ${firstDifference(actual, expected.bytes)})`
  );
}

const bytes = (n: number): string => `${n} byte${n === 1 ? '' : 's'}`;

function firstDifference(a: Buffer, b: Buffer): number {
  const common = Math.min(a.length, b.length);
  for (let i = 0; i < common; i++) if (a[i] !== b[i]) return i;
  return common;
}

/** Why a traced one-shot write did not count (it did not exit 0), in one line; undefined when it did. */
export function tracedRunProblem(result: TracedRun, timeoutMs: number): string | undefined {
  if (result.exitCode === 0) return undefined;
  const why = result.timedOut
    ? `timed out after ${timeoutMs} ms`
    : result.spawnError
      ? `cannot start strace: ${result.spawnError}`
      : `exit ${result.exitCode ?? result.signal}`;
  return `traced one-shot write ${why}: ${result.stderr.trim().split('\n').slice(-1)[0] ?? ''}`;
}
