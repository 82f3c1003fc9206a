/**
 * tmpfs keeps the whole file system in memory (Documentation/filesystems/tmpfs.rst: "Tmpfs is a
 * file system which keeps all of its files in virtual memory. Everything in tmpfs is temporary in
 * the sense that no files will be created on your hard drive."). Its fsync does nothing (mm/shmem.c:
 * `.fsync = noop_fsync`), and pages it swapped out are not readable as files after a reboot: a
 * power cut loses it all.
 *
 * 1. Every op the run issued is lost, at every crash point: no directory entry change and no
 *    data persists.
 * 2. No sync persists anything: fsync, fdatasync, msync, O_DSYNC, sync() and syncfs() alike.
 *
 * Crash states are built on the state before the run, so this is the best case: on a real tmpfs
 * even that is gone after a power cut (the mount comes back empty). Atomicity holds (the target is
 * what it was), and every writer that reports success fails durability. That failure is the file
 * system's nature, not the writer's fault: explanations say so.
 */
import { isDataOp, isEntryOp, issuedAt } from '../op-facts.js';
import type { FileOutcome } from '../state.js';
import type { InodeId } from '../types.js';
import type { PersistenceModel } from './model.js';

const LOST =
  'tmpfs keeps files in memory only: a power cut loses every operation, ' +
  'synced or not (the file system, not the writer)';

export const tmpfsModel: PersistenceModel = {
  id: 'tmpfs',
  title:
    'tmpfs: memory only — a power cut loses everything, fsynced or not; a ' +
    'durability failure here is the file system, not the writer',
  lossCause: LOST,
  metadataChoices(input, crashAfter) {
    const lost = issuedAt(input, crashAfter)
      .filter(isEntryOp)
      .map((op) => op.index);
    return [{ entries: [], journaledTruncates: [], lost }];
  },
  fileOutcomes(input, crashAfter) {
    const dataOpsByFile = new Map<InodeId, number[]>();
    for (const op of issuedAt(input, crashAfter))
      if (isDataOp(op)) dataOpsByFile.set(op.ino, [...(dataOpsByFile.get(op.ino) ?? []), op.index]);
    // One outcome per written file: its bytes as before the run, every data op lost.
    return [...dataOpsByFile].map(([ino, ops]): FileOutcome[] => [
      { ino, label: 'lost with the rest of memory', lost: ops, recipe: { kind: 'ops', ops: [] } },
    ]);
  },
};
