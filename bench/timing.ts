import fs from 'node:fs';
import path from 'node:path';
import type { ProgressSink } from '../core/progress.js';
import type { RowInput } from '../core/schema.js';
import { percentile } from '../core/stats.js';
import type { TransportOverhead, WriteOutcome, WriteRequest, WriterSession, WriterSubject } from '../core/subjects/types.js';
import type { WriteMode } from '../core/writer/types.js';
import { plannedSamples, sizeLabel, type EngineName, type SamplingPlan } from './cases.js';
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

interface Scenario {
  subject: WriterSubject;
  mode: WriteMode;
  size: number;
}

interface TimedCalls {
  sync?: (request: WriteRequest) => void;
  async: (request: WriteRequest) => Promise<void>;
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

/** Untimed writes that warm the path up and tell how long one iteration takes, to plan the count. */
async function pilotMsPerWrite(calls: TimedCalls, cycle: WriteCycle, plan: SamplingPlan, clock: Clock): Promise<number> {
  const times: number[] = [];
  const started = clock.now();
  for (let i = 0; i < plan.pilotWrites; i++) {
    const t0 = clock.now();
    const request = cycle.next();
    if (calls.sync) calls.sync(request);
    else await calls.async(request);
    times.push(clock.now() - t0);
    if (clock.now() - started > plan.budgetMs / 2) break;
  }
  return percentile(times, 50);
}

/**
 * The timing pass: each scenario's target gets a fresh directory, each engine starts from the same
 * target state, and every sample is a real change (or, for unchanged, a real no-op).
 */
export async function runTiming(settings: TimingSettings): Promise<void> {
  const { plan, clock, progress } = settings;
  for (const subject of settings.subjects) {
    const skipped = settings.modes.filter((mode) => !subject.modes.includes(mode));
    if (skipped.length) progress.note(`bench: ${subject.name} does not support ${skipped.join(', ')} (it supports ${subject.modes.join(', ')}); skipped`);
  }
  const scenarios = timingScenarios(settings.subjects, settings.sizes, settings.modes);
  const overheads = new Map<string, TransportOverhead | undefined>();
  for (const [index, scenario] of scenarios.entries()) {
    const { subject, mode, size } = scenario;
    const key: ScenarioKey = { subject: subject.name, mode, size_bytes: size };
    if (!overheads.has(subject.name)) overheads.set(subject.name, await calibrate(subject, settings));
    const overhead = overheads.get(subject.name);
    const dir = path.join(settings.dir, `${index}-${subject.name.replace(/[^A-Za-z0-9._-]/g, '_')}-${mode}-${sizeLabel(size)}`);
    fs.mkdirSync(dir, { recursive: true });
    const cycle = new WriteCycle(path.join(dir, 'target.bin'), settings.payloads.variants(size), mode);
    const session = await subject.open();
    const p50s = new Map<EngineName, number>();
    try {
      const calls = timedCalls(session);
      for (const engineName of settings.engines) {
        const label = `bench ${index + 1}/${scenarios.length} ${subject.name} ${mode} ${sizeLabel(size)}${settings.engines.length > 1 ? ` [${engineName}]` : ''}`;
        try {
          cycle.reset();
          const samples = plan.fixedSamples ?? plannedSamples(plan, await pilotMsPerWrite(calls, cycle, plan, clock));
          const pilots = plan.fixedSamples === undefined ? ` + pilot ${plan.pilotWrites}` : '';
          progress.start(label, samples);
          const step = Math.max(1, Math.ceil(samples / 40));
          const run = await ENGINE_BY_NAME[engineName].sample({
            prepare: () => cycle.next(),
            sync: calls.sync,
            async: calls.async,
            warmupIterations: plan.warmupIterations,
            samples,
            clock,
            onSample: (done) => {
              if (done % step === 0 || done === samples) progress.tick(done);
            },
          });
          const samplesMs = run.samplesMs.map(roundMs);
          const summary = summarize(samplesMs, size);
          const detail = `${run.timing}; ${plan.warmupIterations} warm-up${pilots} untimed writes before; sample = order ${run.ordered ? 'taken' : 'lost (sorted ascending)'}; clock ${clock.name}; percentiles type 7`;
          settings.emit(latencyRows(key, engineName, samplesMs, summary, detail));
          if (overhead) settings.emit([netLatencyRow(key, engineName, summary.p50, overhead)]);
          settings.emit([contentRow(key, engineName, cycle.check())]);
          p50s.set(engineName, summary.p50);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          progress.note(`bench: ${label}: write failed: ${message}`);
          settings.emit([writeErrorRow(key, engineName, message)]);
          break;
        }
      }
    } finally {
      await session.close();
    }
    const [first, other] = settings.engines;
    if (first && other && p50s.has(first) && p50s.has(other)) {
      settings.emit([disagreementRow(key, disagreementRatio(p50s.get(first) as number, p50s.get(other) as number), [first, other])]);
    }
  }
  progress.finish();
}

/** A transport's own per-operation cost (spawn, round trip), once per subject; none for in-process. */
async function calibrate(subject: WriterSubject, settings: TimingSettings): Promise<TransportOverhead | undefined> {
  // In-process subjects answer at once (no transport); only the others get a progress line.
  if (subject.kind !== 'builtin') settings.progress.start(`bench calibrate ${subject.name}`, 1);
  try {
    const scratch = path.join(settings.dir, `calibrate-${subject.name.replace(/[^A-Za-z0-9._-]/g, '_')}`);
    fs.mkdirSync(scratch, { recursive: true });
    const overhead = await subject.calibrate(scratch, settings.plan.calibrationSamples);
    if (subject.kind !== 'builtin') settings.progress.tick(1);
    if (overhead) settings.emit([overheadRow(subject.name, overhead)]);
    return overhead;
  } catch (error) {
    settings.progress.note(`bench: cannot calibrate ${subject.name}: ${error instanceof Error ? error.message : String(error)}; its figures are raw`);
    return undefined;
  }
}
