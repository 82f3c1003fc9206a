import { HOOK_SCENARIOS, METRICS, type ResultRow } from '../../core/schema.js';
import { formatNumber } from '../format.js';
import { FLOOR_LEVEL_SHARE, FLOOR_SPREAD_SHARE } from '../gates/floor.js';
import { table, untrusted, word } from '../report/markdown.js';
import type { Figure, GateResult } from '../types.js';

/** Runtimes the hook suite names itself (hook/floor.ts); any other is an interpreter's file name, from the input. */
const RUNTIMES = ['node', 'python', 'shell'];

/** One hook × env set's latency in one run: the hook's own figures and the floor's beside them. */
export interface HookLatency {
  run: string;
  hook: string;
  envSet: string;
  p50: number | null;
  p95: number | null;
  /** The hook's p95 row's detail (why it is empty, when it is). */
  detail: string;
  floor: { runtime: string; command: string; p50: number; p95: number; samples: number | null } | { none: string };
  /** p95 − the floor's p95 (never below 0), when there is a floor; else the p95 itself. */
  judged: number | null;
}

/** Results written before the floor existed have no floor rows: their latency is judged as it was. */
const NO_FLOOR_ROWS = 'no floor in these results (they were written before writegate timed one beside the hook)';

/** Each hook × env set × run with a latency row, its floor joined from the same run's rows. */
export function hookLatencies(rows: readonly ResultRow[]): HookLatency[] {
  const policy = rows.filter((row) => row.scenario === HOOK_SCENARIOS.policy && row.sample === null);
  const keyOf = (row: ResultRow) => JSON.stringify([row.run_id, row.subject, row.mode]);
  const byKey = new Map<string, Map<string, ResultRow>>();
  for (const row of policy) {
    const metrics = byKey.get(keyOf(row)) ?? new Map<string, ResultRow>();
    if (!metrics.has(row.metric)) metrics.set(row.metric, row);
    byKey.set(keyOf(row), metrics);
  }
  const out: HookLatency[] = [];
  for (const metrics of byKey.values()) {
    const p95 = metrics.get(METRICS.hookLatencyP95);
    if (!p95) continue;
    const floorP50 = metrics.get(METRICS.hookFloorP50)?.value ?? null;
    const floorP95Row = metrics.get(METRICS.hookFloorP95);
    const floorP95 = floorP95Row?.value ?? null;
    const floor: HookLatency['floor'] =
      floorP50 !== null && floorP95 !== null
        ? {
            runtime: metrics.get(METRICS.hookFloorRuntime)?.detail ?? '',
            command: metrics.get(METRICS.hookFloorCommand)?.detail ?? '',
            p50: floorP50,
            p95: floorP95,
            samples: metrics.get(METRICS.hookFloorSamples)?.value ?? null,
          }
        : { none: floorP95Row ? floorP95Row.detail || 'no floor' : NO_FLOOR_ROWS };
    const judged = p95.value === null ? null : 'none' in floor ? p95.value : Math.max(0, p95.value - floor.p95);
    out.push({
      run: p95.run_id,
      hook: p95.subject,
      envSet: p95.mode,
      p50: metrics.get(METRICS.hookLatencyP50)?.value ?? null,
      p95: p95.value,
      detail: p95.detail,
      floor,
      judged,
    });
  }
  return out;
}

/**
 * The figures `hook.latency_p95` judges: the hook's p95 net of its floor's, with the floor beside it
 * so the gate can read a loaded machine as too noisy (analyze/gates/floor.ts); with no floor, the p95
 * itself against the budget alone, and a note saying so.
 */
