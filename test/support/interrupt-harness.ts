/**
 * The CLI as a real child process for interrupt tests: a private temp directory and TMPDIR per test,
 * a signal sent when what it printed says so, and what a run left behind (workspaces, --out).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { RESULTS_CSV, RESULTS_ENV, RESULTS_MD } from '../../core/schema.js';
import { selfScriptArgv } from '../../core/self-script.js';
import { bundleSelfScripts } from '../../core/self-script-bundle.js';

export interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

export interface InterruptHarness {
  /** This test's directory (the child's cwd); its TMPDIR is `tmp` inside it. */
  readonly dir: string;
  /** The CLI as a child; `when` decides, from stderr so far (or the child's pid), when to send `signal`. */
  writegate(
    args: string[],
    signal: NodeJS.Signals,
    when: (stderr: string, pid: number) => boolean,
    env?: Record<string, string>,
  ): Promise<Ended>;
  /** Workspaces left in the child's TMPDIR. */
  workspaces(): string[];
}

/** `pollMs`: how often `when` is asked (a signal aimed at a narrow window wants it often). */
export function useInterruptHarness(prefix = 'wg-interrupt-', pollMs = 50): InterruptHarness {
  const state = { dir: '', tmp: '' };
  // writegate bundled once per file, as compare bundles its rounds: the same code, started without the tsx loader.
  let bundles = '';
  let forgetBundles = () => {};
  beforeAll(async () => {
    bundles = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}bundle-`));
    forgetBundles = await bundleSelfScripts(bundles, ['cli/bin.ts']);
  });
  afterAll(() => {
    forgetBundles();
    fs.rmSync(bundles, { recursive: true, force: true });
  });
  beforeEach(() => {
    state.dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    state.tmp = path.join(state.dir, 'tmp');
    fs.mkdirSync(state.tmp);
  });
  afterEach(() => fs.rmSync(state.dir, { recursive: true, force: true }));
  return {
    get dir() {
      return state.dir;
    },
    writegate(args, signal, when, env = {}) {
      const argv = selfScriptArgv('cli/bin.ts', args);
      const child = spawn(argv[0] as string, argv.slice(1), {
        cwd: state.dir,
        env: { ...process.env, TMPDIR: state.tmp, CI: '1', ...env },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      let sent = false;
      const poll = setInterval(() => {
        if (!sent && when(stderr, child.pid as number)) {
          sent = true;
          child.kill(signal);
        }
      }, pollMs);
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      return new Promise((resolve) =>
        child.on('exit', (code, sig) => {
          clearInterval(poll);
          resolve({ code, signal: sig, stderr });
        }),
      );
    },
    workspaces: () => fs.readdirSync(state.tmp).filter((name) => name.startsWith('writegate-')),
  };
}

/**
 * Whether `pid` has a handler for `signal` (its bit in /proc's SigCgt): then writegate, not the default action,
 * decides how it ends.
 */
export function catches(pid: number, signal: NodeJS.Signals): boolean {
  try {
    const caught = /^SigCgt:\s*([0-9a-f]+)$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return caught !== undefined && (BigInt(`0x${caught}`) & (1n << BigInt(os.constants.signals[signal] - 1))) !== 0n;
  } catch {
    return false;
  }
}

/** Whether a process still runs (a zombie does not). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z');
  } catch {
    return false;
  }
}

export async function eventually(check: () => boolean, ms = 5000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return check();
}

export { snapshot } from './tree-snapshot.js';

/** The run id a complete --out is about: the CSV's env rows, results_env.txt and RESULTS.md all name it. */
export function completeRun(out: string): string {
  const env = /^run_id=(\S+)$/m.exec(fs.readFileSync(path.join(out, RESULTS_ENV), 'utf8'))?.[1];
  const report = fs.readFileSync(path.join(out, RESULTS_MD), 'utf8');
  expect(env).toBeDefined();
  expect(fs.readFileSync(path.join(out, RESULTS_CSV), 'utf8')).toContain(`${env},env,`);
  expect(report).toContain(env as string);
  return env as string;
}
