import type { WriterSubject } from '../../core/subjects/types.js';
import { batchRecordings, skipNoBatchForm } from '../batch/record.js';
import type { CrashRun } from '../context.js';
import { powerLossRows, powerLossSkipped } from '../powerloss/rows.js';
import { exploreJudged } from './power-loss.js';

/**
 * A power loss at every point of a writer's fault-free batch: the recorded trace becomes logical
 * operations over every file of the batch, and every state each persistence model allows is judged
 * file by file (each file its old or its new content; after a reported success, every file new).
 * A batch that renames every file but fsyncs no directory fails durability here; one that renames
 * a file whose data it never synced fails atomicity, and the violation names that file.
 */
export async function batchPowerLoss(run: CrashRun, subject: WriterSubject, size: number): Promise<void> {
  const recorded = await batchRecordings(run, subject, size);
  if ('error' in recorded) {
    run.ctx.sink.addAll(powerLossSkipped(subject.name, size, `not run: ${recorded.error}`, 'batch_power_loss'));
    return;
  }
  if ('noBatchForm' in recorded) {
    skipNoBatchForm(run, 'batch_power_loss', subject, recorded.noBatchForm);
    return;
  }
  if ('notJudged' in recorded) {
    run.markNotJudged('batch_power_loss', subject, size, recorded.notJudged);
    return;
  }
  const { input, unknownBytes, notes } = recorded.translation;
  const options = { maxStates: run.plan.maxStates, seed: run.ctx.seed };
  // As for a single write: violations that an invisible sync (io_uring, AIO) might answer are not a verdict.
  const explored = exploreJudged(run, input, options, recorded.unseen);
  if ('notJudged' in explored) {
    run.markNotJudged('batch_power_loss', subject, size, explored.notJudged);
    return;
  }
  for (const { exploration, exploreMs } of explored.explored)
    run.ctx.sink.addAll(
      powerLossRows({
        scenario: 'batch_power_loss',
        subject: subject.name,
        size,
        seed: run.ctx.seed,
        exploration,
        exploreMs,
        checker: undefined,
        unknownBytes,
        opCount: input.ops.length,
        files: input.targets.length,
        notes,
      }),
    );
}
