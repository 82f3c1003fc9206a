import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { selfScriptArgv } from './self-script.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-lifecycle-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Starts the fixture, waits for "ready", sends `signal`, and resolves with how it ended. */
function signalled(
  signal: NodeJS.Signals,
  mode = 'owner',
  twice = false,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const argv = selfScriptArgv('test/fixtures/interrupt/owner-child.ts', [dir, mode]);
  const child = spawn(argv[0] as string, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk: Buffer) => {
    if (!chunk.toString().includes('ready')) return;
    child.kill(signal);
    if (twice) setTimeout(() => child.kill(signal), 500);
  });
  return new Promise((resolve) => child.on('exit', (code, sig) => resolve({ code, signal: sig })));
}

describe('signal ownership with when-exit (atomically) and signal-exit (write-file-atomic) loaded', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('%s: the async cleanup finishes, then exit %i (not death by the signal)', async (signal, code) => {
    const ended = await signalled(signal);
    expect(ended).toEqual({ code, signal: null });
    expect(fs.readFileSync(path.join(dir, 'cleaned'), 'utf8')).toBe('yes');
    expect(alive(Number(fs.readFileSync(path.join(dir, 'child.pid'), 'utf8')))).toBe(false);
  });

  it(
    "a library re-raising the signal at us during the cleanup (when-exit's " +
      'way) neither kills us nor counts as a second signal',
    async () => {
      const ended = await signalled('SIGTERM', 'reraise');
      expect(ended).toEqual({ code: 143, signal: null });
      expect(fs.readFileSync(path.join(dir, 'cleaned'), 'utf8')).toBe('yes');
    },
  );

  it('work still writing under the workspace after its removal does not bring it back: the root is gone at exit', async () => {
    const ended = await signalled('SIGINT', 'late-writer');
    expect(ended).toEqual({ code: 130, signal: null });
    expect(fs.readFileSync(path.join(dir, 'refused'), 'utf8')).toBe('InterruptedError');
    expect(fs.existsSync(fs.readFileSync(path.join(dir, 'workspace'), 'utf8'))).toBe(false);
  });

  it('a second signal during a cleanup that would take a minute exits at once, still killing the child', async () => {
    const ended = await signalled('SIGINT', 'slow-cleanup', true);
    expect(ended).toEqual({ code: 130, signal: null });
    expect(fs.existsSync(path.join(dir, 'cleaned'))).toBe(false);
    expect(alive(Number(fs.readFileSync(path.join(dir, 'child.pid'), 'utf8')))).toBe(false);
  });
});

describe('SIGKILL: the watchdog', () => {
  it(
    'kills the registered groups, and a child never registered (killed inside ' +
      'spawn) by the run token in its environment; nothing else',
    async () => {
      const ended = await signalled('SIGKILL', 'stray');
      expect(ended.signal).toBe('SIGKILL');
      const pid = (name: string) => Number(fs.readFileSync(path.join(dir, `${name}.pid`), 'utf8'));
      const gone = async (p: number) => {
        for (let waited = 0; alive(p) && waited < 3000; waited += 50)
          await new Promise((resolve) => setTimeout(resolve, 50));
        return !alive(p);
      };
      try {
        expect(await gone(pid('child'))).toBe(true);
        expect(await gone(pid('stray'))).toBe(true);
        expect(alive(pid('foreign'))).toBe(true);
      } finally {
        for (const name of ['child', 'stray', 'foreign']) {
          try {
            process.kill(pid(name), 'SIGKILL');
          } catch {
            // already gone
          }
        }
      }
    },
  );
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z');
  } catch {
    return false;
  }
}
