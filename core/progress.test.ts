import { describe, expect, it } from 'vitest';
import { CountedRun, Progress } from './progress.js';

function fakeStream(columns?: number) {
  const writes: string[] = [];
  const stream = {
    write: (text: string) => writes.push(text) > 0,
    isTTY: columns !== undefined,
    columns,
  } as unknown as NodeJS.WriteStream;
  return { stream, writes, lines: () => writes.join('').split('\n').filter(Boolean) };
}

function clock() {
  let now = 0;
  return { now: () => now, set: (ms: number) => (now = ms) };
}

describe('Progress in a log (not a terminal)', () => {
  it(
    "prints the whole run's status on lines of its own, throttled, estimating " + 'first and then an ETA from the pace',
    () => {
      const out = fakeStream();
      const time = clock();
      const progress = new Progress(out.stream, false, { now: time.now, live: false });
      progress.planRun([
        { name: 'bench', work: 100 },
        { name: 'crash', work: 300 },
      ]);
      progress.beginStage('bench');
      progress.start('bench 1/2', 100, 50);
      for (let done = 1; done <= 100; done++) {
        time.set(done * 500); // 0.5 s a tick: the phase takes 50 s
        progress.tick(done);
      }
      progress.start('bench 2/2', 100, 50);
      for (let done = 1; done <= 100; done++) {
        time.set(50_000 + done * 500);
        progress.tick(done);
      }
      progress.finish();
      const status = out.lines().filter((line) => line.startsWith('run: '));
      expect(status[0]).toBe('run: 0.0s elapsed · 0% done · ETA estimating…');
      // 100 s of ticks: a line every 10 s at most (10 × 10% crossings and the 30 s beat fall inside that).
      expect(status.length).toBeGreaterThanOrEqual(4);
      expect(status.length).toBeLessThanOrEqual(11);
      // Halfway through bench, 50 s in: 50 of 400 planned units at 1 unit/s leaves 350 s.
      // The pace is exactly one planned unit a second, so every estimate must put the end at 400 s, and
      // lines must be at least 10 s apart.
      const seconds = (text: string) => {
        const m = /^(?:(\d+)m)?([\d.]+)s$/.exec(text) as RegExpExecArray;
        return Number(m[1] ?? 0) * 60 + Number(m[2]);
      };
      const parsed = status
        .slice(1)
        .map((line) => /^run: (\S+) elapsed · \d+% done · ETA (\S+)$/.exec(line) as RegExpExecArray);
      expect(parsed.every(Boolean)).toBe(true);
      for (const [, elapsed, left] of parsed)
        expect(seconds(elapsed as string) + seconds(left as string)).toBeCloseTo(400, 0);
      const times = [0, ...parsed.map(([, elapsed]) => seconds(elapsed as string))];
      for (let i = 1; i < times.length; i++)
        expect((times[i] as number) - (times[i - 1] as number)).toBeGreaterThanOrEqual(10);
      // The phases' own lines are as before: start, each quarter, the end.
      expect(out.lines().filter((line) => line.startsWith('bench 1/2'))).toHaveLength(5);
    },
  );

  it('prints no run status without a plan', () => {
    const out = fakeStream();
    const time = clock();
    const progress = new Progress(out.stream, false, { now: time.now, live: false });
    progress.start('parity', 4);
    for (let done = 1; done <= 4; done++) {
      time.set(done * 60_000);
      progress.tick(done);
    }
    progress.finish();
    expect(out.lines().some((line) => line.startsWith('run: '))).toBe(false);
    expect(out.lines().at(-1)).toBe('parity: 4/4 done in 4m00s');
  });
});

describe('Progress on a terminal', () => {
  it('rewrites one line with the phase and the run status, a few times a second at most', () => {
    const out = fakeStream(200);
    const time = clock();
    const progress = new Progress(out.stream, false, { now: time.now, live: true });
    progress.planRun([{ name: 'crash', work: 10 }]);
    progress.beginStage('crash');
    progress.start('crash pool', 1000, 10);
    const before = out.writes.length;
    // 1000 ticks over one second: about five redraws, not a thousand.
    for (let done = 1; done <= 1000; done++) {
      time.set(done);
      progress.tick(done);
    }
    const redraws = out.writes.length - before;
    expect(redraws).toBeGreaterThanOrEqual(4);
    expect(redraws).toBeLessThanOrEqual(6);
    expect(out.writes.at(-2)).toMatch(
      /^\r\x1b\[Kcrash pool: \d+\/1000 ETA [\d.]+s \| run: 0\.\ds elapsed · \d+% done · ETA estimating…$/,
    );
  });

  it('cuts a line wider than the terminal, which would wrap and break the rewrite', () => {
    const out = fakeStream(40);
    const progress = new Progress(out.stream, false, { now: clock().now, live: true });
    progress.planRun([{ name: 'bench', work: 1 }]);
    progress.start('bench 3/21 durable 1KiB (6 subjects × 5 rounds)', 500, 1);
    const drawn = (out.writes.at(-1) as string).replace('\r\x1b[K', '');
    expect(drawn.length).toBeLessThan(40);
    expect(drawn.endsWith('…')).toBe(true);
  });
});

describe('CountedRun', () => {
  it("says estimating at the start, then counts units and extrapolates, at a log's pace", () => {
    const lines: string[] = [];
    const time = clock();
    const run = new CountedRun(31, 'bench runs', (line) => lines.push(line), time.now);
    expect(lines).toEqual(['run: 0.0s elapsed · 0/31 bench runs · ETA estimating…']);
    for (let i = 1; i <= 31; i++) {
      time.set(i * 20_000); // 20 s a bench run
      run.done();
    }
    // 20 s a unit: once 30 s have passed since the last line, or a 10% step after 10 s.
    expect(lines[1]).toBe('run: 40s elapsed · 2/31 bench runs · ETA 9m40s');
    expect(lines.at(-1)).toBe('run: 10m20s elapsed · 31/31 bench runs · ETA 0.0s');
    // Every estimate puts the end at 31 × 20 s = 620 s.
    for (const line of lines.slice(1)) {
      const [, m1, s1, m2, s2] =
        /^run: (?:(\d+)m)?([\d.]+)s elapsed · \d+\/31 bench runs · ETA (?:(\d+)m)?([\d.]+)s$/.exec(line) ?? [];
      expect(Number(m1 ?? 0) * 60 + Number(s1) + Number(m2 ?? 0) * 60 + Number(s2)).toBe(620);
    }
    expect(lines.length).toBeLessThan(31);
    expect(lines.length).toBeGreaterThan(10);
  });
});
