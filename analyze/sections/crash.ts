import {
  CRASH_MARKERS,
  decodeDetail,
  judgingModel,
  METRICS,
  type CrashScenarioId,
  type ResultRow,
} from '../../core/schema.js';
import { formatNumber, formatPercent, formatSize } from '../format.js';
import { CRASH_GATES } from '../gates/crash.js';
import { blocks, table, untrusted, word } from '../report/markdown.js';
import { imageBlock, imageFigures, poolImages } from './crash-image.js';
import { crashMatrixBlock } from './crash-matrix.js';
import {
  BATCH_POWER_LOSS,
  batchPowerLossBlock,
  missingSteps,
  poolPowerLoss,
  powerLossBlock,
  powerLossFigures,
} from './crash-powerloss.js';
import type { SuiteSection } from '../section.js';
import type { GateResult } from '../types.js';

import {
  figuresOf,
  imagesSkipped,
  pool,
  rateOf,
  SCENARIO_ORDER,
  SCENARIO_TITLES,
  unjudgedFigures,
  unjudgedOf,
  withCauses,
  type Pooled,
  type Unjudged,
} from './crash-pool.js';
import { wrapperParityBlock, wrapperParityFigures } from './crash-command.js';

/** Table columns: what each rate is called in RESULTS.md. */
const COLUMNS: ReadonlyArray<[string, string]> = [
  [METRICS.corruptionRate, 'corruption'],
  [METRICS.falseSuccessRate, 'false success'],
  [METRICS.orphanTempRate, 'orphan temps'],
  [METRICS.tempAfterKillRate, 'temps after kill'],
  [METRICS.recoveryRate, 'recovery'],
  [METRICS.staleTempRate, 'stale temps'],
  [METRICS.conflictDetectedRate, 'conflict detected'],
];

/** A scenario as the report names it: its title, or an id no crash scenario has, from the input, inert. */
function scenarioText(scenario: string): string {
  return Object.hasOwn(SCENARIO_TITLES, scenario) ? (SCENARIO_TITLES[scenario] as string) : untrusted(scenario);
}

function unjudgedBlock(unjudged: readonly Unjudged[]): string | undefined {
  if (unjudged.length === 0) return undefined;
  const bySubject = new Map<string, { reason: string; scenarios: Set<string>; sizes: Set<number | null> }>();
  for (const entry of unjudged) {
    const key = `${entry.subject}\u0000${entry.reason}`;
    const group = bySubject.get(key) ?? { reason: entry.reason, scenarios: new Set(), sizes: new Set() };
    group.scenarios.add(scenarioText(entry.scenario));
    group.sizes.add(entry.size);
    bySubject.set(key, group);
  }
  const lines = [...bySubject].map(([key, group]) => {
    const where = `${[...group.sizes].map(formatSize).join(', ')}; ${[...group.scenarios].join(', ')}`;
    return `- **${untrusted(key.split('\u0000')[0] ?? '')}** (${where}): ${untrusted(group.reason)}`;
  });
  return blocks(
    '### Not judged',
    'A writer whose trace does not show how it reached its files is not judged: ' +
      'a model of calls the tracer did not see is not a verdict, so these are ' +
      'never counted as passes nor as failures (`--require-judged` makes them ' +
      'fail). The check: replaying every traced call with nothing lost must leave ' +
      'exactly the names and bytes the real run left, and no call on its files may be one the model does not follow.',
    lines.join('\n'),
  );
}

function rateCell(entry: Pooled, metric: string): string {
  const rate = rateOf(entry, metric);
  if (!rate) return '—';
  const counted = entry.rates.get(metric);
  return counted ? `${formatPercent(rate.value, 0)} (${counted.k}/${counted.n})` : formatPercent(rate.value, 0);
}

function resultsTable(pooled: readonly Pooled[]): string {
  const rows = pooled
    .filter((entry) => entry.trials + entry.notReached > 0)
    .map((entry) => [
      untrusted(entry.subject),
      scenarioText(entry.scenario),
      formatSize(entry.size),
      String(entry.trials),
      entry.notReached ? `**${entry.notReached}**` : '0',
      ...COLUMNS.map(([metric]) => rateCell(entry, metric)),
    ]);
  return table(['writer', 'scenario', 'size', 'trials', 'not reached', ...COLUMNS.map(([, title]) => title)], rows, [
    'left',
    'left',
    'right',
    'right',
    'right',
    ...COLUMNS.map(() => 'right' as const),
  ]);
}

