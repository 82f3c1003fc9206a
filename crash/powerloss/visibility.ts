/**
 * Whether a writer can be judged from its trace at all. A model of calls the tracer did not see is
 * not a verdict, so before any kill, injection or power loss is judged, the fault-free run is
 * replayed with everything persisted: the names and bytes the traced calls account for must be
 * exactly what the run left in the watched directories. A writer whose bytes arrive through
 * io_uring, AIO or any call strace does not show fails that replay; so does one that calls
 * something on its files the model does not follow. Such a writer is "not judged", with the reason.
 */
import { Content } from './content.js';
import type { Translation } from './from-trace.js';
import type { RecordedRun } from './from-trace.js';
import { entryChangesOf, isDataOp, symlinkTexts } from './op-facts.js';
import { ContentCache, resolveEntries, type CrashState, type FileOutcome } from './state.js';
import type { PowerLossInput } from './types.js';
import path from 'node:path';

/** What a run left in its watched directories (a single write's or a batch's record). */
type RunLeftovers = Pick<RecordedRun, 'finalContents' | 'finalLinks'>;

export type Visibility =
  /**
   * `unseen`: the run also used calls strace cannot see into (io_uring, AIO) that its visible calls do not need: a
   * pass stands, a failure is not a verdict.
   */
  { judged: true; unseen?: string } | { judged: false; reason: string };

const UNSEEN_NAMES: Record<string, string> = {
  io_uring_setup: 'io_uring',
  io_uring_enter: 'io_uring',
  io_uring_register: 'io_uring',
  io_setup: 'Linux AIO (io_submit)',
  io_submit: 'Linux AIO (io_submit)',
};

/** The mechanisms strace cannot see into that a translation met, in words ("io_uring"). */
export function unseenMechanisms(translation: Pick<Translation, 'unseen'>): string[] {
  return [...new Set(translation.unseen.map((name) => UNSEEN_NAMES[name] ?? name))];
}

export function judgeVisibility(translation: Translation, run: RunLeftovers): Visibility {
  const unseen = unseenMechanisms(translation);
  const mismatch = replayMismatch(translation.input, run);
  if (mismatch !== undefined) {
    if (unseen.length > 0)
      return {
        judged: false,
        reason: `its I/O goes through ${unseen.join(' and ')}, which strace cannot see: ${mismatch}`,
      };
    return {
      judged: false,
      reason:
        `its files are not what its traced calls wrote (${mismatch}): part of ` +
        `its I/O goes through calls the tracer does not show`,
    };
  }
  if (translation.unmodelled.length > 0) {
    const more = translation.unmodelled.length > 1 ? ` (and ${translation.unmodelled.length - 1} more)` : '';
    return {
      judged: false,
      reason: `it makes a call on its files that the model does not follow: ${translation.unmodelled[0]}${more}`,
    };
  }
  return unseen.length > 0 ? { judged: true, unseen: unseen.join(' and ') } : { judged: true };
}

/** The run's end as the model sees it: every op issued and persisted. */
export function fullyPersisted(input: PowerLossInput): CrashState {
  const files = new Map<number, FileOutcome>();
  for (const op of input.ops) {
    if (!isDataOp(op)) continue;
    const outcome = files.get(op.ino) ?? {
      ino: op.ino,
      label: 'all its issued data persisted',
      lost: [],
      recipe: { kind: 'ops', ops: [] },
    };
    if (outcome.recipe.kind === 'ops') outcome.recipe.ops.push(op.index);
    files.set(op.ino, outcome);
  }
  return {
    crashAfter: input.ops.length - 1,
    meta: { entries: input.ops.flatMap(entryChangesOf), journaledTruncates: [], lost: [] },
    files,
  };
}

/**
 * What differs between the model's end state and the real one, in words, or undefined when they
 * agree name for name and byte for byte (directories aside: only files and symlinks are compared).
 */
export function replayMismatch(input: PowerLossInput, run: RunLeftovers): string | undefined {
  const state = fullyPersisted(input);
  const entries = resolveEntries(input, state);
  const cache = new ContentCache(input);
  const links = symlinkTexts(input);
  const directories = new Set<number>([
    ...input.initial.dirs.keys(),
    ...input.ops.flatMap((op) => (op.kind === 'mkdir' ? [op.ino] : [])),
  ]);
  for (const [dirIno, dir] of input.initial.dirs) {
    const modelled = new Map([...(entries.get(dirIno) ?? [])].filter(([, ino]) => !directories.has(ino)));
    const real = realEntries(run, dir.path);
    const where = (name: string): string => {
      const target = input.targets.find((judged) => judged.dir === dirIno && judged.name === name);
      if (target && input.targets.length === 1) return 'the target';
      return target?.label ? `the target ${target.label}` : `${dir.label ?? dir.path}/${name}`;
    };
    const missing = [...real.keys()].filter((name) => !modelled.has(name));
    if (missing.length) return `the run left ${missing.map(where).join(', ')}, which no traced call made`;
    const extra = [...modelled.keys()].filter((name) => !real.has(name));
    if (extra.length) return `its traced calls leave ${extra.map(where).join(', ')}, which the run did not`;
    for (const [name, ino] of modelled) {
      const left = real.get(name) as RealEntry;
      const text = links.get(ino);
      if (text !== undefined || left.kind === 'symlink') {
        if (left.kind !== 'symlink' || text !== left.text)
          return (
            `${where(name)} is ${left.kind === 'symlink' ? `a symlink to ${left.text}` : 'a file'}, ` +
            `its traced calls make ${text !== undefined ? `a symlink to ${text}` : 'a file'}`
          );
        continue;
      }
      const content = cache.contentOf(state, ino);
      if (!content.equals(left.bytes)) return differs(where(name), content, left.bytes);
    }
  }
  return undefined;
}

type RealEntry = { kind: 'file'; bytes: Buffer } | { kind: 'symlink'; text: string };

function realEntries(run: RunLeftovers, dir: string): Map<string, RealEntry> {
  const found = new Map<string, RealEntry>();
  for (const [file, bytes] of run.finalContents)
    if (path.dirname(file) === dir) found.set(path.basename(file), { kind: 'file', bytes });
  for (const [file, text] of run.finalLinks ?? [])
    if (path.dirname(file) === dir) found.set(path.basename(file), { kind: 'symlink', text });
  return found;
}

function differs(what: string, content: Content, bytes: Buffer): string {
  if (content.size !== bytes.length)
    return `${what} holds ${bytes.length} bytes, its traced calls account for ${content.size}`;
  return `${what} differs from what its traced calls wrote from byte ${content.firstDifference(bytes)} on`;
}
