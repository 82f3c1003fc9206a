/**
 * A crash run with --command: each command (native, then through each wrapper) under power loss,
 * one at a time (a command's checker runs already use the run's jobs), then the crash-safety parity
 * of every wrapped command against its native one.
 */
import { performance } from 'node:perf_hooks';
import type { CrashRun } from '../context.js';
import type { CommandSettings } from '../types.js';
import type { CommandExploration } from './explore.js';
import { wrapperParityRows } from './parity.js';
import { commandPowerLoss } from './power-loss.js';

export async function runCommands(run: CrashRun, commands: CommandSettings): Promise<void> {
  const { ctx, settings } = run;
  const explored = new Map<string, CommandExploration[]>();
  ctx.progress.start('crash power_loss of commands', commands.subjects.length, commands.subjects.length);
  for (const command of commands.subjects) {
    const started = performance.now();
    const outcome = await commandPowerLoss(run, command, {
      maxStates: settings.plan.maxStates,
      budgetMs: commands.budgetMs,
      checkerTimeoutMs: commands.checkerTimeoutMs,
      jobs: settings.jobs,
    });
    ctx.sink.addAll(outcome.rows);
    explored.set(command.name, outcome.explorations);
    ctx.progress.note(
      `crash: ${command.name}: ${
        outcome.explorations
          .map((found) => `${found.model} ${found.violating.violations}/${found.violating.states} violating`)
          .join(', ') || 'not judged'
      } (${Math.round((performance.now() - started) / 1000)} s)`,
    );
    ctx.progress.tick();
  }
  ctx.progress.finish();
  for (const command of commands.subjects) {
    if (!command.wraps) continue;
    ctx.sink.addAll(
      wrapperParityRows(
        command.wraps,
        command.name,
        explored.get(command.wraps.native) ?? [],
        explored.get(command.name) ?? [],
      ),
    );
  }
}
