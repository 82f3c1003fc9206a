import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../core/errors.js';
import { safeFileName } from '../core/names.js';
import { mapPool } from '../core/pool.js';
import { runProcess } from '../core/process.js';
import type { ProgressSink } from '../core/progress.js';
import type { RowInput } from '../core/schema.js';
import { disagreementRatio, median } from '../core/stats.js';
import type { TransportOverhead, WriterSession, WriterSubject } from '../core/subjects/types.js';
import type { WriteMode } from '../core/writer/types.js';
import type { SuiteContext } from '../core/suite.js';
import { straceUnavailableReason } from '../core/tools.js';
import { BATCH_SCENARIO, DEFAULT_BENCH_SCENARIOS, SCENARIO, sizeLabel, type EngineName } from './cases.js';
import { runBatch } from './batch-runner.js';
import { tracedRunProblem } from './checks.js';
import { monotonicClock, type Clock } from './clock.js';
import { PayloadStore, type SizePayloads } from './payloads.js';
import {
  countDetail,
  firstWarmup,
  laterWarmup,
  PARALLEL_TRACES,
  plannedCount,
  timingGroups,
  tracedLines,
  type BenchSettings,
  type BenchLine,
  type SamplingPlan,
  type TimingGroup,
} from './plan.js';
import {
  accountingDetail,
  accountingRows,
  accountingSkippedRow,
  contentRow,
  disagreementRow,
  latencyRows,
  netLatencyRow,
  overheadRows,
  samplingDetail,
  writeErrorRow,
  type Accounting,
  type LineKey,
} from './rows.js';
import { accountTrace, straceArgv } from './strace-log.js';
import { seccompFilterWorks } from '../core/trace/seccomp.js';
import { lineSummary, roundMs } from './summary.js';
import { accountingWork, groupWork } from './work.js';
import { sampleGroup, timedCalls, type Contestant, type SamplingSettings, type Tally } from './timing.js';
import { WriteCycle } from './write-cycle.js';

/** Seams for tests: a clock that moves only when told to, a pretend-missing strace. */
export interface BenchDeps {
  clock?: Clock;
  straceUnavailable?: () => string | undefined;
}

/**
 * The bench suite: a timing pass (every subject × mode × size on the chosen engines), then a
 * separate accounting pass (strace on one-shot writes). Rows go to ctx.sink as they are made.
 */
export async function runBench(ctx: SuiteContext, settings: BenchSettings, deps: BenchDeps = {}): Promise<void> {
  if (ctx.subjects.length === 0)
    throw new InputError("bench: no writer subjects to bench (check --subjects and the config's builtins)");
  const scenarios = settings.scenarios ?? DEFAULT_BENCH_SCENARIOS;
  if (scenarios.includes(SCENARIO)) await runWriteScenario(ctx, settings, deps);
  if (scenarios.includes(BATCH_SCENARIO)) await runBatch(ctx, settings, deps);
}

/** The write scenario: the timing pass, then the accounting pass. */
async function runWriteScenario(ctx: SuiteContext, settings: BenchSettings, deps: BenchDeps): Promise<void> {
  if (ctx.sizes.length === 0) throw new InputError('bench: no payload sizes (check --sizes)');
  const sizes = [...new Set(ctx.sizes)];
  const emit = (rows: readonly RowInput[]): void => ctx.sink.addAll(rows);
  const payloads = new PayloadStore(ctx.workspace.dir('bench', 'payloads'), ctx.seed);
  await runTiming({
    dir: ctx.trials.dir('bench', 'timing'),
    subjects: ctx.subjects,
    sizes,
    modes: settings.modes,
    engines: settings.engines,
    plan: settings.plan,
    clock: deps.clock ?? monotonicClock,
    payloads,
    progress: ctx.progress,
    emit,
  });
  if (settings.plan.tracedWrites === 0) return;
  const unavailable = (deps.straceUnavailable ?? straceUnavailableReason)();
  if (unavailable) {
    // Reached only under --skip-unavailable (the CLI refuses a run that needs strace without it).
    ctx.progress.note(
      `bench: ${unavailable} (fsync_count, rename_count, bytes_written, write_amplification ` +
        `rows are not written; timings are)`,
    );
    emit([accountingSkippedRow(unavailable)]);
    return;
  }
  const jobs: AccountingJob[] = tracedLines(ctx.subjects, sizes, settings.modes, settings.plan).map((line) => ({
    ...line,
    payloads: payloads.forSize(line.size),
  }));
  emit(
    await runAccounting(jobs, {
      dir: ctx.trials.dir('bench', 'trace'),
      tracedWrites: settings.plan.tracedWrites,
      progress: ctx.progress,
    }),
  );
}

