import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { liveChildGroups } from './lifecycle.js';
import { Spawner } from './spawner.js';

let spawner: Spawner;
beforeEach(() => {
  spawner = Spawner.start();
});
afterEach(() => spawner.close());
const runTimed = (argv: string[], options?: { timeoutMs?: number }) => spawner.run(argv, options);

describe('Spawner (per-op commands under bench)', () => {
  it('stops the clock at the exit, not when a left-behind child closes stderr, and kills that child', async () => {
    // The shell exits at once; its background sleep still holds the stderr pipe for 2 s.
    const result = await runTimed(['/bin/sh', '-c', 'sleep 2 & exit 0'], { timeoutMs: 10_000 });
    expect(result.exitCode).toBe(0);
    expect(result.elapsedMs).toBeGreaterThan(0);
    expect(result.elapsedMs).toBeLessThan(1000);
  });

  it("keeps a failure's stderr, to its last line", async () => {
    const result = await runTimed(['/bin/sh', '-c', 'echo first >&2; echo "no space left" >&2; exit 3']);
    expect(result).toMatchObject({ exitCode: 3, signal: undefined, timedOut: false, spawnError: undefined });
    expect(result.stderrTail.trim().split('\n').at(-1)).toBe('no space left');
  });

  it('reports a program that cannot start, and a timeout', async () => {
    expect((await runTimed(['/nonexistent/writer'])).spawnError).toMatch(/ENOENT/);
    const slow = await runTimed(['/bin/sleep', '5'], { timeoutMs: 100 });
    expect(slow).toMatchObject({ timedOut: true, signal: 'SIGKILL' });
    expect(slow.elapsedMs).toBeLessThan(4000);
  });

  it('registers each command with the lifecycle only while it runs', async () => {
    const before = liveChildGroups();
    // The spawner itself.
    expect(before).toHaveLength(1);
    const running = runTimed(['/bin/sleep', '1']);
    let during: readonly number[] = before;
    for (let waited = 0; during.length === 1 && waited < 5000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      during = liveChildGroups();
    }
    expect(during).toHaveLength(2);
    await running;
    expect(liveChildGroups()).toEqual(before);
  });

  it('runs commands one at a time, in order, and answers each its own', async () => {
    // Each failure keeps its own stderr: the second command starts only once the first has exited.
    const results = await Promise.all([
      runTimed(['/bin/sh', '-c', 'sleep 0.2; echo one >&2; exit 4']),
      runTimed(['/bin/true']),
      runTimed(['/bin/sh', '-c', 'echo two >&2; exit 5']),
    ]);
    expect(results.map((result) => [result.exitCode, result.stderrTail.trim()])).toEqual([
      [4, 'one'],
      [0, ''],
      [5, 'two'],
    ]);
  });

  it('after close, its commands are refused with a reason', async () => {
    await spawner.close();
    await expect(runTimed(['/bin/true'])).rejects.toThrow(/the process that starts the commands exited/);
    spawner = Spawner.start();
  });
});
