/**
 * Kills and injected errors along a command: at every step of every file it touches under its work
 * directory (each create, write, truncate, sync, rename, link, unlink and mkdir of its recorded run),
 * a fresh work directory, the command under strace with a SIGKILL or an errno aimed at that call, its
 * own trace checked to show the fault hit that call, then the checker on the directory as it was left.
 */
import path from 'node:path';
import { encodeDetail, METRICS, type CrashScenarioId, type RowInput } from '../../core/schema.js';
import { mapPool } from '../../core/pool.js';
import { resolveCalls } from '../../core/trace/files.js';
import type { ParsedTrace, TraceCall } from '../../core/trace/strace.js';
import { checkDirectory } from '../checker.js';
import type { LogicalOp } from '../powerloss/types.js';
import type { CommandPlace } from './record.js';
import type { TreeTranslation } from './tree-ops.js';

/** One step of the command's run: the call an op came from, and how strace counts to it. */
export interface CommandStep {
  op: number;
  kind: LogicalOp['kind'];
  /** The call in words, paths relative to the work directory. */
  label: string;
  syscall: string;
  /** It is the `nth` call of `syscall` by the command's own process (strace's when=N, 1-based). */
  nth: number;
  /** The directory of the file it acts on, relative to the work directory. */
  dir: string;
}

/** The errno each kind of step is failed with (once: a retry of the call succeeds). */
const ERRNO: Partial<Record<LogicalOp['kind'], string>> = {
  create: 'EACCES',
  mkdir: 'EACCES',
  write: 'EIO',
  truncate: 'EIO',
  sync: 'EIO',
  sync_all: 'EIO',
  rename: 'EXDEV',
  exchange: 'EXDEV',
  link: 'EACCES',
  symlink: 'EACCES',
  unlink: 'EACCES',
};

/**
 * The steps of a recorded run, and the ones a fault cannot be aimed at (made by a child process,
 * which strace's per-process count of the command's own process does not reach).
 */
export function commandSteps(
  translation: TreeTranslation,
  trace: ParsedTrace,
): { steps: CommandStep[]; unaimable: { label: string; reason: string }[] } {
  const main = trace.calls[0]?.tid;
  const resolved = new Map(resolveCalls(trace, { cwd: translation.root }).map((pc) => [pc.call.seq, pc] as const));
  const steps: CommandStep[] = [];
  const unaimable: { label: string; reason: string }[] = [];
  for (const op of translation.input.ops) {
    if (op.kind === 'close' || ERRNO[op.kind] === undefined) continue;
    const call = trace.calls[translation.seqs[op.index] as number] as TraceCall;
    if (call.tid !== main) {
      unaimable.push({ label: op.call, reason: 'made by a child process of the command' });
      continue;
    }
    // A write that became two ops, or an open that created and truncated, is one call: one step.
    if (steps.some((step) => translation.seqs[step.op] === call.seq)) continue;
    const nth = trace.calls.filter(
      (other) => other.tid === main && other.name === call.name && other.seq <= call.seq,
    ).length;
    const pc = resolved.get(call.seq);
    const file = pc?.fdPath ?? pc?.paths.at(-1) ?? '';
    steps.push({
      op: op.index,
      kind: op.kind,
      label: op.call,
      syscall: call.name,
      nth,
      dir: path.relative(translation.root, path.dirname(file)),
    });
  }
  return { steps, unaimable };
}

export interface FaultTrial {
  scenario: Extract<CrashScenarioId, 'kill_at_step' | 'inject_error'>;
  step: CommandStep;
  fault: string;
  /** Why the fault did not hit the step's call, when it did not (left out of every rate). */
  notReached?: string;
  exitCode?: number;
  /** The checker's verdict on the directory the command left. */
  consistent?: boolean;
  said?: string;
  /** It exited 0 after an fsync it was told failed. */
  falseSuccess?: boolean;
}

/** Every step once with a SIGKILL at its call and once with its errno, each in a fresh work directory. */
export async function runFaults(
  place: CommandPlace,
  steps: readonly CommandStep[],
  scenarios: readonly ('kill_at_step' | 'inject_error')[],
  options: { jobs: number; checkerTimeoutMs: number },
): Promise<FaultTrial[]> {
  const tasks = scenarios.flatMap((scenario) => steps.map((step) => ({ scenario, step })));
  return mapPool(tasks, options.jobs, ({ scenario, step }) =>
    faultTrial(place, scenario, step, options.checkerTimeoutMs),
  );
}

async function faultTrial(
  place: CommandPlace,
  scenario: FaultTrial['scenario'],
  step: CommandStep,
  checkerTimeoutMs: number,
): Promise<FaultTrial> {
  const errno = ERRNO[step.kind] as string;
  const fault = scenario === 'kill_at_step' ? 'SIGKILL' : errno;
  const action = scenario === 'kill_at_step' ? 'signal=SIGKILL' : `error=${errno}`;
  const dir = place.workDir(scenario);
  try {
    const setupFailed = await place.setUp(dir);
    if (setupFailed) return { scenario, step, fault, notReached: setupFailed };
    // Without -f: strace's count is then the command's own process's, as the step's `nth` was counted.
    const { result, trace } = await place.traced(dir, scenario, [
      '-e',
      `inject=${step.syscall}:${action}:when=${step.nth}`,
    ]);
    const missed = missedStep(trace, step, scenario, errno, dir);
    if (missed) return { scenario, step, fault, notReached: missed };
    const verdict = await checkDirectory(
      { argv: place.command.checker.argv, timeoutMs: checkerTimeoutMs },
      dir,
      `the checker of ${place.command.name} after ${fault} at ${step.label}`,
      { env: place.sandbox.env, cwd: dir },
    );
    return {
      scenario,
      step,
      fault,
      ...(result.exitCode !== undefined ? { exitCode: result.exitCode } : {}),
      consistent: verdict.consistent,
      said: verdict.said,
      falseSuccess: scenario === 'inject_error' && step.kind === 'sync' && result.exitCode === 0,
    };
  } finally {
    place.removeWorkDir(dir);
  }
}