function notReachedBlock(rows: readonly ResultRow[], pooled: readonly Pooled[]): string {
  const perScenario = new Map<string, { missed: number; attempted: number }>();
  for (const entry of pooled) {
    const sum = perScenario.get(entry.scenario) ?? { missed: 0, attempted: 0 };
    perScenario.set(entry.scenario, {
      missed: sum.missed + entry.notReached,
      attempted: sum.attempted + entry.trials + entry.notReached,
    });
  }
  const counts = table(
    ['scenario', 'trials not reaching their step', 'trials attempted'],
    [...perScenario]
      .filter(([, sum]) => sum.attempted > 0)
      .map(([scenario, sum]) => [scenarioText(scenario), String(sum.missed), String(sum.attempted)]),
    ['left', 'right', 'right'],
  );
  const reasons = new Map<string, number>();
  for (const row of rows) {
    if (row.metric !== METRICS.notReachedTrial) continue;
    const trial = `${untrusted(row.subject)} · ${word(row.scenario, SCENARIO_ORDER)} · ${formatSize(row.size_bytes)}`;
    const key = `${trial} — ${notReachedText(row.detail)}`;
    reasons.set(key, (reasons.get(key) ?? 0) + 1);
  }
  const list = [...reasons].map(([text, n]) => `- ${n > 1 ? `${n}× ` : ''}${text}`);
  return blocks(
    '### Trials that did not reach their step',
    'A trial counts only when its own trace shows the fault hit the intended ' +
      'call on the intended file (an injected kill: that call unfinished and ' +
      'its process killed; an injected error: strace marked exactly that call, ' +
      'or retries of the same step, `(INJECTED)`). The others are listed here ' +
      'and left out of every rate.',
    counts,
    list.length ? list.join('\n') : 'None.',
  );
}

/** A trial that did not reach its step, as the list shows it: step, fault, reason, each inert. */
function notReachedText(detail: string): string {
  const trial = decodeDetail(METRICS.notReachedTrial, detail);
  if (!trial) return untrusted(detail);
  return [
    trial.step ? `step ${untrusted(trial.step)}` : '',
    trial.fault ? `fault ${untrusted(trial.fault)}` : '',
    untrusted(trial.reason),
  ]
    .filter(Boolean)
    .join('; ');
}

function failingTrials(rows: readonly ResultRow[]): string {
  const failing = rows.filter((row) => row.metric === METRICS.failedTrial);
  if (failing.length === 0)
    return blocks(
      '### Failing trials',
      'None: no trial corrupted the target, reported a false success, left an orphan temp file or failed to recover.',
    );
  const lines = failing.map((row) => {
    const trial = decodeDetail(METRICS.failedTrial, row.detail);
    if (!trial)
      return [untrusted(row.subject), scenarioText(row.scenario), formatSize(row.size_bytes), '?', '?', '?', '?', '?'];
    return [
      untrusted(row.subject),
      scenarioText(row.scenario),
      formatSize(row.size_bytes),
      untrusted(trial.step),
      untrusted(trial.failed.join(', ')),
      untrusted(trial.fault),
      untrusted(trial.held),
      untrusted(trial.reported),
    ];
  });
  return blocks(
    '### Failing trials',
    `Every trial that broke a rule (${failing.length}): the step, what failed, ` +
      `the fault delivered, what the target held afterwards, and what the writer said.`,
    table(['writer', 'scenario', 'size', 'step', 'failed', 'fault', 'target held', 'writer reported'], lines),
  );
}

