import fs from 'node:fs';
import path from 'node:path';
import { safeFileName } from '../core/names.js';
import type { ProgressSink } from '../core/progress.js';
import type { RowInput } from '../core/schema.js';
import { percentile } from '../core/stats.js';
import type { TransportOverhead, WriteOutcome, WriteRequest, WriterSession, WriterSubject } from '../core/subjects/types.js';
import type { WriteMode } from '../core/writer/types.js';
import { plannedSamples, roundShare, sizeLabel, type EngineName, type SamplingPlan } from './cases.js';
import type { Clock } from './clock.js';
import { ENGINE_BY_NAME } from './engines/index.js';
import type { PayloadStore } from './payloads.js';
import { contentRow, disagreementRow, latencyRows, netLatencyRow, overheadRow, writeErrorRow, type ScenarioKey } from './rows.js';
import { disagreementRatio, roundMs, summarize } from './summary.js';
import { WriteCycle } from './write-cycle.js';

export interface TimingSettings {
  /** Where scenario targets and calibration scratch go (inside the run's workspace). */
  dir: string;
  subjects: readonly WriterSubject[];
  sizes: readonly number[];
  modes: readonly WriteMode[];
  engines: readonly EngineName[];
  plan: SamplingPlan;
  clock: Clock;
  payloads: PayloadStore;
  progress: ProgressSink;
  emit(rows: readonly RowInput[]): void;
}

export interface Scenario {
  subject: WriterSubject;
  mode: WriteMode;
  size: number;
}

interface TimedCalls {
  sync?: (request: WriteRequest) => void;
  async: (request: WriteRequest) => Promise<void>;
}

/** One subject's scenario within a (size, mode) group, while the group is being timed. */
interface Contestant {
  subject: WriterSubject;
  key: ScenarioKey;
  cycle: WriteCycle;
  session: WriterSession;
  calls: TimedCalls;
  overhead: TransportOverhead | undefined;
}

/** One contestant's samples on one engine, gathered across rounds. */
interface Tally {
  contestant: Contestant;
  planned: number;
  /** Untimed pilot writes made just before round 0; they count towards its warm-up. */
  piloted: number;
  samplesMs: number[];
  ordered: boolean;
  timing: string;
  error?: string;
}

/** Every (size, mode, subject) a subject supports; sizes outermost so neighbours in time share a size. */
export function timingScenarios(subjects: readonly WriterSubject[], sizes: readonly number[], modes: readonly WriteMode[]): Scenario[] {
  const scenarios: Scenario[] = [];
  for (const size of sizes) for (const mode of modes) for (const subject of subjects) if (subject.modes.includes(mode)) scenarios.push({ subject, mode, size });
  return scenarios;
}

function failed(outcome: WriteOutcome): never {
  throw new Error(outcome.error ?? 'the subject reported a failed write');
}

/** writeSync when the session has it, so no promise sits in the timed window; else the awaited write. */
function timedCalls(session: WriterSession): TimedCalls {
  const writeSync = session.writeSync?.bind(session);
  return {
    sync: writeSync
      ? (request) => {
          const outcome = writeSync(request);
          if (!outcome.ok) failed(outcome);
        }
      : undefined,
    async: async (request) => {
      const outcome = await session.write(request);
      if (!outcome.ok) failed(outcome);
    },
  };
}

/**
 * Untimed writes that warm the path up and tell how long one iteration takes, to plan the count. It
 * stops early once the count is bound to be the minimum (slow writes: 8 MiB durable).
 */