/** Why the trial's own trace does not show the fault on the step's call (undefined: it does). */
export function missedStep(
  trace: ParsedTrace,
  step: CommandStep,
  scenario: FaultTrial['scenario'],
  errno: string,
  root: string,
): string | undefined {
  const main = trace.calls[0]?.tid;
  const same = trace.calls.filter((call) => call.tid === main && call.name === step.syscall);
  const hit = same[step.nth - 1];
  if (!hit) return `${step.syscall} call #${step.nth} never came (it made ${same.length})`;
  const pc = resolveCalls(trace, { cwd: root }).find((resolved) => resolved.call.seq === hit.seq);
  const file = pc?.fdPath ?? pc?.paths.at(-1) ?? '';
  const dir = path.relative(root, path.dirname(file));
  if (dir !== step.dir) return `${step.syscall} call #${step.nth} acted on ${dir || '.'}/, not on ${step.dir || '.'}/`;
  if (scenario === 'kill_at_step') {
    const killed = trace.exits.some((exit) => exit.tid === main && exit.killedBy === 'SIGKILL');
    if (hit.finished || !killed) return `${step.syscall} call #${step.nth} was not where the command was killed`;
    return undefined;
  }
  if (!hit.injected || hit.errno !== errno) return `${step.syscall} call #${step.nth} did not fail with ${errno}`;
  return undefined;
}

/** The rows of a command's kill and error trials, per scenario (size class 0, engine strace). */
export function faultRows(
  subject: string,
  size: number,
  trials: readonly FaultTrial[],
  unaimable: readonly { label: string; reason: string }[],
): RowInput[] {
  const rows: RowInput[] = [];
  for (const scenario of ['kill_at_step', 'inject_error'] as const) {
    const own = trials.filter((trial) => trial.scenario === scenario);
    // Steps that could not be aimed (a child process's) still count: all of them unaimed is a not-reached rate of 1.
    if (own.length === 0 && unaimable.length === 0) continue;
    const at = {
      suite: 'crash',
      scenario,
      subject,
      mode: 'durable',
      size_bytes: size,
      engine: 'strace',
    } as const;
    const reached = own.filter((trial) => trial.notReached === undefined);
    const missed = own.length - reached.length + unaimable.length;
    const attempted = own.length + unaimable.length;
    const rate = (metric: typeof METRICS.corruptionRate | typeof METRICS.falseSuccessRate, k: number): void => {
      if (reached.length > 0)
        rows.push({
          ...at,
          metric,
          value: k / reached.length,
          unit: 'ratio',
          detail: encodeDetail(metric, { k, n: reached.length }),
        });
    };
    rows.push({ ...at, metric: METRICS.trials, value: attempted, unit: 'count', detail: '' });
    rows.push({ ...at, metric: METRICS.notReached, value: missed, unit: 'count', detail: '' });
    rows.push({
      ...at,
      metric: METRICS.notReachedRate,
      value: attempted ? missed / attempted : 0,
      unit: 'ratio',
      detail: '',
    });
    rate(METRICS.corruptionRate, reached.filter((trial) => trial.consistent === false).length);
    if (scenario === 'inject_error')
      rate(METRICS.falseSuccessRate, reached.filter((trial) => trial.falseSuccess).length);
    for (const trial of reached) {
      const failed = [
        ...(trial.consistent === false ? ['corruption'] : []),
        ...(trial.falseSuccess ? ['false_success'] : []),
      ];
      if (failed.length === 0) continue;
      rows.push({
        ...at,
        metric: METRICS.failedTrial,
        value: 1,
        unit: 'count',
        detail: encodeDetail(METRICS.failedTrial, {
          step: trial.step.label,
          fault: trial.fault,
          held: trial.consistent === false ? `your checker said: ${trial.said || '(nothing)'}` : 'consistent',
          reported: trial.exitCode === undefined ? 'killed' : `exit ${trial.exitCode}`,
          failed,
        }),
      });
    }
    const notReached = [
      ...own.flatMap((trial) =>
        trial.notReached === undefined
          ? []
          : [{ step: trial.step.label, fault: trial.fault, reason: trial.notReached }],
      ),
      ...unaimable.map((step) => ({ step: step.label, reason: `not aimed: ${step.reason}` })),
    ];
    for (const miss of notReached)
      rows.push({
        ...at,
        metric: METRICS.notReachedTrial,
        value: 1,
        unit: 'count',
        detail: encodeDetail(METRICS.notReachedTrial, miss),
      });
  }
  return rows;
}
