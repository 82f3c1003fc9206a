import { CRASH_MARKERS, decodeDetail, judgingModel, METRICS, type CrashScenarioId, type FreshFileSystem, type ResultRow } from '../../core/schema.js';
import { formatNumber, formatPercent, formatSize } from '../format.js';
import { CRASH_GATES } from '../gates/crash.js';
import { blocks, table, untrusted, word } from '../report/markdown.js';
import { imageBlock, imageFigures, poolImages } from './crash-image.js';
import { crashMatrixBlock } from './crash-matrix.js';
import { missingSteps, poolPowerLoss, powerLossBlock, powerLossCause, powerLossFigures } from './crash-powerloss.js';
import type { SuiteSection } from '../section.js';
import type { Figure, GateResult } from '../types.js';

/** Rates a crash row carries with their counts (k of n) in its detail, so shards pool by summing both. */
const RATES = [
  METRICS.corruptionRate,
  METRICS.falseSuccessRate,
  METRICS.orphanTempRate,
  METRICS.tempAfterKillRate,
  METRICS.recoveryRate,
  METRICS.staleTempRate,
  METRICS.conflictDetectedRate,
  METRICS.killLandedRate,
] as const;

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

/** Issue and seed wording for the scenarios, in run order; unknown scenarios keep their id. */
const SCENARIO_TITLES: Record<string, string> = {
  kill_at_step: 'kill at a step (strace)',
  inject_error: 'injected I/O error (strace)',
  fault_point: 'in-process fault point (reference)',
  tiny_fs: 'real ENOSPC on a tiny tmpfs',
  random_kill: 'random kills in a stress loop',
  concurrent: 'concurrent writers',
  power_loss: 'power loss (persistence model)',
  crash_image: 'crash images of a fresh file system',
  cas_stale: 'CAS with a stale hash',
  concurrent_cas: 'concurrent locked CAS',
  lock_rev: 'locked rev counter',
  profile: 'its traces (files outside its box)',
};
const SCENARIO_ORDER = Object.keys(SCENARIO_TITLES);

/** A scenario as the report names it: its title, or an id no crash scenario has, from the input, inert. */
function scenarioText(scenario: string): string {
  return Object.hasOwn(SCENARIO_TITLES, scenario) ? (SCENARIO_TITLES[scenario] as string) : untrusted(scenario);
}

interface Pooled {
  scenario: string;
  subject: string;
  mode: string;
  size: number | null;
  trials: number;
  notReached: number;
  rates: Map<string, { k: number; n: number }>;
  /** Rates whose detail holds no counts (hand-made rows): the worst value seen. */
  loose: Map<string, number>;
  lostUpdate?: number;
  /** Counts per writer from its traces (fixed_temp_name, writes_outside): the worst value seen, and its detail (what was found). */
  worst: Map<string, { value: number; detail: string }>;
}

/** Per-writer counts read from its traces, pooled as the worst run (each names what it found). */
const WORST_OF = [METRICS.fixedTempName, METRICS.writesOutside] as const;

function keyOf(row: ResultRow): string {
  return JSON.stringify([row.scenario, row.subject, row.mode, row.size_bytes]);
}

