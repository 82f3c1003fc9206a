export type { Judgement, SnapshotDifference } from './types.js';
import { expectedExits, expectedSignals, type ParityCase } from './cases.js';
import type { Normaliser } from './normalise.js';
import type { Judgement, SideResult, SnapshotDifference } from './types.js';
import type { RepoSnapshot } from './snapshot.js';

/**
 * Key stderr signals: the lines of native git's output that carry the meaning of what happened, so a
 * wrapper that compacts output must still show them. A line of native output (stdout or stderr) is a
 * key signal when it matches one of these patterns; each must then appear in the wrapper's stdout or
 * stderr. Progress chatter, hints and success summaries are not signals: a wrapper may compact
 * output on success, but a failure (and a "nothing happened" that exit 0 does not reveal) must stay
 * visible.
 */
export const KEY_SIGNAL_PATTERNS: readonly { pattern: RegExp; why: string; commands?: readonly string[] }[] = [
  { pattern: /^fatal: /, why: 'git stopped: the reason' },
  { pattern: /^error: /, why: 'git refused or failed: the reason' },
  { pattern: /^CONFLICT \(/, why: 'which file conflicts, and how' },
  { pattern: /^Automatic merge failed/, why: 'a merge stopped half-way and waits for the user' },
  { pattern: /\[(remote )?rejected\]/, why: 'which ref a push could not update' },
  // Status summaries: the verdict of `commit`, but only a courtesy when stash pop/apply print status.
  { pattern: /^nothing to commit/, why: 'commit made nothing (exit 1)', commands: ['commit'] },
  { pattern: /^nothing added to commit/, why: 'commit made nothing: only untracked files', commands: ['commit'] },
  { pattern: /^no changes added to commit/, why: 'commit made nothing: changes not staged', commands: ['commit'] },
  { pattern: /^Aborting/, why: 'a command gave up (empty message, local changes in the way)' },
  { pattern: /Authentication failed/, why: 'the remote refused the credentials' },
  { pattern: /^There is no tracking information/, why: 'pull has nothing to pull from' },
  { pattern: /^The following paths are ignored/, why: 'add skipped ignored paths (exit 1)' },
  { pattern: /^No stash entries found/, why: 'stash pop/drop had nothing to act on (exit 1)' },
  { pattern: /^No local changes to save/, why: 'stash saved nothing although it exits 0' },
  { pattern: /^The stash entry is kept/, why: 'pop hit a conflict and did not drop the entry' },
];

/** Whitespace runs collapse to one space: column alignment is presentation, not meaning. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * The key signal lines of one output (already normalised), in order, without duplicates. `command` is
 * the git subcommand that printed it; patterns scoped to other commands are skipped.
 */
export function keySignals(output: string, command?: string): string[] {
  const patterns = KEY_SIGNAL_PATTERNS.filter(
    (entry) => !entry.commands || (command !== undefined && entry.commands.includes(command)),
  );
  const found: string[] = [];
  for (const raw of output.split(/\r?\n/)) {
    const line = collapseWhitespace(raw);
    if (line && patterns.some(({ pattern }) => pattern.test(line)) && !found.includes(line)) found.push(line);
  }
  return found;
}

/** The native signals that appear nowhere in the wrapper's combined output (whitespace-insensitive). */
export function missingSignals(nativeSignals: readonly string[], wrapperOutput: string): string[] {
  const haystack = collapseWhitespace(wrapperOutput);
  return nativeSignals.filter((signal) => !haystack.includes(signal));
}

/**
 * The snapshot as `area key → value` lines: the unit in which differences are named, e.g.
 * `ref refs/heads/main`, `index work a.txt`, `file work/new.txt`, `config #3`.
 */
export function flattenSnapshot(snapshot: RepoSnapshot): Map<string, string> {
  const flat = new Map<string, string>();
  for (const [where, wt] of Object.entries(snapshot.worktrees)) {
    flat.set(`worktree ${where} HEAD`, `${wt.head} ${wt.oid}`);
    if (wt.flags.length) flat.set(`worktree ${where} flags`, wt.flags.join(' '));
    for (const [file, value] of Object.entries(wt.index)) flat.set(`index ${where} ${file}`, value);
    for (const file of wt.untracked) flat.set(`untracked ${where} ${file}`, 'untracked');
    for (const [name, value] of Object.entries(wt.operation)) flat.set(`state ${where} ${name}`, value.trimEnd());
  }
  for (const [ref, value] of Object.entries(snapshot.refs)) flat.set(`ref ${ref}`, value);
  snapshot.stash.forEach((entry, i) => flat.set(`stash #${i}`, entry));
  // Config is compared as the sequence git reads it in (later entries win), by position.
  snapshot.config.forEach((entry, i) => flat.set(`config #${i}`, entry));
  for (const [remote, refs] of Object.entries(snapshot.remotes))
    for (const [ref, value] of Object.entries(refs)) flat.set(`remote ${remote} ${ref}`, value);
  for (const [file, value] of Object.entries(snapshot.files)) flat.set(`file ${file}`, value);
  snapshot.errors.forEach((error, i) => flat.set(`error #${i}`, error));
  return flat;
}

export function diffSnapshots(native: RepoSnapshot, wrapper: RepoSnapshot): SnapshotDifference[] {
  const a = flattenSnapshot(native);
  const b = flattenSnapshot(wrapper);
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
  return keys
    .filter((key) => a.get(key) !== b.get(key))
    .map((key) => ({ key, native: a.get(key), wrapper: b.get(key) }));
}

export function judgeWrapper(
  native: SideResult,
  wrapper: SideResult,
  nativeSignals: readonly string[],
  normalise: Normaliser,
): Judgement {
  return {
    exitCodeMatch: wrapper.exitCode !== null && wrapper.exitCode === native.exitCode,
    differences: diffSnapshots(native.snapshot, wrapper.snapshot),
    missingSignals: missingSignals(nativeSignals, normalise(`${wrapper.stdout}\n${wrapper.stderr}`)),
  };
}

/** Where native git did not do what the case says it does (empty: as expected). */
export function checkExpectation(parityCase: ParityCase, native: SideResult, signals: readonly string[]): string[] {
  const problems: string[] = [];
  const exits = expectedExits(parityCase);
  if (native.exitCode === null || !exits.includes(native.exitCode))
    problems.push(`native git exited ${native.exitCode ?? native.abnormal}, the case expects ${exits.join(' or ')}`);
  const wanted = expectedSignals(parityCase);
  const lines = signals.map((line) => line.toLowerCase());
  if (wanted.length && !lines.some((line) => wanted.some((text) => line.includes(text.toLowerCase())))) {
    problems.push(
      `native git did not print the expected key line ${wanted.map((text) => JSON.stringify(text)).join(' or ')}`,
    );
  }
  return problems;
}
