import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readResultsCsv } from './csv.js';
import { OWNER_FILE, ownerStamp } from './owner.js';
import { pairMismatch } from './results-pair.js';
import { commitResults, RESULTS_CSV, RESULTS_ENV, RowSink } from './sink.js';
import { sweepLeftovers } from './sweep.js';

let dir: string;
let tmpRoot: string;
let out: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-sweep-'));
  tmpRoot = path.join(dir, 'tmp');
  out = path.join(dir, 'out');
  fs.mkdirSync(tmpRoot);
  fs.mkdirSync(out);
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => {
  vi.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The pid of a process that has exited (and been reaped). */
function deadPid(): number {
  const done = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(done.stdout);
}

function workspace(name: string, owner?: string): string {
  const root = path.join(tmpRoot, name);
  fs.mkdirSync(path.join(root, 'deep', 'er'), { recursive: true });
  fs.writeFileSync(path.join(root, 'deep', 'er', 'file'), 'x');
  if (owner !== undefined) fs.writeFileSync(path.join(root, OWNER_FILE), owner);
  return root;
}

describe('sweepLeftovers', () => {
  it("removes a dead run's workspace and keeps a live one's", () => {
    const dead = deadPid();
    const gone = workspace(`writegate--${dead}-aaaaaaaaaaaa`, `${dead} 12345\n`);
    const goneNoOwnerFile = workspace(`writegate--${dead}-bbbbbbbbbbbb`);
    const live = workspace(`writegate--${process.pid}-cccccccccccc`, ownerStamp());
    const liveJustCreated = workspace(`writegate--${process.pid}-dddddddddddd`);
    const unknown = workspace('writegate-something-else');
    const outcome = sweepLeftovers(out, tmpRoot);
    expect(outcome.workspaces.sort()).toEqual([gone, goneNoOwnerFile].sort());
    for (const kept of [live, liveJustCreated, unknown]) expect(fs.existsSync(kept)).toBe(true);
    expect(fs.existsSync(gone)).toBe(false);
  });

  it('reads a live pid with another start time as a dead owner (the pid was reused)', () => {
    const reused = workspace(`writegate--${process.pid}-eeeeeeeeeeee`, `${process.pid} 1\n`);
    expect(sweepLeftovers(out, tmpRoot).workspaces).toEqual([reused]);
  });

  it('reads a zombie owner (exited, not yet reaped) as dead', async () => {
    // sh starts a child, prints its pid and becomes `sleep`, which never reaps it: once the child
    // ends (after sh's exec, so sh cannot reap it first) it is a zombie.
    const holder = spawn('sh', ['-c', 'sleep 0.2 & echo $!; exec sleep 5'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const zombie = Number(
        await new Promise<string>((resolve) =>
          holder.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString())),
        ),
      );
      const state = () => fs.readFileSync(`/proc/${zombie}/stat`, 'utf8').split(') ')[1]?.[0];
      for (let waited = 0; state() !== 'Z' && waited < 2000; waited += 10)
        await new Promise((resolve) => setTimeout(resolve, 10));
      expect(state()).toBe('Z');
      const owned = workspace(`writegate--${zombie}-ffffffffffff`, ownerStamp(zombie));
      expect(sweepLeftovers(out, tmpRoot).workspaces).toEqual([owned]);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it("removes --out temp files whose writer is gone, keeps a live writer's, and says so in one line", () => {
    const stale = path.join(out, `.${RESULTS_CSV}.${deadPid()}.0123456789ab.tmp`);
    const mine = path.join(out, `.${RESULTS_CSV}.${process.pid}.0123456789ab.tmp`);
    const other = path.join(out, 'notes.tmp');
    for (const file of [stale, mine, other]) fs.writeFileSync(file, 'partial');
    const outcome = sweepLeftovers(out, tmpRoot);
    expect(outcome.temps).toEqual([stale]);
    expect(fs.existsSync(mine) && fs.existsSync(other)).toBe(true);
    const lines = vi.mocked(process.stderr.write).mock.calls.map(([text]) => String(text));
    expect(lines).toEqual([`writegate: cleaned up after an interrupted earlier run: 1 temp file(s) in ${out}\n`]);
  });

  it('says nothing when there is nothing to sweep', () => {
    sweepLeftovers(out, tmpRoot);
    expect(process.stderr.write).not.toHaveBeenCalled();
  });
});

describe('the results pair', () => {
  function commit(host: string): string {
    const sink = new RowSink();
    sink.add({ suite: 'bench', scenario: 's', subject: 'x', metric: 'latency_ms', value: 1, unit: 'ms' });
    commitResults(out, ['bench'], sink.rows, { profile: host });
    return sink.runId;
  }

  it('results_env.txt names the run that wrote the CSV', () => {
    const runId = commit('one');
    expect(fs.readFileSync(path.join(out, RESULTS_ENV), 'utf8').split('\n')[0]).toBe(`run_id=${runId}`);
    expect(readResultsCsv(path.join(out, RESULTS_CSV))[0]?.run_id).toBe(runId);
    expect(pairMismatch(path.join(out, RESULTS_CSV))).toBeUndefined();
  });

  it(
    'a kill between the two writes (new CSV, old env) is detected, and the ' +
      'next start rewrites the env file from the CSV',
    () => {
      commit('old');
      const oldEnv = fs.readFileSync(path.join(out, RESULTS_ENV), 'utf8');
      const newRun = commit('new');
      fs.writeFileSync(path.join(out, RESULTS_ENV), oldEnv); // what a SIGKILL after the CSV's rename leaves
      expect(pairMismatch(path.join(out, RESULTS_CSV))?.csvRunId).toBe(newRun);
      expect(sweepLeftovers(out, tmpRoot).repairedEnv).toBe(true);
      expect(pairMismatch(path.join(out, RESULTS_CSV))).toBeUndefined();
      expect(fs.readFileSync(path.join(out, RESULTS_ENV), 'utf8')).toContain(`run_id=${newRun}\n`);
    },
  );

  it('an env file from before run ids (no run_id line) is a mismatch', () => {
    commit('one');
    fs.writeFileSync(path.join(out, RESULTS_ENV), 'profile=one\n');
    expect(pairMismatch(path.join(out, RESULTS_CSV))?.envRunId).toBeUndefined();
  });
});
