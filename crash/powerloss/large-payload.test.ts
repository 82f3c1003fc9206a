import { describe, expect, it } from 'vitest';
import { explore } from './explore.js';
import { largePayloadRun } from './large-payload.js';

// 133 ops: create, 128 writes of 64 KiB, fsync, close, rename, fsync dir. Timing lives in
// explore.bench.ts; this only pins the state count and the verdicts.
describe('8 MiB payload in 128 writes', () => {
  const safe = largePayloadRun({ fsyncTemp: true, fsyncDir: true });

  it('posix: the whole space is 2047 states, all of them atomic, the final one durable', () => {
    // crash before anything: 1; after the create: 2 (entry on disk or not); after write j: 2 × the
    // temp's outcomes (j + 4 for j ≤ 4, else 8) = 2036; after fsync and close: 2 + 2; after the
    // rename: 3 (prefixes of the directory's two changes); after the directory fsync: 1.
    const result = explore(safe, 'posix', { maxStates: 5000 });
    expect(result.exhaustive).toBe(true);
    expect(result.spaceSize).toBe(2047);
    expect(result.states).toBe(2047);
    expect(result.atomicity).toEqual({ states: 2047, violations: 0 });
    expect(result.durability).toEqual({ states: 1, violations: 0 });
  });

  it('posix with the default bound samples 1000 of them and still finds nothing', () => {
    const result = explore(safe, 'posix');
    expect(result.exhaustive).toBe(false);
    expect(result.states).toBe(1000);
    expect(result.spaceSize).toBe(2047);
    expect(result.violations).toEqual([]);
  });

  it('without fsyncs: posix finds torn and empty targets, ext4-ordered only the lost rename', () => {
    const unsafe = largePayloadRun({ fsyncTemp: false, fsyncDir: false });
    const posix = explore(unsafe, 'posix', { maxStates: 5000 });
    expect(posix.exhaustive).toBe(true);
    expect(posix.atomicity.violations).toBeGreaterThan(0);
    // The smallest explanation: right after the rename, only the last 64 KiB write lost.
    const first = posix.violations[0]!;
    expect(first.afterCall).toMatch(/^renameat2/);
    expect(first.lost).toEqual([128]);
    expect(first.target).toEqual({
      kind: 'other',
      size: 127 * 64 * 1024,
      shape: 'fresh-prefix',
      firstDifference: 127 * 64 * 1024,
    });
    const ext4 = explore(unsafe, 'ext4-ordered', { maxStates: 5000 });
    expect(ext4.exhaustive).toBe(true);
    expect(ext4.atomicity.violations).toBe(0);
    expect(ext4.durability.violations).toBeGreaterThan(0);
    expect(ext4.violations.every((v) => v.target.kind === 'old')).toBe(true);
  });
});
