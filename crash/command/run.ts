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
import { commandNotRunRow, UNSIZED } from './rows.js';
import { isSized } from './spec.js';
import { pickSizes } from '../cases.js';
import { modelsFor } from '../scenarios/power-loss.js';

export async function runCommands(run: CrashRun, commands: CommandSettings): Promise<void> {
  const { ctx, settings } = run;
  const explored = new Map<string, CommandExploration[]>();
  const faults = (['kill_at_step', 'inject_error'] as const).filter((id) => settings.scenarios.includes(id));
  const units = commands.subjects.flatMap((command) =>
    (isSized(command) ? pickSizes(ctx.sizes, settings.plan.sizes.injected) : [UNSIZED]).map((size) => ({
      command,
      size,
    })),
  );
  ctx.progress.start('crash commands', units.length, units.length);
  for (const { command, size } of units) {
    const started = performance.now();
    const place = new CommandPlace(run, command, size);
    const recording = await recordCommand(place);
    const label = size === UNSIZED ? command.name : `${command.name} (${size} bytes)`;
    if ('notRun' in recording) {
      ctx.sink.add(commandNotRunRow(command.name, size, recording.notRun, recording.reason));
      ctx.progress.note(`crash: ${label}: ${recording.reason}`);
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
      ctx.sink.addAll(faultRows(command.name, size, trials, unaimable));
      const reached = trials.filter((trial) => trial.notReached === undefined);
      said.push(
        `${steps.length} steps, ${reached.length} of ${trials.length} faults on target, ` +
          `${reached.filter((trial) => trial.consistent === false).length} left it inconsistent`,
      );
    }
    if (settings.scenarios.includes('power_loss')) {
      const outcome = await commandPowerLoss(run, place, recording.translation, {
        maxStates: settings.plan.maxStates,
        budgetMs: commands.budgetMs,
        checkerTimeoutMs: commands.checkerTimeoutMs,
        jobs: settings.jobs,
      });
      ctx.sink.addAll(outcome.rows);
      explored.set(`${command.name}\u0000${size}`, outcome.explorations);
      for (const found of outcome.explorations)
        said.push(`${found.model} ${found.violating.violations}/${found.violating.states} states violating`);
    }
    const seconds = Math.round((performance.now() - started) / 1000);
    ctx.progress.note(`crash: ${label}: ${said.join(', ')} (${seconds} s)`);
    ctx.progress.tick();
  }
  ctx.progress.finish();
  // Parity needs power loss; each model it would have been explored under gets a parity row, decided or not.
  const models = settings.scenarios.includes('power_loss') ? modelsFor(ctx.trials.fsName) : [];
  for (const { command, size } of units) {
    if (!command.wraps || models.length === 0) continue;
    ctx.sink.addAll(
      wrapperParityRows(
        command.wraps,
        command.name,
        size,
        explored.get(`${command.wraps.native}\u0000${size}`) ?? [],
        explored.get(`${command.name}\u0000${size}`) ?? [],
        models,
      ),
    );
  }
}
