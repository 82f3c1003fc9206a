/**
 * Interrupt audit: starts the built CLI many times across every command that writes results (bench,
 * crash, parity, hook, gate, compare, readiness), signals each run at a random moment, and checks what
 * is left:
 *   - an interrupted run (SIGINT, SIGTERM, SIGHUP) exits 130, 143 or 129 — or, when the signal came
 *     after its results were committed or after it ended, finishes 0/1. A signal in the last
 *     milliseconds of Node's own teardown, after the run committed and returned, when no JavaScript
 *     can run any more, ends the process by the signal: counted apart, and only when --out then holds
 *     the new run's complete, consistent results pair;
 *   - --out of every run that exited 129/130/143 is byte for byte what it was before the run (a hash of
 *     every file, staging leftovers included);
 *   - no process of the run is alive 1 s after it exited (found by an environment marker every child
 *     inherits, or the run's temp root in its command line or environment);
 *   - no workspace of a run is left once the next run has started; right after a graceful exit, none;
 *   - SIGKILL runs (a share, `--kills`): the results pair is never torn and, once the next run has
 *     started, agrees with itself.
 * Each command first runs once to the end, so --out holds real results to protect and the run's
 * length is known: signals land uniformly from 0.2 s to just past that length. Runs go on until
 * `--runs` graceful signals have interrupted a run and `--kills` SIGKILLs have killed one.
 *
 *   npm run build && npx tsx test/scripts/interrupt-audit.ts [--runs 100] [--kills 20] [--seed 1] [--fs ext4,xfs]
 *
 * With --fs (root), only bench, crash and gate run, each on those fresh file systems, and every
 * mount and loop device a run made must be gone right after a graceful exit, and after the next
 * start's sweep when it was SIGKILLed.
 *
 * Prints one JSON line per run and a summary; exits 1 when any check failed.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readResultsCsv } from '../../core/csv.js';
import { pairMismatch } from '../../core/results-pair.js';
import { RESULTS_CSV, RESULTS_ENV } from '../../core/schema.js';
import { changedFiles, snapshot } from '../support/tree-snapshot.js';
import { loopsBackedUnder, mountsUnder } from '../../core/fs/loop.js';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number): number => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const text = (name: string): string | undefined => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
};
const RUNS = arg('runs', 100);
/** With --fs: only the commands that make file systems run, each on these; mounts and loop devices are audited too. */
const FS = text('fs');
const KILLS = arg('kills', 20);
let seed = arg('seed', 1) >>> 0 || 1;
const random = (): number => {
  // xorshift32: the same seed gives the same schedule.
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 2 ** 32;
};
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const cli = path.join(repo, 'dist/cli/bin.js');
if (!fs.existsSync(cli)) throw new Error(`${cli} missing: run npm run build first`);
const base = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-audit-'));
const tmpRoot = path.join(base, 'tmp');
fs.mkdirSync(tmpRoot);

const node = process.execPath;
const hook = `ref=${node} ${path.join(repo, 'test/fixtures/hooks/reference-hook.mjs')}`;
const writer = `w=${node} ${path.join(repo, 'examples/example-writer.mjs')} {source} {target} {mode}`;
/** Each command's arguments, before --out. */
const COMMANDS: Record<string, string[]> = {
  bench: ['bench', '--profile', 'quick'],
  crash: ['crash', '--profile', 'quick'],
  parity: ['parity', '--profile', 'quick'],
  hook: ['hook', '--profile', 'quick', '--hook', hook],
  gate: ['gate', '--profile', 'quick'],
  compare: [
    'compare',
    '--base',
    writer,
    '--head',
    writer,
    '--sizes',
    '1KiB',
    '--modes',
    'durable',
    '--max-rounds',
    '2',
    '--samples',
    '5',
    '--allow-inconclusive',
  ],
  readiness: ['readiness', '--profile', 'quick', '--hook', hook, '--wrapper', 'plain=git'],
};
if (FS) {
  for (const name of Object.keys(COMMANDS)) {
    if (['bench', 'crash', 'gate'].includes(name)) (COMMANDS[name] as string[]).push('--fs', FS);
    else delete COMMANDS[name];
  }
}
const NAMES = Object.keys(COMMANDS);
const GRACEFUL = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
type Signal = keyof typeof GRACEFUL | 'SIGKILL';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const outOf = (command: string) => path.join(base, `out-${command}`);

