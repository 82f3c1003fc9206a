/**
 * A crash run with --command: each command (native, then through each wrapper) is recorded once,
 * then killed and failed at every step (kill_at_step, inject_error) and judged under power loss
 * (power_loss), one command at a time (its trials and checker runs use the run's jobs); then the
 * crash-safety parity of every wrapped command against its native one.
 */
import { performance } from 'node:perf_hooks';
import type { CrashRun } from '../context.js';
import type { CommandSettings } from '../types.js';
import type { CommandExploration } from './explore.js';
import { commandSteps, faultRows, runFaults } from './faults.js';
import { wrapperParityRows } from './parity.js';
import { commandPowerLoss } from './power-loss.js';
import { CommandPlace, recordCommand } from './record.js';
import { commandNotRunRow } from './rows.js';

export async function runCommands(run: CrashRun, commands: CommandSettings): Promise<void> {
  const { ctx, settings } = run;
  const explored = new Map<string, CommandExploration[]>();
  const faults = (['kill_at_step', 'inject_error'] as const).filter((id) => settings.scenarios.includes(id));
  const powerLoss = settings.scenarios.includes('power_loss');
  ctx.progress.start('crash commands', commands.subjects.length, commands.subjects.length);
  for (const command of commands.subjects) {
    const started = performance.now();
    const place = new CommandPlace(run, command);
    const recording = await recordCommand(place);
    if ('notRun' in recording) {
      ctx.sink.add(commandNotRunRow(command.name, recording.notRun, recording.reason));
      ctx.progress.note(`crash: ${command.name}: ${recording.reason}`);
      ctx.progress.tick();
      continue;
    }
    const said: string[] = [];
    if (faults.length > 0) {
      const { steps, unaimable } = commandSteps(recording.translation, recording.trace);
      const trials = await runFaults(place, steps, faults, {
        jobs: settings.jobs,
        checkerTimeoutMs: commands.checkerTimeoutMs,
      });
      ctx.sink.addAll(faultRows(command.name, trials, unaimable));
      const reached = trials.filter((trial) => trial.notReached === undefined);
      said.push(
        `${steps.length} steps, ${reached.length} of ${trials.length} faults on target, ` +
          `${reached.filter((trial) => trial.consistent === false).length} left it inconsistent`,
      );
    }
    if (powerLoss) {
      const outcome = await commandPowerLoss(run, place, recording.translation, {
        maxStates: settings.plan.maxStates,
        budgetMs: commands.budgetMs,
        checkerTimeoutMs: commands.checkerTimeoutMs,
        jobs: settings.jobs,
      });
      ctx.sink.addAll(outcome.rows);
      explored.set(command.name, outcome.explorations);
      for (const found of outcome.explorations)
        said.push(`${found.model} ${found.violating.violations}/${found.violating.states} states violating`);
    }
    ctx.progress.note(
      `crash: ${command.name}: ${said.join(', ')} (${Math.round((performance.now() - started) / 1000)} s)`,
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