export function latencyFigures(latencies: readonly HookLatency[]): Figure[] {
  return latencies.map((latency) => {
    const base = {
      scenario: HOOK_SCENARIOS.policy,
      subject: latency.hook,
      mode: latency.envSet,
      size_bytes: null,
      metric: METRICS.hookLatencyP95,
    };
    if (latency.p95 === null) return { ...base, value: null, ...(latency.detail ? { note: latency.detail } : {}) };
    if ('none' in latency.floor)
      return { ...base, value: latency.p95, note: `${latency.floor.none}; judged against the budget alone` };
    const { runtime, p50, p95 } = latency.floor;
    return {
      ...base,
      value: latency.judged,
      note:
        `net of the floor: the hook ${formatNumber(latency.p95)} ms p95 − a no-op ` +
        `of ${runtime} ${formatNumber(p95)} ms p95, timed in the same pass`,
      floor: { runtime, p50, p95 },
    };
  });
}

function runtimeText(runtime: string): string {
  return word(runtime, RUNTIMES);
}

function ms(value: number | null): string {
  return value === null ? '—' : `${formatNumber(value)} ms`;
}

/** How the gate read one latency: its status, for the table (the gate table has the whole reason). */
function verdictOf(latency: HookLatency, gates: readonly GateResult[]): string {
  const gate = gates.find(
    (g) => g.id === 'hook.latency_p95' && g.subject === latency.hook && g.mode === latency.envSet,
  );
  if (!gate) return '—';
  if (gate.status === 'not_judged') return 'too noisy to judge';
  return gate.status === 'pass' ? 'pass' : gate.status === 'fail' ? 'fail' : gate.status.replace('_', ' ');
}

/** RESULTS.md: each hook's latency net of its floor, with the floor beside it, and how the gate read it. */
export function latencyBlock(
  latencies: readonly HookLatency[],
  gates: readonly GateResult[],
  envSetText: (envSet: string) => string,
): string | undefined {
  if (latencies.length === 0) return undefined;
  const runs = new Set(latencies.map((latency) => latency.run)).size;
  const rows = latencies.map((latency) => {
    const floor =
      'none' in latency.floor
        ? `none: ${untrusted(latency.floor.none)}`
        : `${runtimeText(latency.floor.runtime)}: ${ms(latency.floor.p50)} / ${ms(latency.floor.p95)}`;
    const net = 'none' in latency.floor ? `— (judged: ${ms(latency.judged)}, the p95 itself)` : ms(latency.judged);
    return [
      ...(runs > 1 ? [untrusted(latency.run)] : []),
      untrusted(latency.hook),
      envSetText(latency.envSet),
      `${ms(latency.p50)} / ${ms(latency.p95)}`,
      floor,
      net,
      verdictOf(latency, gates),
    ];
  });
  return [
    `A hook's time is mostly its runtime starting, and a loaded machine stretches ` +
      `that: the same Node hook can take 50 ms p95 on a quiet machine and over ` +
      `100 ms on a busy one. ` +
      `So beside each hook, in the same pass, writegate times its **floor** ` +
      `— a no-op on the same runtime (the same node, python or shell; another ` +
      `interpreter runs an empty program), ` +
      `each call of it next to a call of the hook, with the same input, so load ` +
      `hits both alike. The gate judges the hook's p95 **net of the floor's** ` +
      `(hook p95 − floor p95: what the hook adds to its runtime's start). ` +
      `When the floor itself is slow — its p95 above ${FLOOR_LEVEL_SHARE * 100}% ` +
      `of the budget, or ${FLOOR_SPREAD_SHARE * 100}% of the budget above its ` +
      `p50 — the machine was too loaded to tell, and the gate reads **too noisy ` +
      `to judge**: not a pass, not a fail. ` +
      'A hook whose runtime writegate cannot name (a native program) has no ' +
      'floor and is judged on its p95 against the budget alone.',
    table(
      [
        ...(runs > 1 ? ['run'] : []),
        'hook',
        'env set',
        'hook p50 / p95',
        'floor (no-op of): p50 / p95',
        'p95 net of the floor',
        'latency gate',
      ],
      rows,
      [...(runs > 1 ? (['left'] as const) : []), 'left', 'left', 'right', 'right', 'right', 'left'],
    ),
  ].join('\n\n');
}
