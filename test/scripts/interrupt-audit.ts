/**
 * Interrupt audit: starts the built CLI (`node dist/cli/bin.js <suite> --profile quick --out DIR`) many
 * times, kills each run at a random moment with SIGINT, SIGTERM or SIGKILL, and checks what is left:
 *   - exit: SIGINT → 130, SIGTERM → 143 (never death by the signal itself);
 *   - processes: none of the run's processes alive 1 s after it exited (found by an environment marker
 *     every child inherits, or the run's temp root in their command line or environment);
 *   - results pair: results_raw.csv parses (not torn) and results_env.txt names the run that last wrote
 *     the CSV (checked right after the run, and again after the next run's start);
 *   - workspaces: none of a run's workspaces still exists after the next run has started.
 *
 *   npm run build && npx tsx test/scripts/interrupt-audit.ts [--runs 100] [--max-delay-ms 10000] [--seed 1]
 *
 * Prints one JSON line per run and a summary; exits 1 when any check failed.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readResultsCsv } from '../../core/csv.js';
import { pairMismatch } from '../../core/results-pair.js';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number): number => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const RUNS = arg('runs', 100);
const MAX_DELAY_MS = arg('max-delay-ms', 10_000);
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

const SUITES = ['bench', 'crash', 'parity', 'gate'] as const;
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGKILL'] as const;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
      if (environ.includes(marker) || environ.includes(tmpRoot) || cmdline.includes(tmpRoot)) found.push(`${entry}:${cmdline.replace(/\0/g, ' ').slice(0, 80)}`);
    } catch {
      // Gone while we looked, or not ours to read.
    }
  }
  return found;
}

function workspaces(): string[] {
  return fs.readdirSync(tmpRoot).filter((name) => name.startsWith('writegate-')).map((name) => path.join(tmpRoot, name));
}

interface PairState {
  torn: boolean;
  mismatch: boolean;
}
function pairState(out: string): PairState {
  const csv = path.join(out, 'results_raw.csv');
  if (!fs.existsSync(csv)) return { torn: false, mismatch: false };
  try {
    readResultsCsv(csv);
  } catch {
    return { torn: true, mismatch: false };
  }
  return { torn: false, mismatch: pairMismatch(csv) !== undefined };
}

interface RunRecord {
  run: number;
  suite: string;
  signal: string;
  delayMs: number;
  exitCode: number | null;
  exitSignal: string | null;
  exitOk: boolean;
  survivors: string[];
  tornAfter: boolean;
  mismatchAfter: boolean;
  previousWorkspacesLeft: string[];
  previousPairMismatchAfterStart: boolean;
}

async function one(run: number, suite: string, signal: (typeof SIGNALS)[number], delayMs: number, previous: { workspaces: string[]; out?: string }): Promise<RunRecord> {
  const out = path.join(base, `out-${suite}`);
  const marker = `WRITEGATE_AUDIT_RUN=${process.pid}-${run}`;
  const env = { ...process.env, TMPDIR: tmpRoot, CI: '1', WRITEGATE_AUDIT_RUN: `${process.pid}-${run}` };
  const child = spawn(process.execPath, [cli, suite, '--profile', 'quick', '--out', out], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('exit', (code, sig) => resolve({ code, signal: sig })));
  const timer = setTimeout(() => child.kill(signal), delayMs);
  const result = await exited;
  clearTimeout(timer);
  await sleep(1000);
  const alive = survivors(marker);
  for (const line of alive) {
    const pid = Number(line.split(':')[0]);
    try {
      process.kill(pid, 'SIGKILL'); // so one failure does not spill into the next run's figures
    } catch {
      // gone
    }
  }
  const after = pairState(out);
  const expected = signal === 'SIGINT' ? 130 : signal === 'SIGTERM' ? 143 : null;
  const finishedFirst = result.code !== null && result.code <= 3; // the run ended before the kill landed
  const exitOk = signal === 'SIGKILL' ? result.signal === 'SIGKILL' || finishedFirst : result.code === expected || finishedFirst;
  if (!exitOk) process.stderr.write(`run ${run}: ${suite} ${signal}: exit ${result.code ?? result.signal}\n${stderr}\n`);
  return {
    run,
    suite,
    signal,
    delayMs,
    exitCode: result.code,
    exitSignal: result.signal,
    exitOk,
    survivors: alive,
    tornAfter: after.torn,
    mismatchAfter: after.mismatch,
    previousWorkspacesLeft: previous.workspaces.filter((dir) => fs.existsSync(dir)),
    previousPairMismatchAfterStart: previous.out ? pairState(previous.out).mismatch && previous.out === out : false,
  };
}

const records: RunRecord[] = [];
let previous: { workspaces: string[]; out?: string } = { workspaces: [] };
for (let run = 1; run <= RUNS; run++) {
  const suite = pick(SUITES);
  const signal = pick(SIGNALS);
  const delayMs = Math.round(300 + random() * (MAX_DELAY_MS - 300));
  const record = await one(run, suite, signal, delayMs, previous);
  records.push(record);
  process.stdout.write(`${JSON.stringify(record)}\n`);
  previous = { workspaces: workspaces(), out: path.join(base, `out-${suite}`) };
}
// One more start per results directory, so the last runs' leftovers meet a sweep too; then every
// results pair must agree.
const last = await one(RUNS + 1, 'bench', 'SIGINT', 2000, previous);
for (const suite of SUITES) if (suite !== 'bench') await one(RUNS + 1, suite, 'SIGINT', 2000, { workspaces: [] });
const finalMismatch = SUITES.filter((suite) => pairState(path.join(base, `out-${suite}`)).mismatch);

const count = (f: (r: RunRecord) => boolean) => records.filter(f).length;
const graceful = records.filter((r) => r.signal !== 'SIGKILL');
const summary = {
  runs: records.length,
  by_signal: Object.fromEntries(SIGNALS.map((s) => [s, count((r) => r.signal === s)])),
  by_suite: Object.fromEntries(SUITES.map((s) => [s, count((r) => r.suite === s)])),
  sigint_sigterm_exit_130_143: `${count((r) => r.signal !== 'SIGKILL' && r.exitOk)}/${graceful.length}`,
  finished_before_kill: count((r) => r.exitCode !== null && r.exitCode <= 3),
  runs_with_processes_alive_1s_after_exit: count((r) => r.survivors.length > 0),
  processes_alive_1s_after_exit: records.reduce((n, r) => n + r.survivors.length, 0),
  torn_csv: count((r) => r.tornAfter),
  pair_mismatch_right_after_exit: count((r) => r.mismatchAfter),
  pair_mismatch_after_next_start: count((r) => r.previousPairMismatchAfterStart) + finalMismatch.length,
  workspaces_left_after_next_start: records.slice(1).reduce((n, r) => n + r.previousWorkspacesLeft.length, 0) + last.previousWorkspacesLeft.length,
  workspaces_left_now: workspaces().length,
  audit_dir: base,
};
process.stdout.write(`SUMMARY ${JSON.stringify(summary, null, 2)}\n`);
const failed =
  summary.runs_with_processes_alive_1s_after_exit > 0 ||
  summary.torn_csv > 0 ||
  summary.pair_mismatch_after_next_start > 0 ||
  summary.workspaces_left_after_next_start > 0 ||
  count((r) => r.signal !== 'SIGKILL' && !r.exitOk) > 0;
process.exitCode = failed ? 1 : 0;
