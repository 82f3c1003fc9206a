import type { WriterSubject } from '../../core/subjects/types.js';
import { runShot, type OneShotSpec } from '../one-shot.js';
import type { OneShotRun } from '../types.js';

/** One batch: its (source, target) pairs, in order. */
export interface BatchFiles {
  files: readonly { source: string; target: string }[];
}

/** Whether a writer has a batch form (many files in one call) crash can kill and trace. */
export function hasBatchForm(subject: WriterSubject): boolean {
  return subject.batch !== undefined;
}

/**
 * Runs a writer's batch form once, as one process (optionally traced), in the trial's root (the
 * parent of its directories and of its $TMPDIR), and reads what it reported.
 */
export async function runBatchOneShot(
  subject: WriterSubject,
  batch: BatchFiles,
  spec: Pick<OneShotSpec, 'tmpDir' | 'strace' | 'timeoutMs'> & { cwd: string },
): Promise<OneShotRun> {
  const form = subject.batch;
  if (!form) throw new Error(`${subject.name} has no batch form`);
  const shot = form.oneShot({ files: batch.files.map(({ source, target }) => ({ source, target })), mode: 'durable' });
  return runShot(shot, spec.cwd, spec);
}
