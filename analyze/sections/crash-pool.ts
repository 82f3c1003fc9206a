/**
 * crash rows decoded and pooled into figures: trials, misses and each rate's k of n summed over runs
 * and shards, the writers a scenario could not judge, and the crash-image figures beside them.
 * crash.ts renders them.
 */
import {
  decodeDetail,
  METRICS,
  type CrashScenarioId,
  type FreshFileSystem,
  type ResultRow,
} from '../../core/schema.js';
import type { Figure } from '../types.js';
import { powerLossCause } from './crash-powerloss.js';

/** Rates a crash row carries with their counts (k of n) in its detail, so shards pool by summing both. */
export const RATES = [
  METRICS.corruptionRate,
  METRICS.falseSuccessRate,
  METRICS.orphanTempRate,
  METRICS.tempAfterKillRate,
  METRICS.recoveryRate,
  METRICS.staleTempRate,
  METRICS.conflictDetectedRate,
  METRICS.killLandedRate,
] as const;

/** Issue and seed wording for the scenarios, in run order; unknown scenarios keep their id. */
export const SCENARIO_TITLES: Record<string, string> = {
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
  batch_kill_at_step: 'batch: kill at a step (strace)',
  batch_inject_error: 'batch: injected I/O error (strace)',
  batch_power_loss: 'batch: power loss (persistence model)',
  profile: 'its traces (files outside its box)',
};
export const SCENARIO_ORDER = Object.keys(SCENARIO_TITLES);

export interface Pooled {
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
  /**
   * Counts per writer from its traces (fixed_temp_name, writes_outside): the worst value seen, and its detail (what
   * was found).
   */
  worst: Map<string, { value: number; detail: string }>;
}

/** Per-writer counts read from its traces, pooled as the worst run (each names what it found). */
const WORST_OF = [METRICS.fixedTempName, METRICS.writesOutside] as const;

function keyOf(row: ResultRow): string {
  return JSON.stringify([row.scenario, row.subject, row.mode, row.size_bytes]);
}

/** Sums trials, misses and each rate's k and n over every run and shard of the same key. */
export function pool(rows: readonly ResultRow[]): Pooled[] {
  const groups = new Map<string, Pooled>();
  const group = (row: ResultRow): Pooled => {
    const key = keyOf(row);
    let entry = groups.get(key);
    if (!entry) {
      entry = {
        scenario: row.scenario,
        subject: row.subject,
        mode: row.mode,
        size: row.size_bytes,
        trials: 0,
        notReached: 0,
        rates: new Map(),
        loose: new Map(),
        worst: new Map(),
      };
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
      if (seen === undefined || row.value > seen.value)
        entry.worst.set(row.metric, { value: row.value, detail: row.detail });
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
  const order = (scenario: string) =>
    SCENARIO_ORDER.includes(scenario) ? SCENARIO_ORDER.indexOf(scenario) : SCENARIO_ORDER.length;
  return [...groups.values()].sort((a, b) => order(a.scenario) - order(b.scenario) || (a.size ?? 0) - (b.size ?? 0));
}

export function rateOf(entry: Pooled, metric: string): { value: number; note: string } | undefined {
  const counted = entry.rates.get(metric);
  if (counted && counted.n > 0) return { value: counted.k / counted.n, note: `${counted.k}/${counted.n} trials` };
  const loose = entry.loose.get(metric);
  return loose === undefined ? undefined : { value: loose, note: '' };
}

export function figuresOf(pooled: readonly Pooled[]): Figure[] {
  const figures: Figure[] = [];
  for (const entry of pooled) {
    const base = { scenario: entry.scenario, subject: entry.subject, mode: entry.mode, size_bytes: entry.size };
    for (const metric of RATES) {
      const rate = rateOf(entry, metric);
      if (rate) figures.push({ ...base, metric, value: rate.value, note: rate.note });
    }
    const attempted = entry.trials + entry.notReached;
    if (attempted > 0) {
      figures.push({
        ...base,
        metric: METRICS.notReachedRate,
        value: entry.notReached / attempted,
        note: `${entry.notReached} of ${attempted} trials did not reach their step`,
      });
    }
    if (entry.lostUpdate !== undefined)
      figures.push({ ...base, metric: METRICS.lostUpdateRate, value: entry.lostUpdate });
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
  batch_kill_at_step: [METRICS.corruptionRate, METRICS.falseSuccessRate, METRICS.recoveryRate, METRICS.notReachedRate],
  batch_inject_error: [
    METRICS.corruptionRate,
    METRICS.falseSuccessRate,
    METRICS.orphanTempRate,
    METRICS.notReachedRate,
  ],
  batch_power_loss: [METRICS.powerlossAtomicityViolationRate, METRICS.powerlossDurabilityViolationRate],
  profile: [METRICS.writesOutside],
};

export interface Unjudged {
  scenario: string;
  subject: string;
  size: number | null;
  reason: string;
}

/** Not-judged rows, once per scenario, subject, size and reason (shards and runs say it again). */
export function unjudgedOf(rows: readonly ResultRow[]): Unjudged[] {
  const found = new Map<string, Unjudged>();
  for (const row of rows) {
    if (row.metric !== METRICS.notJudged) continue;
    const entry = { scenario: row.scenario, subject: row.subject, size: row.size_bytes, reason: row.detail };
    found.set(JSON.stringify(entry), entry);
  }
  return [...found.values()];
}

/** A figure per gated metric of the scenario, carrying the reason instead of a value: never a pass, never a fail. */
export function unjudgedFigures(unjudged: readonly Unjudged[]): Figure[] {
  return unjudged.flatMap((entry) =>
    (JUDGED_BY_SCENARIO[entry.scenario] ?? []).map((metric) => ({
      scenario: entry.scenario,
      subject: entry.subject,
      mode: 'durable',
      size_bytes: entry.size,
      metric,
      value: null,
      notJudged: entry.reason,
    })),
  );
}

/** A violated crash-image rate carries what the writer's trace shows that explains it, as a power-loss one does. */
export function withCauses(figures: readonly Figure[], missing: ReadonlyMap<string, ReadonlySet<string>>): Figure[] {
  return figures.map((figure) => {
    const cause =
      figure.value !== null && figure.value > 0
        ? powerLossCause(figure.metric, missing.get(figure.subject))
        : undefined;
    return cause ? { ...figure, cause } : figure;
  });
}

/**
 * crash_image could not run on a fresh file system it can image (--fs ext4, xfs, btrfs): its gates show
 * no data, with the reason, rather than being left out as if no file system had been asked for. On the
 * workspace's own file system (no --fs) they are not configured; a tmpfs has no device to image.
 */
export function imagesSkipped(rows: readonly ResultRow[], imaged: number, fs: string): Figure[] {
  if (imaged > 0 || fs === '' || fs === ('tmpfs' satisfies FreshFileSystem)) return [];
  const skipped = rows.find(
    (row) => row.metric === METRICS.skipped && row.scenario === ('crash_image' satisfies CrashScenarioId),
  );
  if (!skipped) return [];
  const note = `crash images skipped: ${skipped.detail}`;
  return [METRICS.imageAtomicityViolationRate, METRICS.imageDurabilityViolationRate, METRICS.imageUnsoundStates].map(
    (metric) => ({
      scenario: skipped.scenario,
      subject: skipped.subject,
      mode: 'durable',
      size_bytes: skipped.size_bytes,
      metric,
      value: null,
      note,
    }),
  );
}
