import type { WorkReading } from './eta.js';

/** A part of a run (a suite) and the work it is planned to be. */
export interface PlannedStage {
  name: string;
  /** In the run's work units; only proportions between stages matter. */
  work: number;
}

interface Phase {
  work: number;
  total: number;
  done: number;
}

/**
 * Counts a run's work done against its plan. A run is stages in order (the suites); a stage reports
 * phases (ProgressSink.start/tick/finish), each carrying its share of the stage's planned work, and
 * a phase counts in proportion to its ticks. A stage never counts for more than its plan, and when it
 * ends it counts for exactly its plan, whatever its phases said: a plan that was off for one suite
 * does not drift into the next.
 */
export class RunMeter {
  readonly total: number;
  private readonly startedAt: number;
  private stageIndex = -1;
  /** Work of the stages before the current one. */
  private before = 0;
  /** Work of the current stage's finished phases. */
  private finished = 0;
  private phase: Phase | undefined;

  constructor(
    private readonly stages: readonly PlannedStage[],
    private readonly now: () => number,
  ) {
    this.total = stages.reduce((sum, stage) => sum + Math.max(0, stage.work), 0);
    this.startedAt = now();
  }

  /** The named stage begins: every stage before it counts as done. Unknown names change nothing. */
  beginStage(name: string): void {
    const index = this.stages.findIndex((stage, i) => i > this.stageIndex && stage.name === name);
    if (index < 0) return;
    this.before = this.stages.slice(0, index).reduce((sum, stage) => sum + Math.max(0, stage.work), 0);
    this.stageIndex = index;
    this.finished = 0;
    this.phase = undefined;
  }

  phaseStart(total: number, work = 0): void {
    this.phaseFinish();
    this.phase = { work: Math.max(0, work), total: Math.max(0, total), done: 0 };
  }

  phaseTick(done: number): void {
    if (this.phase) this.phase.done = Math.min(Math.max(0, done), this.phase.total);
  }

  phaseFinish(): void {
    if (this.phase) this.finished += this.phase.work;
    this.phase = undefined;
  }

  /** The whole run is over (or given up): everything planned counts as done. */
  end(): void {
    this.stageIndex = this.stages.length;
    this.before = this.total;
    this.finished = 0;
    this.phase = undefined;
  }

  reading(): WorkReading {
    const stage = this.stages[this.stageIndex];
    const current = this.phase && this.phase.total > 0 ? (this.phase.work * this.phase.done) / this.phase.total : 0;
    const inStage = stage ? Math.min(Math.max(0, stage.work), this.finished + current) : 0;
    return {
      elapsedMs: this.now() - this.startedAt,
      done: Math.min(this.total, this.before + inStage),
      total: this.total,
    };
  }
}
