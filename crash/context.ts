import fs from 'node:fs';
import path from 'node:path';
import { safeFileName } from '../core/names.js';
import type { SuiteContext } from '../core/suite.js';
import type { WriterSubject } from '../core/subjects/types.js';
import type { CrashPlan, ScenarioId } from './cases.js';
import { ContentStore } from './contents.js';
import type { RecordedRun } from './powerloss/from-trace.js';
import { runOneShot } from './one-shot.js';
import { TrialDir } from './sandbox.js';
import { expectationFrom } from './strace/aim.js';
import type { HitExpectation } from './strace/points.js';
import { parseTrace } from '../core/trace/strace.js';
import { buildWritePath, type WritePath } from './strace/write-path.js';
import { TrialLog } from './trial-log.js';

export interface CrashSettings {
  scenarios: readonly ScenarioId[];
  plan: CrashPlan;
  /** Trials run at once (each in its own directory). */
  jobs: number;
  /** The strace binary (default `strace` on PATH). */
  strace: string;
  /** power_loss: the user's own consistency check of a crash state, as argv with a `{dir}` placeholder. */
  checker?: { template: string; argv: readonly string[]; timeoutMs: number };
}

/**
 * Two fault-free traced writes of one subject and size, in two different directories, and the
 * first one whole (trace, layout, contents) for the power-loss model.
 */
export type Recordings = { first: WritePath; second: WritePath; expect: HitExpectation; run: RecordedRun } | { error: string };

/** What the suite learned about one subject, for its syscall-profile row. */
export interface SubjectFacts {
  recording?: { model: WritePath; size: number; stableName?: string };
  errorTrials: number;
  errorTrialsWithOrphans: number;
  shortWrite?: string;
}

/** Everything the scenarios share in one crash run. */
export class CrashRun {
  readonly trials = new TrialLog();
  readonly contents: ContentStore;
  private readonly recorded = new Map<string, Promise<Recordings>>();
  private readonly facts = new Map<string, SubjectFacts>();
  private dirCounter = 0;

  constructor(
    readonly ctx: SuiteContext,
    readonly settings: CrashSettings,
    /** Why strace-based scenarios cannot run, or undefined when they can. */
    readonly straceMissing: string | undefined,
  ) {
    this.contents = new ContentStore(ctx.workspace.dir('crash', 'sources'), ctx.seed);
  }

  get plan(): CrashPlan {
    return this.settings.plan;
  }

  /** A fresh directory path for one trial (not created). Names carry no secrets, just order. */
  trialDir(subject: WriterSubject, scenario: string): string {
    this.dirCounter += 1;
    return this.ctx.workspace.path('crash', 'trials', safeFileName(subject.name), scenario, String(this.dirCounter));
  }

  traceFile(subject: WriterSubject, label: string): string {
    this.dirCounter += 1;
    return path.join(this.ctx.workspace.dir('crash', 'traces'), `${safeFileName(subject.name)}-${label}-${this.dirCounter}.trace`);
  }

  /** A one-shot's strace settings: this run's strace binary, a trace file, extra arguments. */
  traced(traceFile: string, extra: readonly string[]): { binary: string; traceFile: string; extra: readonly string[] } {
    return { binary: this.settings.strace, traceFile, extra };
  }

  factsFor(subject: WriterSubject): SubjectFacts {
    let facts = this.facts.get(subject.name);
    if (!facts) {
      facts = { errorTrials: 0, errorTrialsWithOrphans: 0 };
      this.facts.set(subject.name, facts);
    }
    return facts;
  }

  /** Records (once per subject and size) the subject's own write path, twice, for aiming. */
  recordings(subject: WriterSubject, size: number): Promise<Recordings> {
    const key = `${subject.name}\u0000${size}`;
    let pending = this.recorded.get(key);
    if (!pending) {
      pending = this.record(subject, size);
      this.recorded.set(key, pending);
    }
    return pending;
  }

  private async record(subject: WriterSubject, size: number): Promise<Recordings> {
    const old = this.contents.get(size, 'old');
    const fresh = this.contents.get(size, 'new');
    const models: WritePath[] = [];
    let recorded: RecordedRun | undefined;
    for (const label of ['record-1', 'record-2']) {
      const trial = TrialDir.create(this.trialDir(subject, label), old);
      const traceFile = this.traceFile(subject, label);
      const run = await runOneShot({ subject, source: fresh.source, target: trial.target, tmpDir: trial.tmp, strace: this.traced(traceFile, ['-f']) });
      const held = trial.held(old, fresh);
      const leftovers = new Map(trial.leftovers().map((name) => [trial.pathOf(name), fs.readFileSync(trial.pathOf(name))] as const));
      trial.remove();
      fs.rmSync(traceFile, { force: true });
      if (run.reported !== 'success' || held.kind !== 'new') {
        return { error: `its fault-free write under strace did not succeed (${run.ending}; target ${held.kind})` };
      }
      const trace = parseTrace(run.trace ?? '');
      recorded ??= { trace, dir: trial.dir, tmpDir: trial.tmp, target: trial.target, old: old.bytes, fresh: fresh.bytes, reportedSuccess: true, finalContents: new Map([...leftovers, [trial.target, fresh.bytes]]) };
      const model = buildWritePath(trace, { target: trial.target, tmpDir: trial.tmp });
      if (model.dataPath === undefined) return { error: 'its fault-free trace shows no write to the target, in its directory or in its $TMPDIR (does it write elsewhere and copy?)' };
      models.push(model);
    }
    const [first, second] = models as [WritePath, WritePath];
    const expect = expectationFrom(first, second, size);
    const facts = this.factsFor(subject);
    if (!facts.recording || facts.recording.size < size) facts.recording = { model: first, size, stableName: expect.stableDataName };
    return { first, second, expect, run: recorded as RecordedRun };
  }
}