async function pilot(calls: TimedCalls, cycle: WriteCycle, plan: SamplingPlan, clock: Clock): Promise<{ msPerWrite: number; writes: number }> {
  const times: number[] = [];
  const started = clock.now();
  for (let i = 0; i < plan.pilotWrites; i++) {
    // next() may read the previous write back: outside the measured time, like every content check.
    const request = cycle.next();
    const t0 = clock.now();
    if (calls.sync) calls.sync(request);
    else await calls.async(request);
    times.push(clock.now() - t0);
    if (clock.now() - started > plan.budgetMs / 2) break;
    if (times.length >= 2 && percentile(times, 50) * plan.minSamples >= plan.budgetMs) break;
  }
  return { msPerWrite: percentile(times, 50), writes: times.length };
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
    if (skipped.length) progress.note(`bench: ${subject.name} does not support ${skipped.join(', ')} (it supports ${subject.modes.join(', ')}); skipped`);
  }
  const overheads = new Map<string, TransportOverhead | undefined>();
  for (const subject of settings.subjects) overheads.set(subject.name, await calibrate(subject, settings));

  const groups: { size: number; mode: WriteMode; subjects: WriterSubject[] }[] = [];
  for (const size of settings.sizes) {
    for (const mode of settings.modes) {
      const subjects = settings.subjects.filter((subject) => subject.modes.includes(mode));
      if (subjects.length) groups.push({ size, mode, subjects });
    }
  }
  let scenarioIndex = 0;
  for (const [groupIndex, group] of groups.entries()) {
    const contestants: Contestant[] = [];
    try {
      for (const subject of group.subjects) {
        const key: ScenarioKey = { subject: subject.name, mode: group.mode, size_bytes: group.size };
        const dir = path.join(settings.dir, `${scenarioIndex++}-${safeFileName(subject.name)}-${group.mode}-${sizeLabel(group.size)}`);
        fs.mkdirSync(dir, { recursive: true });
        let session: WriterSession;
        try {
          session = await subject.open();
        } catch (error) {
          progress.note(`bench: ${subject.name} ${group.mode} ${sizeLabel(group.size)}: cannot open a session: ${message(error)}`);
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
        const label = `bench ${groupIndex + 1}/${groups.length} ${group.mode} ${sizeLabel(group.size)}${settings.engines.length > 1 ? ` [${engineName}]` : ''}`;
        const tallies = await timeGroup(contestants, engineName, label, settings);
        for (const tally of tallies) {
          const p50 = emitTally(tally, engineName, settings);
          if (p50 !== undefined) p50s.get(tally.contestant)?.set(engineName, p50);
        }
      }
      const [first, other] = settings.engines;
      for (const [contestant, byEngine] of p50s) {
        if (first && other && byEngine.has(first) && byEngine.has(other)) {
          settings.emit([disagreementRow(contestant.key, disagreementRatio(byEngine.get(first) as number, byEngine.get(other) as number), [first, other])]);
        }
      }
    } finally {
      for (const contestant of contestants) await contestant.session.close();
    }
  }
  progress.finish();
}

/** The pilot's writes just went down the same path: the engine's own warm-up tops them up to the plan's. */
function firstWarmup(plan: SamplingPlan, piloted: number): number {
  return piloted > 0 ? Math.max(1, plan.warmupIterations - piloted) : plan.warmupIterations;
}

