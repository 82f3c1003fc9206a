import fs from 'node:fs';
import path from 'node:path';
import { safeFileName } from '../core/names.js';
import type { SuiteContext } from '../core/suite.js';
import type { WriterSubject } from '../core/subjects/types.js';
import type { CrashPlan, ScenarioId } from './cases.js';
import { ContentStore, type Content } from './contents.js';
import { fileSystemProbe, syncfsFileSystems } from '../core/trace/file-systems.js';
import { logicalOps, type RecordedRun, type Translation } from './powerloss/from-trace.js';
import { judgeVisibility } from './powerloss/visibility.js';
import { runOneShot } from './one-shot.js';
import { TrialDir } from './sandbox.js';
import { expectationFrom } from './strace/aim.js';
import type { HitExpectation } from './strace/points.js';
import { parseTrace, type ParsedTrace } from '../core/trace/strace.js';
import { resolveCalls, type PathCall } from '../core/trace/files.js';
import { removeInside, writesOutside } from './strace/outside.js';
import { buildWritePath, type WritePath } from './strace/write-path.js';
import { TrialLog } from './trial-log.js';
import { notJudgedRow } from './rows.js';
import type { CrashSettings, SubjectFacts } from './types.js';
import { SECCOMP_FLAG } from '../core/trace/seccomp.js';

export type { CrashSettings, SubjectFacts } from './types.js';

/**
 * Two fault-free traced writes of one subject and size, in two different directories, and the
 * first one whole (trace, layout, contents) and translated for the power-loss model. A writer
 * whose first run its trace cannot account for is not judged at all, with the reason.
 */
export type Recordings =
  | {
      first: WritePath;
      second: WritePath;
      expect: HitExpectation;
      run: RecordedRun;
      translation: Translation;
      unseen?: string;
    }
  | { notJudged: string; run: RecordedRun; translation: Translation }
  | { error: string };

/** Everything the scenarios share in one crash run. */
export class CrashRun {
  readonly trials = new TrialLog();
  readonly contents: ContentStore;
  private readonly recorded = new Map<string, Promise<Recordings>>();
  private readonly facts = new Map<string, SubjectFacts>();
  private readonly notJudgedKeys = new Set<string>();
  private dirCounter = 0;

  constructor(
    readonly ctx: SuiteContext,
    readonly settings: CrashSettings,
    /** Why strace-based scenarios cannot run, or undefined when they can. */
    readonly straceMissing: string | undefined,
    /** strace's seccomp filter works here: followed runs stop only at the traced calls (core/trace/seccomp.ts). */
    private readonly seccomp = false,
  ) {
    this.contents = new ContentStore(ctx.workspace.dir('crash', 'sources'), ctx.seed);
  }

  get plan(): CrashPlan {
    return this.settings.plan;
  }

  /** A fresh directory path for one trial (not created). Names carry no secrets, just order. */
  trialDir(subject: WriterSubject, scenario: string): string {
    this.dirCounter += 1;
    return this.ctx.trials.path('crash', 'trials', safeFileName(subject.name), scenario, String(this.dirCounter));
  }

  traceFile(subject: WriterSubject, label: string): string {
    this.dirCounter += 1;
    return path.join(
      this.ctx.workspace.dir('crash', 'traces'),
      `${safeFileName(subject.name)}-${label}-${this.dirCounter}.trace`,
    );
  }

  /** A one-shot's strace settings: this run's strace binary, a trace file, extra arguments. */
  traced(traceFile: string, extra: readonly string[]): { binary: string; traceFile: string; extra: readonly string[] } {
    // The filter needs -f. Injected faults go without it: measured here, a signal injected at a
    // call's entry under the filter let the call run (the kill landed after it returned).
    const plain = extra.includes('-f') && !extra.some((arg) => arg.startsWith('inject='));
    const filtered = this.seccomp && plain ? [SECCOMP_FLAG, ...extra] : extra;
    return { binary: this.settings.strace, traceFile, extra: filtered };
  }

  /** A scenario that cannot judge this writer and size: one row saying why, however many tasks find it. */
  markNotJudged(scenario: ScenarioId, subject: WriterSubject, size: number, reason: string): void {
    const key = `${scenario}\u0000${subject.name}\u0000${size}`;
    if (this.notJudgedKeys.has(key)) return;
    this.notJudgedKeys.add(key);
    this.ctx.sink.add(notJudgedRow(scenario, subject.name, size, reason));
  }