/** Sums trials, misses and each rate's k and n over every run and shard of the same key. */
function pool(rows: readonly ResultRow[]): Pooled[] {
  const groups = new Map<string, Pooled>();
  const group = (row: ResultRow): Pooled => {
    const key = keyOf(row);
    let entry = groups.get(key);
    if (!entry) {
      entry = { scenario: row.scenario, subject: row.subject, mode: row.mode, size: row.size_bytes, trials: 0, notReached: 0, rates: new Map(), loose: new Map(), worst: new Map() };
      groups.set(key, entry);
    }
    return entry;
  };
  for (const row of rows) {
    if (row.value === null) continue;
    if (row.metric === METRICS.trials) group(row).trials += row.value;
    else if (row.metric === METRICS.notReached) group(row).notReached += row.value;
    else if (row.metric === METRICS.lostUpdateRate) {
      const entry = group(row);
      entry.lostUpdate = Math.max(entry.lostUpdate ?? 0, row.value);
    } else if ((WORST_OF as readonly string[]).includes(row.metric)) {
      const entry = group(row);
      const seen = entry.worst.get(row.metric);
      if (seen === undefined || row.value > seen.value) entry.worst.set(row.metric, { value: row.value, detail: row.detail });
    } else if ((RATES as readonly string[]).includes(row.metric)) {
      const entry = group(row);
      const counted = decodeDetail(row.metric as (typeof RATES)[number], row.detail);
      if (counted) {
        const sum = entry.rates.get(row.metric) ?? { k: 0, n: 0 };
        entry.rates.set(row.metric, { k: sum.k + counted.k, n: sum.n + counted.n });
      } else {
        entry.loose.set(row.metric, Math.max(entry.loose.get(row.metric) ?? Number.NEGATIVE_INFINITY, row.value));
      }
    }
  }
  const order = (scenario: string) => (SCENARIO_ORDER.includes(scenario) ? SCENARIO_ORDER.indexOf(scenario) : SCENARIO_ORDER.length);
  return [...groups.values()].sort((a, b) => order(a.scenario) - order(b.scenario) || (a.size ?? 0) - (b.size ?? 0));
}

function rateOf(entry: Pooled, metric: string): { value: number; note: string } | undefined {
  const counted = entry.rates.get(metric);
  if (counted && counted.n > 0) return { value: counted.k / counted.n, note: `${counted.k}/${counted.n} trials` };
  const loose = entry.loose.get(metric);
  return loose === undefined ? undefined : { value: loose, note: '' };
}

function figuresOf(pooled: readonly Pooled[]): Figure[] {
  const figures: Figure[] = [];
  for (const entry of pooled) {
    const base = { scenario: entry.scenario, subject: entry.subject, mode: entry.mode, size_bytes: entry.size };
    for (const metric of RATES) {
      const rate = rateOf(entry, metric);
      if (rate) figures.push({ ...base, metric, value: rate.value, note: rate.note });
    }
    const attempted = entry.trials + entry.notReached;
    if (attempted > 0) {
      figures.push({ ...base, metric: METRICS.notReachedRate, value: entry.notReached / attempted, note: `${entry.notReached} of ${attempted} trials did not reach their step` });
    }
    if (entry.lostUpdate !== undefined) figures.push({ ...base, metric: METRICS.lostUpdateRate, value: entry.lostUpdate });
    for (const [metric, { value, detail }] of entry.worst) figures.push({ ...base, metric, value, note: detail });
  }
  return figures;
}

/** The gated figures each scenario produces: what a writer it could not judge is not judged on. */
const JUDGED_BY_SCENARIO: Record<string, readonly string[]> = {
  kill_at_step: [METRICS.corruptionRate, METRICS.falseSuccessRate, METRICS.recoveryRate, METRICS.notReachedRate],
  inject_error: [METRICS.corruptionRate, METRICS.falseSuccessRate, METRICS.orphanTempRate, METRICS.notReachedRate],
  power_loss: [METRICS.powerlossAtomicityViolationRate, METRICS.powerlossDurabilityViolationRate],
  crash_image: [METRICS.imageAtomicityViolationRate, METRICS.imageDurabilityViolationRate],
  profile: [METRICS.writesOutside],
};

interface Unjudged {
  scenario: string;
  subject: string;
  size: number | null;
  reason: string;
}

/** Not-judged rows, once per scenario, subject, size and reason (shards and runs say it again). */
function unjudgedOf(rows: readonly ResultRow[]): Unjudged[] {
  const found = new Map<string, Unjudged>();
  for (const row of rows) {
    if (row.metric !== METRICS.notJudged) continue;
    const entry = { scenario: row.scenario, subject: row.subject, size: row.size_bytes, reason: row.detail };
    found.set(JSON.stringify(entry), entry);
  }
  return [...found.values()];
}

