/**
 * The conservative POSIX model, after ALICE's abstract persistence model (Pillai et al., OSDI'14,
 * "All File Systems Are Not Created Equal"): only what an fsync covered is promised.
 *
 * - File data and size: an fsync/fdatasync of inode I persists every data op (write, truncate)
 *   of I issued before it, an msync(MS_SYNC) the writes inside its range, a synchronous write
 *   (O_DSYNC, RWF_DSYNC, …) itself, and a sync or a syncfs of the run's file system everything
 *   issued before it. Other data ops may be lost, persist as a prefix, tear at 4 KiB blocks, or
 *   leave a persisted size over zero-filled blocks (see file-outcomes.ts).
 * - Directory entries: each directory's changes persist in order, as a prefix of its own list, at
 * least up to the last one an fsync of that directory (or a sync, or a syncfs) covered. A cross-directory rename is
 * two
 *   changes, one in each directory's list. An fsync of a file does not persist its name.
 */
import { fileOutcomes } from '../file-outcomes.js';
import { durableDataOps, entryChangesOf, isDataOp, issuedAt, lastSyncOf, type EntryChange } from '../op-facts.js';
import type { FileOutcome, MetadataChoice } from '../state.js';
import type { InodeId, PowerLossInput } from '../types.js';
import type { PersistenceModel } from './model.js';

export const posixModel: PersistenceModel = {
  id: 'posix',
  title:
    'POSIX: only fsynced data and fsynced directory entries survive; directories persist in order, each on its own',
  metadataChoices(input, crashAfter) {
    const issued = issuedAt(input, crashAfter);
    const perDir = new Map<InodeId, EntryChange[]>();
    for (const op of issued) {
      for (const change of entryChangesOf(op)) {
        const list = perDir.get(change.dir) ?? [];
        list.push(change);
        perDir.set(change.dir, list);
      }
    }
    // For each directory: the prefix lengths it may have on disk, longest first.
    const options = [...perDir].map(([dir, changes]) => {
      const synced = lastSyncOf(issued, dir);
      const floor = changes.filter((change) => change.op < synced).length;
      return Array.from({ length: changes.length - floor + 1 }, (_, i) => changes.slice(0, changes.length - i));
    });
    const issuedEntryOps = new Set(issued.flatMap((op) => entryChangesOf(op).map((change) => change.op)));
    return cartesian(options).map((prefixes): MetadataChoice => {
      const entries = prefixes.flat().sort((a, b) => a.op - b.op);
      const whole = new Map<number, number>();
      for (const change of entries) whole.set(change.op, (whole.get(change.op) ?? 0) + 1);
      const lost = [...issuedEntryOps].filter((op) => whole.get(op) !== entryChangesOf(input.ops[op]!).length);
      return { entries, journaledTruncates: [], lost };
    });
  },
  fileOutcomes: syncedDataOutcomes,
};

/**
 * Each file's data under the first rule above (what a sync covered is on disk; the rest may be lost,
 * a prefix, torn or a size over zeros). btrfs's data follows the same rule (its rules 2–5 and 7).
 */
export function syncedDataOutcomes(input: PowerLossInput, crashAfter: number): FileOutcome[][] {
  const issued = issuedAt(input, crashAfter);
  const dataOpsByFile = new Map<InodeId, number[]>();
  for (const op of issued) {
    if (!isDataOp(op)) continue;
    dataOpsByFile.set(op.ino, [...(dataOpsByFile.get(op.ino) ?? []), op.index]);
  }
  const lists: FileOutcome[][] = [];
  for (const [ino, ops] of dataOpsByFile) {
    const durable = durableDataOps(issued, ino);
    lists.push(
      fileOutcomes(
        input,
        ino,
        ops.filter((op) => durable.has(op)),
        ops.filter((op) => !durable.has(op)),
        { zeroFill: true, tear: 'any-block' },
      ),
    );
  }
  return lists;
}

/** Every combination of one item per list (one empty combination for no lists). */
export function cartesian<T>(lists: T[][]): T[][] {
  return lists.reduce<T[][]>((combos, list) => combos.flatMap((combo) => list.map((item) => [...combo, item])), [[]]);
}