/** Processes (other than us) whose environ holds `marker` or whose cmdline/environ mentions the temp root. */
function survivors(marker: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const environ = fs.readFileSync(`/proc/${entry}/environ`, 'latin1');
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'latin1');
      const state = fs.readFileSync(`/proc/${entry}/stat`, 'latin1').split(') ')[1]?.[0];
      if (state === 'Z') continue; // a zombie is not running; its parent reaps it
      if (environ.includes(marker) || environ.includes(tmpRoot) || cmdline.includes(tmpRoot))
        found.push(`${entry}:${cmdline.replace(/\0/g, ' ').slice(0, 80)}`);
    } catch {
      // Gone while we looked, or not ours to read.
    }
  }
  return found;
}

/**
 * Mounts and loop devices whose mount point or image lies under the audit's temp root. A loop device
 * is named with its image (its name is reused by the next run; the image path names the run).
 */
function fsLeftovers(): string[] {
  const image = (device: string): string => {
    try {
      return fs.readFileSync(`/sys/block/${path.basename(device)}/loop/backing_file`, 'utf8').trim();
    } catch {
      return '?';
    }
  };
  return [
    ...mountsUnder(tmpRoot).map((dir) => `mount ${dir}`),
    ...loopsBackedUnder(tmpRoot).map((device) => `loop ${device} ${image(device)}`),
  ];
}

function workspaces(): string[] {
  return fs
    .readdirSync(tmpRoot)
    .filter((name) => name.startsWith('writegate-'))
    .map((name) => path.join(tmpRoot, name));
}

/** The results pair in `out`: torn (the CSV does not parse) or mismatched (env and CSV name different runs). */
function pairState(out: string): { torn: boolean; mismatch: boolean } {
  const csv = path.join(out, RESULTS_CSV);
  if (!fs.existsSync(csv)) return { torn: false, mismatch: false };
  try {
    readResultsCsv(csv);
  } catch {
    return { torn: true, mismatch: false };
  }
  return { torn: false, mismatch: pairMismatch(csv) !== undefined };
}

