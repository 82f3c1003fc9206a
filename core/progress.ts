import { performance } from 'node:perf_hooks';
import { estimateEta, formatRunStatus, formatSeconds, LOG_THROTTLE, TERMINAL_THROTTLE, Throttle } from './eta.js';
import { RunMeter, type PlannedStage } from './run-meter.js';

export { formatSeconds } from './eta.js';
export type { PlannedStage } from './run-meter.js';

export interface ProgressSink {
  /**
   * Starts a phase of `total` steps, e.g. one scenario's samples or one suite's trials. `work` is the
   * phase's share of its suite's planned work (Suite.plannedWork), for the whole-run ETA; a phase
   * without it (a short calibration) counts when its suite ends.
   */
  start(label: string, total: number, work?: number): void;
  tick(done?: number): void;
  /** A line that must stay visible (a warning, a skipped scenario). */
  note(line: string): void;
  finish(): void;
  /**
   * The whole run's plan, stage by stage (a stage is a suite): turns on the whole-run ETA. `unit` counts the work
   * ("bench runs") instead of a share.
   */
  planRun?(stages: readonly PlannedStage[], unit?: string): void;
  /** A planned stage begins; the ones before it count as done. */
  beginStage?(name: string): void;
}

/** A run's meter and how its status is shown: the line itself, and in a log, when the next one is due. */
class RunStatus {
  private readonly throttle = new Throttle(LOG_THROTTLE);

  constructor(
    readonly meter: RunMeter,
    private readonly unit: string | undefined,
    private readonly now: () => number,
  ) {}

  line(): string {
    const reading = this.meter.reading();
    return formatRunStatus(reading, estimateEta(reading), this.unit);
  }

  /** The line when a log is due one (LOG_THROTTLE), else undefined. */
  logLine(): string | undefined {
    const reading = this.meter.reading();
    if (!this.throttle.due(this.now(), reading.total > 0 ? reading.done / reading.total : 0)) return undefined;
    return formatRunStatus(reading, estimateEta(reading), this.unit);
  }
}

export interface ProgressOptions {
  /** Milliseconds on a monotonic clock; performance.now by default (tests inject their own). */
  now?: () => number;
  /** Rewrite one line in place; by default when the stream is a terminal and CI is not set. */
  live?: boolean;
}

/**
 * A live line (label, done/total, ETA) on an interactive terminal; plain lines at start, every 25%
 * and at the end when stderr is not a TTY or CI is set, so CI logs stay readable. Once a run plan is
 * given, the whole run's status (elapsed, done, ETA) joins the live line, or, in a log, is printed
 * on a line of its own at most every 10 s (every 30 s, or each further 10%).
 */
export class Progress implements ProgressSink {
  private label = '';
  private total = 0;
  private done = 0;
  private started = 0;
  private lastQuarter = -1;
  private readonly live: boolean;
  private readonly now: () => number;
  private run: RunStatus | undefined;
  private readonly redraw = new Throttle(TERMINAL_THROTTLE);

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly quiet = false,
    options: ProgressOptions = {},
  ) {
    this.live = options.live ?? (Boolean(stream.isTTY) && !process.env.CI);
    this.now = options.now ?? (() => performance.now());
  }

  planRun(stages: readonly PlannedStage[], unit?: string): void {
    this.run = new RunStatus(new RunMeter(stages, this.now), unit, this.now);
  }

  beginStage(name: string): void {
    this.run?.meter.beginStage(name);
  }

  start(label: string, total: number, work?: number): void {
    this.finish();
    this.label = label;
    this.total = Math.max(0, total);
    this.done = 0;
    this.started = this.now();
    this.lastQuarter = -1;
    this.run?.meter.phaseStart(this.total, work);
    this.render(true);
  }

  tick(done = this.done + 1): void {
    this.done = Math.min(done, this.total);
    this.run?.meter.phaseTick(this.done);
    this.render(false);
  }

  note(line: string): void {
    if (this.quiet) return;
    if (this.live) this.stream.write('\r\x1b[K');
    this.stream.write(`${line}\n`);
    if (this.live && this.label) this.render(true);
  }

  finish(): void {
    if (!this.label) return;
    this.run?.meter.phaseFinish();
    if (this.live && !this.quiet) this.stream.write('\r\x1b[K');
    if (!this.quiet)
      this.stream.write(
        `${this.label}: ${this.done}/${this.total} done in ${formatSeconds((this.now() - this.started) / 1000)}\n`,
      );
    this.label = '';
  }

  private render(force: boolean): void {
    if (this.quiet || !this.label) return;
    const elapsed = (this.now() - this.started) / 1000;
    const eta = this.done > 0 ? (elapsed / this.done) * (this.total - this.done) : undefined;
    const text = `${this.label}: ${this.done}/${this.total}${eta === undefined ? '' : ` ETA ${formatSeconds(eta)}`}`;
    if (this.live) {
      // Ticks can come thousands a second; a new phase or a note redraws at once.
      if (!this.redraw.due(this.now(), 0) && !force) return;
      const line = this.run ? `${text} | ${this.run.line()}` : text;
      // A line wider than the terminal wraps, and \r would then rewrite only its last row.
      const width = this.stream.columns;
      this.stream.write(
        `\r\x1b[K${width && line.length >= width ? `${line.slice(0, Math.max(1, width - 2))}…` : line}`,
      );
      return;
    }
    const quarter = this.total > 0 ? Math.floor((this.done / this.total) * 4) : 0;
    if (quarter !== this.lastQuarter && quarter < 4) {
      this.lastQuarter = quarter;
      this.stream.write(`${text}\n`);
    }
    const status = this.run?.logLine();
    if (status) this.stream.write(`${status}\n`);
  }
}

/**
 * The whole-run status of a run counted in equal units (validate-gate's bench runs, each its own
 * process), for commands that log lines of their own rather than phases: a status line through
 * `print` at the start and then at a log's pace (LOG_THROTTLE) as units complete.
 */
export class CountedRun {
  private readonly status: RunStatus;
  private count = 0;

  constructor(
    total: number,
    unit: string,
    private readonly print: (line: string) => void,
    now: () => number = () => performance.now(),
  ) {
    const meter = new RunMeter([{ name: unit, work: total }], now);
    meter.beginStage(unit);
    meter.phaseStart(total, total);
    this.status = new RunStatus(meter, unit, now);
    this.report();
  }

  /** One more unit done. */
  done(): void {
    this.status.meter.phaseTick(++this.count);
    this.report();
  }

  private report(): void {
    const line = this.status.logLine();
    if (line) this.print(line);
  }
}

/** For tests and --json runs: records notes, draws nothing. */
export class SilentProgress implements ProgressSink {
  readonly notes: string[] = [];
  start(): void {}
  tick(): void {}
  note(line: string): void {
    this.notes.push(line);
  }
  finish(): void {}
}
