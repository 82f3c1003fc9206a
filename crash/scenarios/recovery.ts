import type { WriterSubject } from '../../core/subjects/types.js';
import type { CrashRun } from '../context.js';
import { runOneShot } from '../one-shot.js';
import type { TrialDir } from '../sandbox.js';
import type { Recovery } from '../types.js';

export type { Recovery } from '../types.js';

/**
 * Recovery: after a crash, one normal write must succeed and leave the target holding
 * exactly its content. Temp files of the crashed run that survive it are counted, not failed: a
 * killed process cannot clean up, and sweeping is the subject's choice.
 */
export async function recover(
  run: CrashRun,
  subject: WriterSubject,
  trial: TrialDir,
  size: number,
  crashLeftovers: readonly string[],
): Promise<Recovery> {
  const content = run.contents.get(size, 'recovery');
  const shot = await runOneShot({ subject, source: content.source, target: trial.target, tmpDir: trial.tmp });
  const held = trial.held(undefined, content);
  const after = new Set(trial.leftovers());
  const stale = crashLeftovers.filter((name) => after.has(name));
  if (shot.reported !== 'success') return { recovered: false, why: `the recovery write failed: ${shot.ending}`, stale };
  if (held.kind !== 'new') {
    const holds = held.kind === 'torn' ? held.description : held.kind;
    return { recovered: false, why: `the recovery write said success but the target holds ${holds}`, stale };
  }
  return { recovered: true, why: '', stale };
}