export interface TimingSettings extends SamplingSettings {
  /** Where line targets and calibration scratch go (inside the run's workspace). */
  dir: string;
  subjects: readonly WriterSubject[];
  sizes: readonly number[];
  modes: readonly WriteMode[];
  engines: readonly EngineName[];
  payloads: PayloadStore;
  emit(rows: readonly RowInput[]): void;
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * The timing pass. Subjects of one size and mode form a group; each gets a fresh target directory,
 * each engine starts every target from the same state, every sample is a real change (or, for
 * unchanged, a real no-op), and the group's samples are taken in rounds, subjects taking turns. The
 * target is read back after writes spread over each engine's run (WriteCycle), never inside a timed
 * window: in the engine's per-iteration prepare, between rounds and after the last round.
 */
export async function runTiming(settings: TimingSettings): Promise<void> {
  const { progress } = settings;
  for (const subject of settings.subjects) {
    const skipped = settings.modes.filter((mode) => !subject.modes.includes(mode));
    if (skipped.length)
      progress.note(
        `bench: ${subject.name} does not support ${skipped.join(', ')} ` +
          `(it supports ${subject.modes.join(', ')}); skipped`,
      );
  }
  const overheads = new Map<string, TransportOverhead | undefined>();
  for (const subject of settings.subjects) overheads.set(subject.name, await calibrate(subject, settings));

  const groups = timingGroups(settings.subjects, settings.sizes, settings.modes);
  let lineIndex = 0;
  for (const [groupIndex, group] of groups.entries()) {
    const label = `bench ${groupIndex + 1}/${groups.length} ${group.mode} ${sizeLabel(group.size)}`;
    await runGroup(group, lineIndex, label, overheads, settings);
    lineIndex += group.subjects.length;
  }
  progress.finish();
}

/** One case of the timing pass: open each subject's session, sample the group on every engine, write its rows. */
async function runGroup(
  group: TimingGroup,
  firstIndex: number,
  label: string,
  overheads: ReadonlyMap<string, TransportOverhead | undefined>,
  settings: TimingSettings,
): Promise<void> {
  const contestants: Contestant[] = [];
  let lineIndex = firstIndex;
  try {
    for (const subject of group.subjects) {
      const key: LineKey = { subject: subject.name, mode: group.mode, size_bytes: group.size };
      const dir = path.join(
        settings.dir,
        `${lineIndex++}-${safeFileName(subject.name)}-${group.mode}-${sizeLabel(group.size)}`,
      );
      fs.mkdirSync(dir, { recursive: true });
      let session: WriterSession;
      try {
        session = await subject.open();
      } catch (error) {
        settings.progress.note(
          `bench: ${subject.name} ${group.mode} ${sizeLabel(group.size)}: cannot open a session: ${message(error)}`,
        );
        settings.emit([writeErrorRow(key, '', `cannot open a session: ${message(error)}`)]);
        continue;
      }
      contestants.push({
        subject,
        key,
        cycle: new WriteCycle(path.join(dir, 'target.bin'), settings.payloads.forSize(group.size), group.mode),
        session,
        calls: timedCalls(session),
        overhead: overheads.get(subject.name),
      });
    }
    const p50s = new Map<Contestant, Map<EngineName, number>>(contestants.map((c) => [c, new Map()]));
    for (const engineName of settings.engines) {
      const tallies = await sampleGroup(
        contestants,
        engineName,
        `${label}${settings.engines.length > 1 ? ` [${engineName}]` : ''}`,
        settings,
        groupWork(group, settings.plan),
      );
      for (const tally of tallies) {
        const p50 = emitTally(tally, engineName, settings);
        if (p50 !== undefined) p50s.get(tally.contestant)?.set(engineName, p50);
      }
    }
    const [first, other] = settings.engines;
    for (const [contestant, byEngine] of p50s) {
      if (first && other && byEngine.has(first) && byEngine.has(other)) {
        settings.emit([
          disagreementRow(
            contestant.key,
            disagreementRatio(byEngine.get(first) as number, byEngine.get(other) as number),
            [first, other],
          ),
        ]);
      }
    }
  } finally {
    for (const contestant of contestants) await contestant.session.close();
  }
}

/** The rows of one line on one engine; its p50, unless the line failed. */
function emitTally(tally: Tally, engineName: EngineName, settings: TimingSettings): number | undefined {
  const { key, cycle, overhead, subject } = tally.contestant;
  const { plan, clock, progress } = settings;
  if (tally.error !== undefined || tally.samplesMs.length === 0) {
    const why = tally.error ?? 'no samples';
    progress.note(
      `bench: ${subject.name} ${key.mode} ${sizeLabel(key.size_bytes)} [${engineName}]: write failed: ${why}`,
    );
    settings.emit([writeErrorRow(key, engineName, why)]);
    return undefined;
  }
  const samplesMs = tally.samplesMs.map(roundMs);
  const summary = lineSummary(samplesMs, key.size_bytes);
  const detail = samplingDetail({
    timing: tally.timing,
    rounds: plan.rounds,
    warmup: tally.piloted + firstWarmup(plan, tally.piloted),
    piloted: tally.piloted,
    laterWarmup: laterWarmup(plan),
    ordered: tally.ordered,
    clock: clock.name,
    count: countDetail(plan, subject),
  });
  settings.emit(latencyRows(key, engineName, samplesMs, summary, detail));
  if (overhead) settings.emit([netLatencyRow(key, engineName, samplesMs, overhead)]);
  settings.emit([contentRow(key, engineName, cycle.verdict())]);
  return summary.p50;
}

/** Noop runs that plan the calibration's count. */
const CALIBRATION_PILOT = 3;

/** A transport's own per-operation cost (spawn, round trip), once per subject; none for in-process. */
async function calibrate(subject: WriterSubject, settings: TimingSettings): Promise<TransportOverhead | undefined> {
  // In-process subjects answer at once (no transport); only the others get a progress line.
  const shown = subject.kind !== 'builtin';
  if (shown) settings.progress.start(`bench calibrate ${subject.name}`, 1);
  try {
    const scratch = path.join(settings.dir, `calibrate-${safeFileName(subject.name)}`);
    fs.mkdirSync(scratch, { recursive: true });
    const overhead = await subject.calibrate(scratch, await calibrationCount(subject, scratch, settings.plan));
    if (shown) settings.progress.tick(1);
    if (overhead) settings.emit(overheadRows(subject.name, overhead));
    return overhead;
  } catch (error) {
    settings.progress.note(`bench: cannot calibrate ${subject.name}: ${message(error)}; its figures are raw`);
    return undefined;
  }
}

/**
 * `--samples N` fixes the noop's count too, so the spawn cost is taken from as many runs as each line it is
 * subtracted from; otherwise a short pilot plans it, as a line's (a process per write's noop takes 10–100 ms, a
 * round trip far less).
 */
async function calibrationCount(subject: WriterSubject, scratch: string, plan: SamplingPlan): Promise<number> {
  if (plan.fixedSamples !== undefined) return plan.fixedSamples;
  const budget = plan.calibration;
  if (budget.minSamples >= budget.maxSamples) return budget.minSamples;
  const pilot = await subject.calibrate(scratch, CALIBRATION_PILOT);
  return pilot ? plannedCount(budget, pilot.ms) : budget.minSamples;
}

const TRACE_TIMEOUT_MS = 120_000;

export interface AccountingJob extends BenchLine {
  payloads: SizePayloads;
}

export interface AccountingSettings {
  /** Where per-line target directories and trace files go (inside the run's workspace). */
  dir: string;
  tracedWrites: number;
  progress: ProgressSink;
}

/**
 * The one accounting method applied to every subject alike: run its one-shot writer under strace and
 * count what reached the target directory. Separate from the timing pass, so tracing never slows a
 * timed sample. Failures become a write_errors row and a note; the other lines go on.
 */
export async function runAccounting(jobs: readonly AccountingJob[], settings: AccountingSettings): Promise<RowInput[]> {
  if (jobs.length === 0 || settings.tracedWrites === 0) return [];
  fs.mkdirSync(settings.dir, { recursive: true });
  const seccomp = await seccompFilterWorks();
  const detail = accountingDetail(settings.tracedWrites);
  let done = 0;
  settings.progress.start(
    'bench accounting (strace)',
    jobs.length * settings.tracedWrites,
    accountingWork(jobs.length, settings.tracedWrites),
  );
  const rows = await mapPool(jobs, PARALLEL_TRACES, async (job, index): Promise<RowInput[]> => {
    const key: LineKey = { subject: job.subject.name, mode: job.mode, size_bytes: job.size };
    try {
      const counts = await traceLine(job, index, settings, seccomp, () => settings.progress.tick(++done));
      return accountingRows(key, counts, detail);
    } catch (error) {
      settings.progress.note(
        `bench: accounting ${job.subject.name} ${job.mode} ${sizeLabel(job.size)} failed: ${message(error)}`,
      );
      return [writeErrorRow(key, '', `strace accounting: ${message(error)}`)];
    }
  });
  settings.progress.finish();
  return rows.flat();
}

/** One case of the accounting pass: the line's traced one-shot writes, their median counts. */
async function traceLine(
  job: AccountingJob,
  index: number,
  settings: AccountingSettings,
  seccomp: boolean,
  tick: () => void,
): Promise<Accounting> {
  // Its own directory, so nothing but this subject's write can land in it.
  const dir = path.join(settings.dir, `${index}-${safeFileName(job.subject.name)}-${job.mode}-${sizeLabel(job.size)}`);
  fs.mkdirSync(dir, { recursive: true });
  const cycle = new WriteCycle(path.join(dir, 'target.bin'), job.payloads, job.mode);
  cycle.reset();
  const perWrite: Accounting[] = [];
  for (let w = 0; w < settings.tracedWrites; w++) {
    const request = cycle.next();
    const oneShot = job.subject.oneShot({ target: request.target, source: request.source, mode: request.mode });
    const traceFile = path.join(settings.dir, `${index}.${w}.strace`);
    const result = await runProcess([...straceArgv(traceFile, seccomp), ...oneShot.argv], {
      env: oneShot.env,
      timeoutMs: TRACE_TIMEOUT_MS,
    });
    const problem = tracedRunProblem(result, TRACE_TIMEOUT_MS);
    if (problem !== undefined) throw new Error(problem);
    perWrite.push(accountTrace(fs.readFileSync(traceFile, 'utf8'), dir, process.cwd()));
    fs.rmSync(traceFile, { force: true });
    tick();
  }
  const { problem } = cycle.verdict();
  if (problem !== undefined) throw new Error(`traced one-shot writes did not land: ${problem}`);
  const medianOf = (pick: (a: Accounting) => number): number => median(perWrite.map(pick));
  return {
    fsyncCount: medianOf((a) => a.fsyncCount),
    renameCount: medianOf((a) => a.renameCount),
    bytesWritten: medianOf((a) => a.bytesWritten),
  };
}