/** The run id results_env.txt names, or undefined (no results yet). */
function runIdIn(out: string): string | undefined {
  try {
    return /^run_id=(\S+)$/m.exec(fs.readFileSync(path.join(out, RESULTS_ENV), 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}

interface Ended {
  code: number | null;
  signal: string | null;
  ms: number;
  stderr: string;
}

function start(run: string, command: string, signal: Signal | undefined, delayMs: number): Promise<Ended> {
  const env = { ...process.env, TMPDIR: tmpRoot, CI: '1', WRITEGATE_AUDIT_RUN: `${process.pid}-${run}` };
  const child = spawn(node, [cli, ...(COMMANDS[command] as string[]), '--out', outOf(command)], {
    cwd: base,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const began = Date.now();
  const timer = signal ? setTimeout(() => child.kill(signal), delayMs) : undefined;
  return new Promise((resolve) =>
    child.on('exit', (code, sig) => {
      clearTimeout(timer);
      resolve({ code, signal: sig, ms: Date.now() - began, stderr });
    }),
  );
}

interface RunRecord {
  run: number;
  command: string;
  signal: Signal;
  delayMs: number;
  exitCode: number | null;
  exitSignal: string | null;
  /** Exited 129/130/143: the run was stopped before its commit. */
  interrupted: boolean;
  /** Ended 0/1: the signal came after the commit, or after the run. */
  finished: boolean;
  /** Ended by the signal itself in Node's teardown, after a complete run: --out holds its new, consistent pair. */
  inTeardown: boolean;
  exitOk: boolean;
  outChanged: string[];
  survivors: string[];
  workspacesRightAfter: string[];
  torn: boolean;
  previousWorkspacesLeft: string[];
  /**
   * Mounts and loop devices of this run right after a graceful exit, and of the previous run after this one's start
   * swept.
   */
  fsRightAfter: string[];
  previousFsLeft: string[];
}

/** How long each command runs to its end; also leaves real results in each --out to protect. */
const lengthMs: Record<string, number> = {};
for (const command of NAMES) {
  const ended = await start(`seed-${command}`, command, undefined, 0);
  if (ended.code !== 0 && ended.code !== 1)
    throw new Error(`${command} did not run to its end (exit ${ended.code ?? ended.signal}):\n${ended.stderr}`);
  lengthMs[command] = ended.ms;
  process.stdout.write(`${JSON.stringify({ seed_run: command, exit: ended.code, ms: ended.ms })}\n`);
}

/**
 * Runs go on until RUNS graceful signals have interrupted a run (exit 129/130/143) and KILLS SIGKILLs
 * have killed one: a signal that lands after a run committed or ended is recorded, not counted, so a
 * machine slower or faster than while the lengths were measured still gets the interrupts asked for.
 */
const MAX_RUNS = 3 * (RUNS + KILLS);
let interruptsLeft = RUNS;
let killsLeft = KILLS;
const nextSignal = (): Signal =>
  random() * (interruptsLeft + killsLeft) < killsLeft ? 'SIGKILL' : pick(['SIGINT', 'SIGTERM', 'SIGHUP'] as const);

const records: RunRecord[] = [];
let previousWorkspaces: string[] = [];
let previousFs: string[] = [];
for (let run = 1; (interruptsLeft > 0 || killsLeft > 0) && run <= MAX_RUNS; run++) {
  const signal = nextSignal();
  const command = pick(NAMES);
  const delayMs = Math.round(200 + random() * ((lengthMs[command] as number) * 1.05 - 200));
  const out = outOf(command);
  const before = snapshot(out);
  const runBefore = runIdIn(out);
  const ended = await start(String(run), command, signal, delayMs);
  const previousWorkspacesLeft = previousWorkspaces.filter((dir) => fs.existsSync(dir));
  const previousFsLeft = previousFs.filter((item) => fsLeftovers().includes(item));
  const workspacesRightAfter = workspaces();
  const fsRightAfter = fsLeftovers();
  await sleep(1000);
  const alive = survivors(`WRITEGATE_AUDIT_RUN=${process.pid}-${run}`);
  for (const line of alive) {
    try {
      process.kill(Number(line.split(':')[0]), 'SIGKILL'); // so one failure does not spill into the next run's figures
    } catch {
      // gone
    }
  }
  const interrupted = signal !== 'SIGKILL' && ended.code === GRACEFUL[signal];
  const finished = ended.code === 0 || ended.code === 1;
  const pair = pairState(out);
  const inTeardown =
    signal !== 'SIGKILL' && ended.signal === signal && runIdIn(out) !== runBefore && !pair.torn && !pair.mismatch;
  const exitOk = signal === 'SIGKILL' ? ended.signal === 'SIGKILL' || finished : interrupted || finished || inTeardown;
  if (!exitOk)
    process.stderr.write(`run ${run}: ${command} ${signal}: exit ${ended.code ?? ended.signal}\n${ended.stderr}\n`);
  const record: RunRecord = {
    run,
    command,
    signal,
    delayMs,
    exitCode: ended.code,
    exitSignal: ended.signal,
    interrupted,
    finished,
    inTeardown,
    exitOk,
    outChanged: interrupted ? changedFiles(before, snapshot(out)) : [],
    survivors: alive,
    workspacesRightAfter: signal === 'SIGKILL' ? [] : workspacesRightAfter,
    torn: pair.torn,
    previousWorkspacesLeft,
    fsRightAfter: signal === 'SIGKILL' ? [] : fsRightAfter,
    previousFsLeft,
  };
  records.push(record);
  if (interrupted) interruptsLeft--;
  if (signal === 'SIGKILL' && ended.signal === 'SIGKILL') killsLeft--;
  process.stdout.write(`${JSON.stringify(record)}\n`);
  previousWorkspaces = workspaces();
  previousFs = fsLeftovers();
}

// One more start, so the last run's leftovers meet a sweep too; then one start per results directory,
// after which every results pair must agree with itself.
const lastLeft: string[] = [];
for (const command of NAMES) {
  const ended = await start(`final-${command}`, command, 'SIGINT', 1500);
  if (command === NAMES[0])
    lastLeft.push(
      ...previousWorkspaces.filter((dir) => fs.existsSync(dir)),
      ...previousFs.filter((item) => fsLeftovers().includes(item)),
    );
  if (ended.code !== 130 && ended.code !== 0 && ended.code !== 1)
    process.stderr.write(`final ${command}: exit ${ended.code ?? ended.signal}\n`);
}
await sleep(1000);
const finalMismatch = NAMES.filter((command) => pairState(outOf(command)).mismatch);

const count = (f: (r: RunRecord) => boolean) => records.filter(f).length;
const graceful = records.filter((r) => r.signal !== 'SIGKILL');
const summary = {
  runs: records.length,
  asked: { interrupts: RUNS, kills: KILLS },
  by_signal: Object.fromEntries(
    ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGKILL'].map((s) => [s, count((r) => r.signal === s)]),
  ),
  by_command: Object.fromEntries(NAMES.map((c) => [c, count((r) => r.command === c)])),
  run_length_ms: lengthMs,
  graceful_signals: graceful.length,
  interrupted_129_130_143: count((r) => r.interrupted),
  killed_by_sigkill: count((r) => r.signal === 'SIGKILL' && r.exitSignal === 'SIGKILL'),
  sigkill_after_end: count((r) => r.signal === 'SIGKILL' && r.exitSignal !== 'SIGKILL'),
  finished_0_1_signal_after_commit_or_end: count((r) => r.signal !== 'SIGKILL' && r.finished),
  ended_by_signal_in_teardown_after_complete_run: count((r) => r.inTeardown),
  bad_exits: count((r) => !r.exitOk),
  interrupted_runs_with_out_changed: count((r) => r.outChanged.length > 0),
  runs_with_processes_alive_1s_after_exit: count((r) => r.survivors.length > 0),
  processes_alive_1s_after_exit: records.reduce((n, r) => n + r.survivors.length, 0),
  workspaces_right_after_graceful_exit: records.reduce((n, r) => n + r.workspacesRightAfter.length, 0),
  workspaces_left_after_next_start:
    records.slice(1).reduce((n, r) => n + r.previousWorkspacesLeft.length, 0) + lastLeft.length,
  torn_csv: count((r) => r.torn),
  pair_mismatch_after_next_start: finalMismatch.length,
  workspaces_left_now: workspaces().length,
  file_systems: FS ?? 'none',
  mounts_and_loops_right_after_graceful_exit: records.reduce((n, r) => n + r.fsRightAfter.length, 0),
  mounts_and_loops_left_after_next_start: records.reduce((n, r) => n + r.previousFsLeft.length, 0),
  mounts_and_loops_left_now: fsLeftovers().length,
  audit_dir: base,
};
process.stdout.write(`SUMMARY ${JSON.stringify(summary, null, 2)}\n`);
const failed =
  interruptsLeft > 0 ||
  killsLeft > 0 ||
  summary.bad_exits > 0 ||
  summary.interrupted_runs_with_out_changed > 0 ||
  summary.runs_with_processes_alive_1s_after_exit > 0 ||
  summary.workspaces_right_after_graceful_exit > 0 ||
  summary.workspaces_left_after_next_start > 0 ||
  summary.torn_csv > 0 ||
  summary.pair_mismatch_after_next_start > 0 ||
  summary.workspaces_left_now > 0 ||
  summary.mounts_and_loops_right_after_graceful_exit > 0 ||
  summary.mounts_and_loops_left_after_next_start > 0 ||
  summary.mounts_and_loops_left_now > 0;
process.exitCode = failed ? 1 : 0;
