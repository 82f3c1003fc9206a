import fs from 'node:fs';
import path from 'node:path';
import { runProcess, type RunResult } from '../core/process.js';
import type { OneShotRun, Reported } from './types.js';
import type { OneShot, OneShotOptions, WriterSubject } from '../core/subjects/types.js';
import type { WriteMode } from '../core/writer/types.js';
import { straceSyscallList, TRACE_SET } from '../core/trace/syscalls.js';

/** What the writer said: exit 0, a failure exit, a compare-and-swap conflict (exit 3), or nothing (killed). */
export type { OneShotRun, Reported } from './types.js';

export interface OneShotSpec {
  subject: WriterSubject;
  source: string;
  target: string;
  /** The writer's $TMPDIR (the trial's own, so temps it leaves there are seen). */
  tmpDir?: string;
  mode?: WriteMode;
  options?: OneShotOptions;
  /** Run under strace (`binary`), writing the trace here, with these extra arguments (-f, -P, -e inject=...). */
  strace?: { binary: string; traceFile: string; extra?: readonly string[] };
  timeoutMs?: number;
  onSpawn?: (pid: number) => void;
}

export const ONE_SHOT_TIMEOUT_MS = 60_000;

/**
 * The argv strace runs for a traced one-shot: every write-path family, fds shown with their paths,
 * data strings cut (paths are always printed in full). `extra` carries -f (recordings always
 * follow children and threads; an aim may not), -P and -e inject=.
 */
export function straceArgv(
  binary: string,
  traceFile: string,
  extra: readonly string[],
  argv: readonly string[],
): string[] {
  return [
    binary,
    '-q',
    '-y',
    '-s',
    '0',
    '-o',
    traceFile,
    '-e',
    `trace=${straceSyscallList(TRACE_SET)}`,
    ...extra,
    '--',
    ...argv,
  ];
}

/**
 * A writer's arguments that name files relative to where writegate was started (`python3 w.py`),
 * made absolute: the writer runs in its trial's directory, not there. An argument is pinned only
 * when it names something that exists from writegate's own working directory.
 */
export function pinRelativePaths(argv: readonly string[], from = process.cwd()): string[] {
  return argv.map((arg) => {
    if (arg === '' || arg.startsWith('-') || path.isAbsolute(arg)) return arg;
    const full = path.resolve(from, arg);
    return fs.existsSync(full) ? full : arg;
  });
}

/**
 * Runs one subject's one-shot write (optionally traced) and reads what it reported. The writer runs
 * in its box: its working directory is the trial's own directory (the parent of the target's
 * directory and of its $TMPDIR), so a relative path it writes to lands there, inside the workspace,
 * where it is seen and removed — never in the user's project.
 */
export async function runOneShot(spec: OneShotSpec): Promise<OneShotRun> {
  const shot = spec.subject.oneShot(
    { source: spec.source, target: spec.target, mode: spec.mode ?? 'durable' },
    spec.options,
  );
  return runShot(shot, spec.tmpDir !== undefined ? path.dirname(spec.tmpDir) : path.dirname(spec.target), spec);
}

/**
 * Runs a prepared one-shot process (one write, or one batch) in `cwd`, optionally under strace,
 * with the trial's $TMPDIR, and reads what it reported.
 */
export async function runShot(
  shot: OneShot,
  cwd: string,
  spec: Pick<OneShotSpec, 'tmpDir' | 'strace' | 'timeoutMs' | 'onSpawn'>,
): Promise<OneShotRun> {
  const writerArgv = pinRelativePaths(shot.argv);
  const argv = spec.strace
    ? straceArgv(spec.strace.binary, spec.strace.traceFile, spec.strace.extra ?? [], writerArgv)
    : writerArgv;
  const env = spec.tmpDir === undefined ? shot.env : { ...shot.env, TMPDIR: spec.tmpDir };
  const result = await runProcess(argv, {
    env,
    cwd,
    timeoutMs: spec.timeoutMs ?? ONE_SHOT_TIMEOUT_MS,
    onSpawn: spec.onSpawn,
  });
  const trace = spec.strace ? readIfExists(spec.strace.traceFile) : undefined;
  return { result, reported: reportedBy(result), trace, ending: ending(result) };
}

export function reportedBy(result: RunResult): Reported {
  if (result.signal || result.timedOut) return 'killed';
  if (result.exitCode === 0) return 'success';
  if (result.exitCode === 3) return 'conflict';
  return 'failure';
}

export function ending(result: RunResult): string {
  if (result.spawnError) return `could not start: ${result.spawnError}`;
  if (result.timedOut) return 'timed out (killed)';
  if (result.signal) return `killed by ${result.signal}`;
  const last = result.stderr.trim().split('\n').at(-1)?.trim() ?? '';
  return `exit ${result.exitCode}${last ? `: ${last.slice(0, 160)}` : ''}`;
}

function readIfExists(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
