import { describe, expect, it } from 'vitest';
import { RunMeter } from './run-meter.js';

function clock(start = 1_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('RunMeter', () => {
  it('counts a phase in proportion to its ticks, in its share of the stage', () => {
    const time = clock();
    const meter = new RunMeter(
      [
        { name: 'bench', work: 20 },
        { name: 'crash', work: 80 },
      ],
      time.now,
    );
    expect(meter.total).toBe(100);
    meter.beginStage('bench');
    meter.phaseStart(200, 10);
    meter.phaseTick(50);
    time.advance(4_000);
    expect(meter.reading()).toEqual({ elapsedMs: 4_000, done: 2.5, total: 100 });
    meter.phaseTick(200);
    expect(meter.reading().done).toBe(10);
    meter.phaseStart(10, 10); // starting the next phase finishes the previous one
    meter.phaseTick(5);
    expect(meter.reading().done).toBe(15);
  });

  it('never lets a stage count for more than its plan, and counts exactly its plan once the next begins', () => {
    const meter = new RunMeter(
      [
        { name: 'bench', work: 20 },
        { name: 'crash', work: 80 },
      ],
      clock().now,
    );
    meter.beginStage('bench');
    meter.phaseStart(1, 50); // a phase that claims more than the whole stage
    meter.phaseTick(1);
    expect(meter.reading().done).toBe(20);
    meter.beginStage('crash');
    expect(meter.reading().done).toBe(20);
    meter.phaseStart(4, 40);
    meter.phaseTick(1);
    expect(meter.reading().done).toBe(30);
  });

  it('counts a skipped or short stage as done when a later one begins', () => {
    const meter = new RunMeter(
      [
        { name: 'bench', work: 20 },
        { name: 'crash', work: 80 },
        { name: 'parity', work: 10 },
      ],
      clock().now,
    );
    meter.beginStage('bench');
    meter.phaseStart(10); // a phase without work (a calibration): nothing until the stage ends
    meter.phaseTick(10);
    expect(meter.reading().done).toBe(0);
    meter.beginStage('parity');
    expect(meter.reading().done).toBe(100);
    meter.beginStage('bench'); // already behind: ignored
    expect(meter.reading().done).toBe(100);
    meter.end();
    expect(meter.reading().done).toBe(110);
  });

  it('ignores ticks outside a phase and clamps ticks to the phase', () => {
    const meter = new RunMeter([{ name: 'only', work: 10 }], clock().now);
    meter.phaseTick(5);
    expect(meter.reading().done).toBe(0);
    meter.beginStage('only');
    meter.phaseStart(0, 10); // a phase with nothing to tick counts when it finishes
    expect(meter.reading().done).toBe(0);
    meter.phaseFinish();
    expect(meter.reading().done).toBe(10);
  });
});
