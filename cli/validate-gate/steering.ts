import { percentile } from '../../core/stats.js';

/** How many recent comparisons steer the spin factor. */
const STEERING_WINDOW = 5;

/**
 * The spin factor of the injected slowdown. A wait of effect × the write's time lands as more than
 * `effect` on a busy machine (waking up costs too), so the factor is steered. Each comparison shows
 * how much slowdown a unit of factor gave (slowed p50 / base p50 − 1, divided by the factor it ran
 * with); the next factor is the target over the median of the last STEERING_WINDOW of those. A median,
 * not the last one: steering on one comparison chases its noise (a +34% draw pushed a later
 * comparison down to +12%). The recent ones, not all: the machine drifts (base p50 fell from 1.4 to
 * 1.0 ms within one run, and the gain with it), and a median of all kept the injection at +21%. The
 * comparison that is judged always ran with a factor fixed before its runs.
 */
export class Steering {
  private readonly gains: number[] = [];
  factor: number;

  constructor(private readonly effect: number) {
    this.factor = effect;
  }

  /** A comparison that ran with the current factor measured the slowed probe at `ratio` × base. */
  observe(ratio: number): void {
    this.gains.push((ratio - 1) / this.factor);
    const gain = percentile(this.gains.slice(-STEERING_WINDOW), 50);
    if (gain > 0) this.factor = Math.min(4 * this.effect, Math.max(this.effect / 4, this.effect / gain));
  }
}