/** One engine over one group: reset every target, plan every count, then the rounds. */
async function timeGroup(contestants: readonly Contestant[], engineName: EngineName, label: string, settings: TimingSettings): Promise<Tally[]> {
  const { plan, clock, progress } = settings;
  const engine = ENGINE_BY_NAME[engineName];
  const tallies: Tally[] = [];
  for (const contestant of contestants) {
    const tally: Tally = { contestant, planned: 0, piloted: 0, samplesMs: [], ordered: true, timing: '' };
    tallies.push(tally);
    try {
      contestant.cycle.reset();
      if (plan.fixedSamples !== undefined) tally.planned = plan.fixedSamples;
      else {
        const { msPerWrite, writes } = await pilot(contestant.calls, contestant.cycle, plan, clock);
        tally.planned = plannedSamples(plan, msPerWrite);
        tally.piloted = writes;
      }
    } catch (error) {
      tally.error = message(error);
    }
  }
  const total = tallies.reduce((sum, tally) => sum + tally.planned, 0);
  progress.start(`${label} (${contestants.length} subjects × ${plan.rounds} rounds)`, total);
  let done = 0;
  const step = Math.max(1, Math.ceil(total / 50));
  for (let round = 0; round < plan.rounds; round++) {
    // A rotating order: no subject always goes first, right after another one's burst of syncs.
    for (let turn = 0; turn < tallies.length; turn++) {
      const tally = tallies[(turn + round) % tallies.length] as Tally;
      const samples = roundShare(tally.planned, plan.rounds, round);
      if (tally.error || samples === 0) continue;
      const { cycle, calls } = tally.contestant;
      const before = done;
      try {
        const run = await engine.sample({
          prepare: () => cycle.next(),
          sync: calls.sync,
          async: calls.async,
          warmupIterations: round === 0 ? firstWarmup(plan, tally.piloted) : Math.ceil(plan.warmupIterations / 3),
          samples,
          clock,
          onSample: (n) => {
            done = before + n;
            if (done % step === 0) progress.tick(done);
          },
        });
        tally.samplesMs.push(...run.samplesMs);
        tally.ordered &&= run.ordered;
        tally.timing = run.timing;
        // Between rounds no engine is timing anything: read back the round's last write.
        cycle.checkLastWrite();
      } catch (error) {
        tally.error = message(error);
      }
      done = before + samples;
      progress.tick(done);
    }
  }
  return tallies;
}

/** The rows of one subject's scenario on one engine; its p50, unless the scenario failed. */
function emitTally(tally: Tally, engineName: EngineName, settings: TimingSettings): number | undefined {
  const { key, cycle, overhead, subject } = tally.contestant;
  const { plan, clock, progress } = settings;
  if (tally.error !== undefined || tally.samplesMs.length === 0) {
    const why = tally.error ?? 'no samples';
    progress.note(`bench: ${subject.name} ${key.mode} ${sizeLabel(key.size_bytes)} [${engineName}]: write failed: ${why}`);
    settings.emit([writeErrorRow(key, engineName, why)]);
    return undefined;
  }
  const samplesMs = tally.samplesMs.map(roundMs);
  const summary = summarize(samplesMs, key.size_bytes);
  const warmup = tally.piloted + firstWarmup(plan, tally.piloted);
  const detail =
    `${tally.timing}; ${plan.rounds} rounds taking turns with the other subjects of this size and mode, ` +
    `${warmup} untimed warm-up writes first${tally.piloted ? ` (${tally.piloted} of them planning the count)` : ''}, ${Math.ceil(plan.warmupIterations / 3)} before each later round; ` +
    `sample = order ${tally.ordered ? 'taken' : 'lost (sorted within rounds)'}; ` +
    `clock ${clock.name}; percentiles type 7`;
  settings.emit(latencyRows(key, engineName, samplesMs, summary, detail));
  if (overhead) settings.emit([netLatencyRow(key, engineName, summary.p50, overhead)]);
  settings.emit([contentRow(key, engineName, cycle.verdict())]);
  return summary.p50;
}

/** A transport's own per-operation cost (spawn, round trip), once per subject; none for in-process. */
async function calibrate(subject: WriterSubject, settings: TimingSettings): Promise<TransportOverhead | undefined> {
  // In-process subjects answer at once (no transport); only the others get a progress line.
  const shown = subject.kind !== 'builtin';
  if (shown) settings.progress.start(`bench calibrate ${subject.name}`, 1);
  try {
    const scratch = path.join(settings.dir, `calibrate-${safeFileName(subject.name)}`);
    fs.mkdirSync(scratch, { recursive: true });
    const overhead = await subject.calibrate(scratch, settings.plan.calibrationSamples);
    if (shown) settings.progress.tick(1);
    if (overhead) settings.emit([overheadRow(subject.name, overhead)]);
    return overhead;
  } catch (error) {
    settings.progress.note(`bench: cannot calibrate ${subject.name}: ${message(error)}; its figures are raw`);
    return undefined;
  }
}
