import { writeFileAtomicSync, writeFilesAtomicSync } from '../../writer/index.js';
import type { InProcessWriter } from './in-process.js';

export const referenceWriter: InProcessWriter = {
  name: 'reference',
  description:
    "writegate's reference writer: temp, write all, fdatasync, rename, fsync dir; unchanged skips identical content; " +
    'batch = writeFilesAtomicSync (each file synced, each unique parent directory synced once after the renames)',
  synchronous: true,
  write(target, content, mode, options) {
    writeFileAtomicSync(target, content, {
      mode,
      lock: options?.lock,
      expected: options?.expectSha256 ? { sha256: options.expectSha256 } : undefined,
    });
  },
  writeBatch(files, mode) {
    writeFilesAtomicSync(
      files.map((file) => ({ target: file.target, data: file.content })),
      { mode },
    );
  },
};

/**
 * The reference's single write, called file after file as a batch: what a caller without a batch API
 * does. Each file syncs its parent directory, so a batch costs 2 × files fsyncs where the reference's
 * batch costs files + unique parents; bench shows the two side by side. It exists only as a batch
 * peer (its single write is the reference's), so it is not among the default subjects.
 */
export const referencePerFileWriter: InProcessWriter = {
  name: 'reference-per-file',
  description:
    "batch peer: the reference's durable single write per file (temp, fdatasync, rename, fsync dir for each file)",
  synchronous: true,
  write: referenceWriter.write,
  writeBatch(files, mode) {
    for (const file of files) writeFileAtomicSync(file.target, file.content, { mode });
  },
};
