/**
 * What every in-process CLI test needs around `main()`: a fresh temp directory (optionally the cwd),
 * stdout and stderr captured instead of printed, the GitHub variables a CI runner sets blanked (the
 * command must behave the same on a laptop and on a runner), and process.exitCode reset both ways.
 * Call it at the top of a test file; it registers its own beforeEach and afterEach.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, vi } from 'vitest';

export interface CliHarness {
  /** This test's temp directory (removed after it). */
  readonly dir: string;
  readonly stdout: string;
  readonly stderr: string;
  /** Forgets what was captured so far (between two commands in one test). */
  clear(): void;
}

export interface CliHarnessOptions {
  /** Temp directory name prefix, e.g. 'wg-cli-'. */
  prefix: string;
  /** Run each test with the temp directory as the working directory. */
  chdir?: boolean;
}

export function useCliHarness(options: CliHarnessOptions): CliHarness {
  const state = { dir: '', stdout: '', stderr: '', cwd: '' };
  const capture = (stream: NodeJS.WriteStream, into: 'stdout' | 'stderr') =>
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      state[into] += String(chunk);
      return true;
    });

  beforeEach(() => {
    state.dir = fs.mkdtempSync(path.join(os.tmpdir(), options.prefix));
    state.stdout = '';
    state.stderr = '';
    if (options.chdir) {
      state.cwd = process.cwd();
      process.chdir(state.dir);
    }
    capture(process.stdout, 'stdout');
    capture(process.stderr, 'stderr');
    vi.stubEnv('GITHUB_STEP_SUMMARY', '');
    vi.stubEnv('GITHUB_ACTIONS', '');
    process.exitCode = undefined;
  });

  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    if (options.chdir) process.chdir(state.cwd);
    process.exitCode = undefined;
    fs.rmSync(state.dir, { recursive: true, force: true });
  });

  return {
    get dir() {
      return state.dir;
    },
    get stdout() {
      return state.stdout;
    },
    get stderr() {
      return state.stderr;
    },
    clear() {
      state.stdout = '';
      state.stderr = '';
    },
  };
}