  /**
   * The writer's box, from one traced run: what it changed outside its trial's directory and
   * $TMPDIR is noted, and removed when it lies in the workspace (a relative path written from the
   * trial's own directory lands there).
   */
  checkBox(subject: WriterSubject, calls: readonly PathCall[], trial: { dir: string; tmp: string }): void {
    const outside = writesOutside(calls, [trial.dir, trial.tmp]);
    const facts = this.factsFor(subject);
    facts.boxChecked += 1;
    // Named from the trial's own directory while in the workspace (every trial has its own), else as they are.
    const root = path.dirname(trial.dir);
    const workspace = this.ctx.workspace.root;
    for (const file of outside)
      facts.writesOutside.add(file.startsWith(`${workspace}${path.sep}`) ? path.relative(root, file) : file);
    removeInside(outside, workspace);
  }

  factsFor(subject: WriterSubject): SubjectFacts {
    let facts = this.facts.get(subject.name);
    if (!facts) {
      facts = { errorTrials: 0, errorTrialsWithOrphans: 0, writesOutside: new Set(), boxChecked: 0 };
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
    let recorded: { run: RecordedRun; translation: Translation; unseen?: string } | undefined;
    for (const label of ['record-1', 'record-2']) {
      const trial = TrialDir.create(this.trialDir(subject, label), old);
      const traceFile = this.traceFile(subject, label);
      const run = await runOneShot({
        subject,
        source: fresh.source,
        target: trial.target,
        tmpDir: trial.tmp,
        strace: this.traced(traceFile, ['-f']),
      });
      const held = trial.held(old, fresh);
      const whole = recordedRunOf(trial, parseTrace(run.trace ?? ''), old, fresh, true);
      const { trace, fileSystems } = whole;
      this.checkBox(subject, resolveCalls(trace), trial);
      trial.remove();
      fs.rmSync(traceFile, { force: true });
      if (run.reported !== 'success' || held.kind !== 'new') {
        return { error: `its fault-free write under strace did not succeed (${run.ending}; target ${held.kind})` };
      }
      if (!recorded) {
        const translation = logicalOps(whole);
        const visibility = judgeVisibility(translation, whole);
        if (!visibility.judged) {
          this.factsFor(subject).notJudged ??= visibility.reason;
          return { notJudged: visibility.reason, run: whole, translation };
        }
        recorded = { run: whole, translation, ...(visibility.unseen ? { unseen: visibility.unseen } : {}) };
      }
      const model = buildWritePath(trace, {
        target: trial.target,
        tmpDir: trial.tmp,
        fileSystem: (file) => fileSystems?.get(file),
      });
      if (model.dataPath === undefined)
        return {
          error:
            'its fault-free trace shows no write to the target, in its directory or ' +
            'in its $TMPDIR (does it write elsewhere and copy?)',
        };
      models.push(model);
    }
    const [first, second] = models as [WritePath, WritePath];
    const expect = expectationFrom(first, second, size);
    const facts = this.factsFor(subject);
    if (!facts.recording || facts.recording.size < size)
      facts.recording = { model: first, size, stableName: expect.stableDataName, translation: recorded?.translation };
    return { first, second, expect, ...(recorded as NonNullable<typeof recorded>) };
  }
}

/**
 * A traced run of a writer in its trial, as the power-loss model replays it: the trace, the trial's
 * files as they are now (the source of written bytes), and which file system each syncfs reached,
 * asked while the run's files exist (afterwards a syncfs's file could not be told apart).
 */
export function recordedRunOf(
  trial: TrialDir,
  trace: ParsedTrace,
  old: Content,
  fresh: Content,
  reportedSuccess: boolean,
  listing = trial.listing(),
): RecordedRun {
  const fileSystems = syncfsFileSystems(trace, fileSystemProbe(trial.dir, [trial.dir, trial.tmp]));
  return {
    trace,
    dir: trial.dir,
    tmpDir: trial.tmp,
    target: trial.target,
    old: old.bytes,
    fresh: fresh.bytes,
    reportedSuccess,
    finalContents: listing.files,
    finalLinks: listing.links,
    fileSystems,
  };
}
