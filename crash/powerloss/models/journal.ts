/**
 * What the journaling models (ext4's journal, XFS's log, btrfs's commits) share. One rule: an
 * in-order log persists as a prefix, so the models differ only in what they log and how far down
 * their syncs force it; this is that rule once.
 */
import { entryChangesOf, isEntryOp } from '../op-facts.js';
import type { MetadataChoice } from '../state.js';
import type { InodeId, LogicalOp, PowerLossInput } from '../types.js';

/**
 * The metadata ops an in-order journal or log holds (ext4's and XFS's rule 1): directory entry changes and truncates.
 */
export function isJournaled(op: LogicalOp): boolean {
  return isEntryOp(op) || op.kind === 'truncate';
}

/**
 * How many ops of the in-order `log` the run's syncs leave on disk at the least: up to the last op
 * any sync (or syncfs) `forces`, since forcing one op of the log forces every op before it.
 */
export function forcedFloor(
  issued: readonly LogicalOp[],
  log: readonly LogicalOp[],
  forces: (sync: LogicalOp, entry: LogicalOp) => boolean,
): number {
  let floor = 0;
  for (const op of issued) {
    if (op.kind !== 'sync' && op.kind !== 'sync_all') continue;
    const forced = log.filter((entry) => entry.index < op.index && forces(op, entry));
    const last = forced[forced.length - 1];
    if (last) floor = Math.max(floor, log.indexOf(last) + 1);
  }
  return floor;
}

/** Every prefix of the in-order `log` that may be on disk, longest first, down to `floor` ops. */
export function logPrefixes(log: readonly LogicalOp[], floor: number): MetadataChoice[] {
  const choices: MetadataChoice[] = [];
  for (let kept = log.length; kept >= floor; kept--) {
    const prefix = log.slice(0, kept);
    choices.push({
      entries: prefix.flatMap(entryChangesOf),
      journaledTruncates: prefix.filter((op) => op.kind === 'truncate').map((op) => op.index),
      lost: log.slice(kept).map((op) => op.index),
    });
  }
  return choices;
}

/** A changed file under a journaling model: its issued writes, and its truncates in the chosen prefix. */
export interface JournaledFile {
  writes: number[];
  truncates: number[];
}

/**
 * The issued writes grouped by file, in issue order, with each file's journaled truncates of this
 * metadata choice. A file with only a journaled truncate (O_TRUNC, no write yet) is still a changed file.
 */
export function writesByFile(
  input: PowerLossInput,
  issued: readonly LogicalOp[],
  journaledTruncates: readonly number[],
): Map<InodeId, JournaledFile> {
  const files = new Map<InodeId, JournaledFile>();
  const fileOf = (ino: InodeId): JournaledFile => {
    let file = files.get(ino);
    if (!file) files.set(ino, (file = { writes: [], truncates: [] }));
    return file;
  };
  for (const op of issued) if (op.kind === 'write') fileOf(op.ino).writes.push(op.index);
  for (const index of journaledTruncates) fileOf((input.ops[index] as { ino: InodeId }).ino).truncates.push(index);
  return files;
}