function profileBlock(rows: readonly ResultRow[]): string {
  const profiles = new Map<string, ResultRow>();
  for (const row of rows) if (row.metric === METRICS.syscallProfile) profiles.set(row.subject, row);
  // Steps the writer's path does not have (no fsync, no rename, a payload in one call), once each.
  const absent = new Map<string, Map<string, string>>();
  for (const row of rows) {
    if (row.metric !== METRICS.notApplicable || row.scenario !== ('kill_at_step' satisfies CrashScenarioId)) continue;
    const steps = absent.get(row.subject) ?? new Map<string, string>();
    for (const { step, reason } of decodeDetail(METRICS.notApplicable, row.detail) ?? [])
      if (step && !steps.has(step)) steps.set(step, reason);
    absent.set(row.subject, steps);
  }
  const list = [...profiles.values()].map((row) => {
    const gaps = row.value ?? 0;
    const steps = absent.get(row.subject);
    const notKilledAt = [...(steps ?? [])].map(([step, why]) => `${untrusted(step)} (${untrusted(why)})`).join('; ');
    const missing = steps?.size ? `\n  - steps not on its path, so not killed at: ${notKilledAt}` : '';
    const gapText = gaps > 0 ? ` — ⚠ ${gaps} durability gap${gaps === 1 ? '' : 's'} no kill can show` : '';
    return `- **${untrusted(row.subject)}**${gapText}: ${untrusted(row.detail)}${missing}`;
  });
  return blocks(
    '### What a kill cannot prove',
    '**A SIGKILL does not lose data the kernel already holds.** A killed process ' +
      'leaves its written pages in the page cache and its rename in the directory, ' +
      'and the kernel writes them out later; only a power loss or a kernel crash ' +
      'drops what was never fsynced. So no kill trial, here or anywhere, can show a ' +
      'missing fsync: a writer that never syncs passes every kill test above ' +
      'and can still come back empty, torn or with the old content after a power loss. ' +
      'What each writer was seen to do in its fault-free trace is listed below; ' +
      'the power-loss model under it judges what those gaps cost.',
    list.length ? list.join('\n') : 'No syscall profile in the input (the strace scenarios did not run).',
  );
}

function skippedBlock(rows: readonly ResultRow[]): string | undefined {
  const skipped = rows.filter((row) => row.metric === METRICS.skipped);
  const unforced = rows.filter((row) => row.metric === METRICS.overlapNotForced);
  if (skipped.length === 0 && unforced.length === 0) return undefined;
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const row of unforced) {
    const line =
      `- ${scenarioText(row.scenario)} (${untrusted(row.subject)}, ${formatSize(row.size_bytes)}): ` +
      `overlap not forced — ${untrusted(row.detail)}`;
    if (!seen.has(line)) lines.push(line);
    seen.add(line);
  }
  for (const row of skipped) {
    const what =
      row.scenario === CRASH_MARKERS.all
        ? `${untrusted(row.subject)}: not run`
        : `${scenarioText(row.scenario)}${row.subject ? ` (${untrusted(row.subject)})` : ''}: skipped`;
    const line = `- ${what} — ${untrusted(row.detail)}`;
    if (!seen.has(line)) lines.push(line);
    seen.add(line);
  }
  return blocks('### Skipped', lines.join('\n'));
}

function paceBlock(rows: readonly ResultRow[]): string | undefined {
  const pace = rows.filter((row) => row.metric === METRICS.trialsPerSecond && row.value !== null);
  const revs = rows.filter((row) => row.metric === METRICS.finalRev);
  const perWrite = rows.filter((row) => row.metric === 'ms_per_write' && row.value !== null);
  if (pace.length === 0 && revs.length === 0) return undefined;
  const wall = new Map(
    rows
      .filter((row) => row.metric === METRICS.wallSeconds)
      .map((row) => [`${row.run_id}\u0000${row.scenario}`, row.value]),
  );
  const paceRows = pace.map((row) => [
    row.scenario === CRASH_MARKERS.all ? '**all**' : scenarioText(row.scenario),
    formatNumber(row.value),
    `${formatNumber(wall.get(`${row.run_id}\u0000${row.scenario}`) ?? null)} s`,
    untrusted(row.detail),
  ]);
  const revLines = revs.map((row) => {
    const locked = perWrite.find((p) => p.subject === row.subject);
    const perLockedWrite = locked ? `; ${formatNumber(locked.value)} ms per locked write` : '';
    return `- ${untrusted(row.subject)}: final rev ${row.value ?? '?'}, ${untrusted(row.detail)}${perLockedWrite}`;
  });
  return blocks(
    '### Pace',
    paceRows.length
      ? table(['scenario', 'trials/s', 'wall', 'trials'], paceRows, ['left', 'right', 'right', 'left'])
      : undefined,
    revLines.join('\n'),
  );
}

