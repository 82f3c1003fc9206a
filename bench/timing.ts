import type { ProgressSink } from '../core/progress.js';
import { percentile } from '../core/stats.js';
import type {
  TransportOverhead,
  WriteOutcome,
  WriteRequest,
  WriterSession,
  WriterSubject,
} from '../core/subjects/types.js';
import type { EngineName } from './cases.js';
import type { Clock } from './clock.js';
import { ENGINE_BY_NAME } from './engines/index.js';
import {
  firstWarmup,
  laterWarmup,
  lineBudget,
  plannedSamples,
  roundShare,
  type SampleBudget,
  type SamplingPlan,
} from './plan.js';
import type { LineKey } from './rows.js';
import type { WriteCycle } from './write-cycle.js';

/** What sampling a group needs from the run. */
export interface SamplingSettings {
  plan: SamplingPlan;
  clock: Clock;
  progress: ProgressSink;
}

interface TimedCalls {
  sync?: (request: WriteRequest) => void;
  async: (request: WriteRequest) => Promise<void>;
  /** Resolves to the time the subject measured for the write itself. */
  selfTimed?: (request: WriteRequest) => Promise<number>;
}

/** One subject's line within a (size, mode) group, while the group is being timed. */
export interface Contestant {
  subject: WriterSubject;
  key: LineKey;
  cycle: WriteCycle;
  session: WriterSession;
  calls: TimedCalls;
  overhead: TransportOverhead | undefined;
}

/** One contestant's samples on one engine, gathered across rounds. */
export interface Tally {
  contestant: Contestant;
  planned: number;
  /** Untimed pilot writes made just before round 0; they count towards its warm-up. */
  piloted: number;
  samplesMs: number[];
  ordered: boolean;
  timing: string;
  error?: string;
}

function failed(outcome: WriteOutcome): never {
  throw new Error(outcome.error ?? 'the subject reported a failed write');
}

/**
 * writeSync when the session has it, so no promise sits in the timed window; writeTimed when the
 * subject times itself (per-op commands), so the sample is its spawn-to-exit time; else the awaited write.
 */
export function timedCalls(session: WriterSession): TimedCalls {
  const writeSync = session.writeSync?.bind(session);
  const writeTimed = session.writeTimed?.bind(session);
  return {
    selfTimed: writeTimed
      ? async (request) => {
          const outcome = await writeTimed(request);
          if (!outcome.ok) failed(outcome);
          return outcome.elapsedMs;
        }
      : undefined,
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
async function pilot(
  calls: TimedCalls,
  cycle: WriteCycle,
  plan: SamplingPlan,
  budget: SampleBudget,
  clock: Clock,
): Promise<{ msPerWrite: number; writes: number }> {
  const times: number[] = [];
  const started = clock.now();
  for (let i = 0; i < plan.pilotWrites; i++) {
    // next() may read the previous write back: outside the measured time, like every content check.
    const request = cycle.next();
    const t0 = clock.now();
    if (calls.sync) calls.sync(request);
    else await calls.async(request);
    times.push(clock.now() - t0);
    if (clock.now() - started > budget.budgetMs / 2) break;
    if (times.length >= 2 && percentile(times, 50) * budget.minSamples >= budget.budgetMs) break;
  }
  return { msPerWrite: percentile(times, 50), writes: times.length };
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * One engine over one group: reset every target, plan every count, then the rounds. `work`: the group's share of the
 * run's planned work (bench/work.ts).
 */
export async function sampleGroup(
  contestants: readonly Contestant[],
  engineName: EngineName,
  label: string,
  settings: SamplingSettings,
  work?: number,
): Promise<Tally[]> {
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
        const { msPerWrite, writes } = await pilot(
          contestant.calls,
          contestant.cycle,
          plan,
          lineBudget(plan, contestant.subject),
          clock,
        );
        tally.planned = plannedSamples(plan, contestant.subject, msPerWrite);
        tally.piloted = writes;
      }
    } catch (error) {
      tally.error = message(error);
    }
  }
  const total = tallies.reduce((sum, tally) => sum + tally.planned, 0);
  progress.start(`${label} (${contestants.length} subjects × ${plan.rounds} rounds)`, total, work);
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
          selfTimed: calls.selfTimed,
          warmupIterations: round === 0 ? firstWarmup(plan, tally.piloted) : laterWarmup(plan),
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
