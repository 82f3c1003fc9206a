/**
 * How soon the hook shim lets an agent's call go when the hook would hold it, and what it leaves:
 *   forever   a hook that never exits, --timeout 1: time past the 1 s deadline
 *   orphan    a hook that exits at once leaving a child on its stdout for 30 s: time to return, over
 *             the same hook run alone (to its exit)
 *   fifo-log  --log is a FIFO nobody reads: time to return over the hook alone (the log is not opened)
 *   sigterm   the agent gives up (SIGTERM) while the hook hangs: time from the signal to the exit
 * and, after each call, whether any process the hook started still runs (1 s later).
 *
 *   npx tsx hook/scripts/shim-deadline.ts [--runs 20]
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { parsePositiveInt } from '../../core/parse.js';
import { packageRoot } from '../../core/self-script.js';
import { median } from '../../core/stats.js';
import { SHIM_SCRIPT } from '../shim.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' } } });
const runs = parsePositiveInt(String(values.runs), '--runs', 1000);
const hang = [process.execPath, path.join(packageRoot, 'test/fixtures/hooks/shim-hang.mjs')];
const rewrite = [process.execPath, path.join(packageRoot, 'test/fixtures/hooks/shim-rewrite.mjs')];
const INPUT = JSON.stringify({
  hook_event_name: 'PreToolUse',
  tool_name: 'Bash',
  tool_input: { command: 'git status' },
  tool_use_id: 'toolu_01Deadline',
});
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-shim-deadline-'));

function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** The hook alone, spawn to exit: what the shim's return is compared with when there is no deadline. */
function bare(argv: readonly string[]): Promise<number> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(argv[0] as string, argv.slice(1), { stdio: ['pipe', 'ignore', 'ignore'] });
    child.stdin.end(INPUT);
    child.on('exit', () => resolve(performance.now() - started));
  });
}

/**
 * One shim call; `signalAfter` sends SIGTERM once the hook has written its pid file. Returns ms from spawn (or the
 * signal) to exit.
 */
function call(args: readonly string[], pidFile?: string, signalAfter = false): Promise<number> {
  return new Promise((resolve) => {
    const started = performance.now();
    let signalled = started;
    const child = spawn('/bin/sh', [SHIM_SCRIPT, ...args], { stdio: ['pipe', 'ignore', 'ignore'] });
    child.stdin.end(INPUT);
    const poll = signalAfter
      ? setInterval(() => {
          if (!pidFile || !fs.existsSync(pidFile)) return;
          clearInterval(poll);
          signalled = performance.now();
          child.kill('SIGTERM');
        }, 5)
      : undefined;
    child.on('exit', () => {
      clearInterval(poll);
      resolve(performance.now() - (signalAfter ? signalled : started));
    });
  });
}

async function left(pidFile: string): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const pids = fs.existsSync(pidFile) ? fs.readFileSync(pidFile, 'utf8').split('\n').filter(Boolean).map(Number) : [];
  const alive = pids.filter(running);
  for (const pid of alive) process.kill(pid, 'SIGKILL');
  fs.rmSync(pidFile, { force: true });
  return alive.length;
}

const fifo = path.join(dir, 'log.fifo');
spawnSync('mkfifo', [fifo]);
const log = path.join(dir, 'log.jsonl');
/** Each case: the shim call, and what its time is measured against (a deadline, or the hook alone). */
const cases: Record<
  string,
  { deadlineMs: number; alone?: (pidFile: string) => Promise<number>; once: (pidFile: string) => Promise<number> }
> = {
  forever: { deadlineMs: 1000, once: (pids) => call(['--log', log, '--timeout', '1', '--', ...hang, 'forever', pids]) },
  orphan: {
    deadlineMs: 0,
    alone: (pids) => bare([...hang, 'orphan', pids]),
    once: (pids) => call(['--log', log, '--timeout', '20', '--', ...hang, 'orphan', pids]),
  },
  'fifo-log': { deadlineMs: 0, alone: () => bare(rewrite), once: () => call(['--log', fifo, '--', ...rewrite]) },
  sigterm: {
    deadlineMs: 0,
    once: (pids) => call(['--log', log, '--timeout', '60', '--', ...hang, 'forever', pids], pids, true),
  },
};

/** The median to a tenth of a millisecond, as the table prints it. */
const medianTenth = (values: number[]) => +median(values).toFixed(1);
for (const [name, { deadlineMs, alone, once }] of Object.entries(cases)) {
  const past: number[] = [];
  const hookAlone: number[] = [];
  let processesLeft = 0;
  for (let i = 0; i < runs; i++) {
    const pidFile = path.join(dir, `${name}.pids`);
    // In turns, so drift on the machine touches both arms alike.
    if (alone) {
      hookAlone.push(await alone(pidFile));
      await left(pidFile);
    }
    past.push((await once(pidFile)) - deadlineMs);
    processesLeft += await left(pidFile);
  }
  const over = alone ? 'over the hook alone' : deadlineMs ? 'past the deadline' : 'from the signal to the exit';
  const figures = alone
    ? {
        runs,
        shim_median_ms: medianTenth(past),
        hook_alone_median_ms: medianTenth(hookAlone),
        over_hook_alone_median_ms: +(medianTenth(past) - medianTenth(hookAlone)).toFixed(1),
        shim_max_ms: +Math.max(...past).toFixed(1),
        processes_left: processesLeft,
      }
    : {
        runs,
        deadline_ms: deadlineMs,
        median_ms: medianTenth(past),
        max_ms: +Math.max(...past).toFixed(1),
        processes_left: processesLeft,
      };
  process.stdout.write(`${name} (${over}): ${JSON.stringify(figures)}\n`);
}
fs.rmSync(dir, { recursive: true, force: true });
