import { describe, expect, it } from 'vitest';
import { runTimed } from './process.js';

describe('runTimed (per-op commands under bench)', () => {
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
});