export const crashSection: SuiteSection = {
  suite: 'crash',
  title: 'Crash — durability under faults',
  gates: CRASH_GATES,
  prepare({ rows, fs = '' }) {
    const pooled = pool(rows);
    const unjudged = unjudgedOf(rows);
    // Power loss is judged by the model of the file system the rows were made on (posix on the workspace's own).
    const gated = judgingModel(fs);
    const images = poolImages(rows);
    const missing = missingSteps(rows);
    const figures = [
      ...figuresOf(pooled),
      ...powerLossFigures(poolPowerLoss(rows, gated), gated, missing),
      ...powerLossFigures(poolPowerLoss(rows, gated, BATCH_POWER_LOSS), gated, new Map(), BATCH_POWER_LOSS),
      ...withCauses(imageFigures(images), missing),
      ...imagesSkipped(rows, images.length, fs),
      ...unjudgedFigures(unjudged),
      ...wrapperParityFigures(rows, fs),
    ];
    const trials = pooled.reduce((sum, entry) => sum + entry.trials, 0);
    const notReached = pooled.reduce((sum, entry) => sum + entry.notReached, 0);
    const failed = rows.filter((row) => row.metric === METRICS.failedTrial).length;
    const render = (gates: readonly GateResult[]): string => {
      const failing = gates.filter((gate) => gate.status === 'fail').length;
      return blocks(
        '## Crash — durability under faults',
        '**How each figure was obtained.** For each writer the suite first records ' +
          'two fault-free traces of its write (`strace -f -y`, in two directories) ' +
          'and finds, in its own sequence of calls, the call at each step: the temp ' +
          "file's creation, the k-th write of the payload, the fsync, the rename, " +
          'the directory fsync. It then kills the writer at the entry of that call ' +
          '(`--inject=…:signal=SIGKILL:when=N`, every spelling of the step) or makes ' +
          'that call fail (`error=ENOSPC|EIO|EXDEV|EACCES`), counting as strace ' +
          "counts — per thread, per syscall — and narrowing to the subject's own process " +
          'or to calls on one file when a helper process or thread would reach the ' +
          'count first. Every trial is then checked against its own trace. ' +
          'Real short writes and ENOSPC come from a 256 KiB tmpfs (on a fresh file ' +
          'system given with `--fs`, from that file system filled to 256 KiB free), ' +
          'never from `retval=` (a lying kernel). Random kills land at seeded moments ' +
          'of the write window; ' +
          'concurrent rounds start K writers at once while a reader polls the target, ' +
          'each writer held by strace right after it creates its temp file ' +
          'until all are, so their write windows overlap however fast they are. ' +
          'A temp file whose name is the same in two fault-free runs is flagged ' +
          'on its own (fixed temp name). After each trial: the target must hash to the old or the new content, ' +
          'the directory must hold nothing else, and what the writer reported must ' +
          'match; after each crash one normal write must succeed. ' +
          `Rates are over the ${trials} trial(s) that reached their step; ${notReached} did not and are listed below.`,
        failing
          ? `${failing} crash gate instance(s) fail; the trials behind them are listed under Failing trials.`
          : undefined,
        crashMatrixBlock(gates),
        '### Results per writer',
        resultsTable(pooled),
        unjudgedBlock(unjudged),
        profileBlock(rows),
        powerLossBlock(rows, fs),
        batchPowerLossBlock(rows, fs),
        wrapperParityBlock(rows, fs),
        imageBlock(rows, fs),
        notReachedBlock(rows, pooled),
        failingTrials(rows),
        skippedBlock(rows),
        paceBlock(rows),
      );
    };
    const imageCount = images.reduce((sum, entry) => sum + entry.images, 0);
    const imageSummary = images.length
      ? { crash_images: imageCount, unsound_images: images.reduce((sum, entry) => sum + entry.unsound, 0) }
      : {};
    return {
      figures,
      render,
      summary: { trials, not_reached: notReached, failed_trials: failed, not_judged: unjudged.length, ...imageSummary },
    };
  },
};