/** A figure per gated metric of the scenario, carrying the reason instead of a value: never a pass, never a fail. */
function unjudgedFigures(unjudged: readonly Unjudged[]): Figure[] {
  return unjudged.flatMap((entry) =>
    (JUDGED_BY_SCENARIO[entry.scenario] ?? []).map((metric) => ({ scenario: entry.scenario, subject: entry.subject, mode: 'durable', size_bytes: entry.size, metric, value: null, notJudged: entry.reason })),
  );
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
  const lines = [...bySubject].map(([key, group]) => `- **${untrusted(key.split('\u0000')[0] ?? '')}** (${[...group.sizes].map(formatSize).join(', ')}; ${[...group.scenarios].join(', ')}): ${untrusted(group.reason)}`);
  return blocks(
    '### Not judged',
    'A writer whose trace does not show how it reached its files is not judged: a model of calls the tracer did not see is not a verdict, so these are ' +
      'never counted as passes nor as failures (`--require-judged` makes them fail). The check: replaying every traced call with nothing lost must leave ' +
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
    .map((entry) => [untrusted(entry.subject), scenarioText(entry.scenario), formatSize(entry.size), String(entry.trials), entry.notReached ? `**${entry.notReached}**` : '0', ...COLUMNS.map(([metric]) => rateCell(entry, metric))]);
  return table(['writer', 'scenario', 'size', 'trials', 'not reached', ...COLUMNS.map(([, title]) => title)], rows, ['left', 'left', 'right', 'right', 'right', ...COLUMNS.map(() => 'right' as const)]);
}

function notReachedBlock(rows: readonly ResultRow[], pooled: readonly Pooled[]): string {
  const perScenario = new Map<string, { missed: number; attempted: number }>();
  for (const entry of pooled) {
    const sum = perScenario.get(entry.scenario) ?? { missed: 0, attempted: 0 };
    perScenario.set(entry.scenario, { missed: sum.missed + entry.notReached, attempted: sum.attempted + entry.trials + entry.notReached });
  }
  const counts = table(
    ['scenario', 'trials not reaching their step', 'trials attempted'],
    [...perScenario].filter(([, sum]) => sum.attempted > 0).map(([scenario, sum]) => [scenarioText(scenario), String(sum.missed), String(sum.attempted)]),
    ['left', 'right', 'right'],
  );
  const reasons = new Map<string, number>();
  for (const row of rows) {
    if (row.metric !== METRICS.notReachedTrial) continue;
    const key = `${untrusted(row.subject)} · ${word(row.scenario, SCENARIO_ORDER)} · ${formatSize(row.size_bytes)} — ${notReachedText(row.detail)}`;
    reasons.set(key, (reasons.get(key) ?? 0) + 1);
  }
  const list = [...reasons].map(([text, n]) => `- ${n > 1 ? `${n}× ` : ''}${text}`);
  return blocks(
    '### Trials that did not reach their step',
    'A trial counts only when its own trace shows the fault hit the intended call on the intended file (an injected kill: that call unfinished and its process killed; an injected error: strace marked exactly that call, or retries of the same step, `(INJECTED)`). The others are listed here and left out of every rate.',
    counts,
    list.length ? list.join('\n') : 'None.',
  );
}

/** A trial that did not reach its step, as the list shows it: step, fault, reason, each inert. */
function notReachedText(detail: string): string {
  const trial = decodeDetail(METRICS.notReachedTrial, detail);
  if (!trial) return untrusted(detail);
  return [trial.step ? `step ${untrusted(trial.step)}` : '', trial.fault ? `fault ${untrusted(trial.fault)}` : '', untrusted(trial.reason)].filter(Boolean).join('; ');
}

function failingTrials(rows: readonly ResultRow[]): string {
  const failing = rows.filter((row) => row.metric === METRICS.failedTrial);
  if (failing.length === 0) return blocks('### Failing trials', 'None: no trial corrupted the target, reported a false success, left an orphan temp file or failed to recover.');
  const lines = failing.map((row) => {
    const trial = decodeDetail(METRICS.failedTrial, row.detail);
    if (!trial) return [untrusted(row.subject), scenarioText(row.scenario), formatSize(row.size_bytes), '?', '?', '?', '?', '?'];
    return [untrusted(row.subject), scenarioText(row.scenario), formatSize(row.size_bytes), untrusted(trial.step), untrusted(trial.failed.join(', ')), untrusted(trial.fault), untrusted(trial.held), untrusted(trial.reported)];
  });
  return blocks(
    '### Failing trials',
    `Every trial that broke a rule (${failing.length}): the step, what failed, the fault delivered, what the target held afterwards, and what the writer said.`,
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
    for (const { step, reason } of decodeDetail(METRICS.notApplicable, row.detail) ?? []) if (step && !steps.has(step)) steps.set(step, reason);
    absent.set(row.subject, steps);
  }
  const list = [...profiles.values()].map((row) => {
    const gaps = row.value ?? 0;
    const steps = absent.get(row.subject);
    const missing = steps?.size ? `\n  - steps not on its path, so not killed at: ${[...steps].map(([step, why]) => `${untrusted(step)} (${untrusted(why)})`).join('; ')}` : '';
    return `- **${untrusted(row.subject)}**${gaps > 0 ? ` — ⚠ ${gaps} durability gap${gaps === 1 ? '' : 's'} no kill can show` : ''}: ${untrusted(row.detail)}${missing}`;
  });
  return blocks(
    '### What a kill cannot prove',
    '**A SIGKILL does not lose data the kernel already holds.** A killed process leaves its written pages in the page cache and its rename in the directory, ' +
      'and the kernel writes them out later; only a power loss or a kernel crash drops what was never fsynced. So no kill trial, here or anywhere, can show a ' +
      'missing fsync: a writer that never syncs passes every kill test above and can still come back empty, torn or with the old content after a power loss. ' +
      'What each writer was seen to do in its fault-free trace is listed below; the power-loss model under it judges what those gaps cost.',
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
    const line = `- ${scenarioText(row.scenario)} (${untrusted(row.subject)}, ${formatSize(row.size_bytes)}): overlap not forced — ${untrusted(row.detail)}`;
    if (!seen.has(line)) lines.push(line);
    seen.add(line);
  }
  for (const row of skipped) {
    const line = `- ${row.scenario === CRASH_MARKERS.all ? `${untrusted(row.subject)}: not run` : `${scenarioText(row.scenario)}${row.subject ? ` (${untrusted(row.subject)})` : ''}: skipped`} — ${untrusted(row.detail)}`;
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
  const wall = new Map(rows.filter((row) => row.metric === METRICS.wallSeconds).map((row) => [`${row.run_id}\u0000${row.scenario}`, row.value]));
  const paceRows = pace.map((row) => [row.scenario === CRASH_MARKERS.all ? '**all**' : scenarioText(row.scenario), formatNumber(row.value), `${formatNumber(wall.get(`${row.run_id}\u0000${row.scenario}`) ?? null)} s`, untrusted(row.detail)]);
  const revLines = revs.map((row) => `- ${untrusted(row.subject)}: final rev ${row.value ?? '?'}, ${untrusted(row.detail)}${perWrite.find((p) => p.subject === row.subject) ? `; ${formatNumber(perWrite.find((p) => p.subject === row.subject)?.value)} ms per locked write` : ''}`);
  return blocks('### Pace', paceRows.length ? table(['scenario', 'trials/s', 'wall', 'trials'], paceRows, ['left', 'right', 'right', 'left']) : undefined, revLines.join('\n'));
}

/** A violated crash-image rate carries what the writer's trace shows that explains it, as a power-loss one does. */
function withCauses(figures: readonly Figure[], missing: ReadonlyMap<string, ReadonlySet<string>>): Figure[] {
  return figures.map((figure) => {
    const cause = figure.value !== null && figure.value > 0 ? powerLossCause(figure.metric, missing.get(figure.subject)) : undefined;
    return cause ? { ...figure, cause } : figure;
  });
}

/**
 * crash_image could not run on a fresh file system it can image (--fs ext4, xfs, btrfs): its gates show
 * no data, with the reason, rather than being left out as if no file system had been asked for. On the
 * workspace's own file system (no --fs) they are not configured; a tmpfs has no device to image.
 */
function imagesSkipped(rows: readonly ResultRow[], imaged: number, fs: string): Figure[] {
  if (imaged > 0 || fs === '' || fs === ('tmpfs' satisfies FreshFileSystem)) return [];
  const skipped = rows.find((row) => row.metric === METRICS.skipped && row.scenario === ('crash_image' satisfies CrashScenarioId));
  if (!skipped) return [];
  const note = `crash images skipped: ${skipped.detail}`;
  return [METRICS.imageAtomicityViolationRate, METRICS.imageDurabilityViolationRate, METRICS.imageUnsoundStates].map((metric) => ({ scenario: skipped.scenario, subject: skipped.subject, mode: 'durable', size_bytes: skipped.size_bytes, metric, value: null, note }));
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
    const figures = [...figuresOf(pooled), ...powerLossFigures(poolPowerLoss(rows, gated), gated, missing), ...withCauses(imageFigures(images), missing), ...imagesSkipped(rows, images.length, fs), ...unjudgedFigures(unjudged)];
    const trials = pooled.reduce((sum, entry) => sum + entry.trials, 0);
    const notReached = pooled.reduce((sum, entry) => sum + entry.notReached, 0);
    const failed = rows.filter((row) => row.metric === METRICS.failedTrial).length;
    const render = (gates: readonly GateResult[]): string => {
      const failing = gates.filter((gate) => gate.status === 'fail').length;
      return blocks(
        '## Crash — durability under faults',
        '**How each figure was obtained.** For each writer the suite first records two fault-free traces of its write (`strace -f -y`, in two directories) ' +
          'and finds, in its own sequence of calls, the call at each step: the temp file\'s creation, the k-th write of the payload, the fsync, the rename, ' +
          'the directory fsync. It then kills the writer at the entry of that call (`--inject=…:signal=SIGKILL:when=N`, every spelling of the step) or makes ' +
          'that call fail (`error=ENOSPC|EIO|EXDEV|EACCES`), counting as strace counts — per thread, per syscall — and narrowing to the subject\'s own process ' +
          'or to calls on one file when a helper process or thread would reach the count first. Every trial is then checked against its own trace. ' +
          'Real short writes and ENOSPC come from a 256 KiB tmpfs (on a fresh file system given with `--fs`, from that file system filled to 256 KiB free), never from `retval=` (a lying kernel). Random kills land at seeded moments of the write window; ' +
          'concurrent rounds start K writers at once while a reader polls the target, each writer held by strace right after it creates its temp file ' +
          'until all are, so their write windows overlap however fast they are. A temp file whose name is the same in two fault-free runs is flagged ' +
          'on its own (fixed temp name). After each trial: the target must hash to the old or the new content, ' +
          'the directory must hold nothing else, and what the writer reported must match; after each crash one normal write must succeed. ' +
          `Rates are over the ${trials} trial(s) that reached their step; ${notReached} did not and are listed below.`,
        failing ? `${failing} crash gate instance(s) fail; the trials behind them are listed under Failing trials.` : undefined,
        crashMatrixBlock(gates),
        '### Results per writer',
        resultsTable(pooled),
        unjudgedBlock(unjudged),
        profileBlock(rows),
        powerLossBlock(rows, fs),
        imageBlock(rows, fs),
        notReachedBlock(rows, pooled),
        failingTrials(rows),
        skippedBlock(rows),
        paceBlock(rows),
      );
    };
    const imageCount = images.reduce((sum, entry) => sum + entry.images, 0);
    const imageSummary = images.length ? { crash_images: imageCount, unsound_images: images.reduce((sum, entry) => sum + entry.unsound, 0) } : {};
    return { figures, render, summary: { trials, not_reached: notReached, failed_trials: failed, not_judged: unjudged.length, ...imageSummary } };
  },
};
