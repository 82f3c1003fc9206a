import { performance } from 'node:perf_hooks';

export interface ProgressSink {
  /** Starts a phase of `total` steps, e.g. one scenario's samples or one suite's trials. */
  start(label: string, total: number): void;
  tick(done?: number): void;
  /** A line that must stay visible (a warning, a skipped scenario). */
  note(line: string): void;
  finish(): void;
}

/**
 * A live line (label, done/total, ETA) on an interactive terminal; plain lines at start, every 25%
 * and at the end when stderr is not a TTY or CI is set, so CI logs stay readable.
 */
export class Progress implements ProgressSink {
  private label = '';
  private total = 0;
  private done = 0;
  private started = 0;
  private lastQuarter = -1;
  private readonly live: boolean;

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly quiet = false,
  ) {
    this.live = Boolean(stream.isTTY) && !process.env.CI;
  }

  start(label: string, total: number): void {
    this.finish();
    this.label = label;
    this.total = Math.max(0, total);
    this.done = 0;
    this.started = performance.now();
    this.lastQuarter = -1;
    this.render();
  }

  tick(done = this.done + 1): void {
    this.done = Math.min(done, this.total);
    this.render();
  }

  note(line: string): void {
    if (this.quiet) return;
    if (this.live) this.stream.write('\r\x1b[K');
    this.stream.write(`${line}\n`);
    if (this.live && this.label) this.render();
  }

  finish(): void {
    if (!this.label) return;
    if (this.live && !this.quiet) this.stream.write('\r\x1b[K');
    if (!this.quiet) this.stream.write(`${this.label}: ${this.done}/${this.total} done in ${formatSeconds((performance.now() - this.started) / 1000)}\n`);
    this.label = '';
  }

  private render(): void {
    if (this.quiet || !this.label) return;
    const elapsed = (performance.now() - this.started) / 1000;
    const eta = this.done > 0 ? (elapsed / this.done) * (this.total - this.done) : undefined;
    const text = `${this.label}: ${this.done}/${this.total}${eta === undefined ? '' : ` ETA ${formatSeconds(eta)}`}`;
    if (this.live) {
      this.stream.write(`\r\x1b[K${text}`);
      return;
    }
    const quarter = this.total > 0 ? Math.floor((this.done / this.total) * 4) : 0;
    if (quarter !== this.lastQuarter && quarter < 4) {
      this.lastQuarter = quarter;
      this.stream.write(`${text}\n`);
    }
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

export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)}s`;
  return `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
}
