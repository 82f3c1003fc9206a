import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../core/self-script.js';
import { OWNER_FILE, ownerStamp } from '../core/owner.js';
import { alive, catches, eventually, useInterruptHarness } from '../test/support/interrupt-harness.js';

const harness = useInterruptHarness('wg-interrupt-', 2);
const writegate: typeof harness.writegate = (...args) => harness.writegate(...args);
const workspaces = () => harness.workspaces();

describe('an interrupted run', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('bench on write-file-atomic: %s exits %i after removing its workspace', async (signal, code) => {
    const ended = await writegate(
      ['bench', '--subjects', 'write-file-atomic', '--sizes', '1KiB', '--out', path.join(harness.dir, 'out')],
      signal,
      (stderr) => /bench \d\/\d/.test(stderr),
    );
    expect(ended.signal).toBeNull();
    expect(ended.code).toBe(code);
    expect(workspaces()).toEqual([]);
    expect(fs.existsSync(path.join(harness.dir, 'out', 'results_raw.csv'))).toBe(false);
  });

  it("compare: SIGINT during a round exits 130, kills the round's bench, removes " +
    'its workspace and keeps --out as it was', async () => {
    const writer = `w=/usr/bin/python3 ${path.join(packageRoot, 'test/fixtures/crash/correct-writer.py')} {source} {target}`;
    const out = path.join(harness.dir, 'out');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'RESULTS.md'), 'the previous report\n');
    // The first round's first bench is running once the command has said what it measures.
    const ended = await writegate(
      [
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
        '--out',
        out,
      ],
      'SIGINT',
      (stderr) => stderr.includes('at most 2 rounds'),
    );
    expect(ended.code).toBe(130);
    expect(workspaces()).toEqual([]);
    expect(fs.readdirSync(out)).toEqual(['RESULTS.md']);
    expect(fs.readFileSync(path.join(out, 'RESULTS.md'), 'utf8')).toBe('the previous report\n');
  }, 60_000);

  /** A per-op writer that hangs and leaves a grandchild, so a child is running when the signal lands. */
  function hangArgs(): { args: string[]; env: Record<string, string>; pidsDir: string } {
    const pidsDir = path.join(harness.dir, 'pids');
    fs.mkdirSync(pidsDir);
    const writer = path.join(packageRoot, 'test/fixtures/interrupt/hang-writer.mjs');
    return {
      pidsDir,
      env: { WG_HANG_PIDS: pidsDir },
      args: [
        'bench',
        '--writer-cmd',
        `hang=${process.execPath} ${writer} {source} {target} {mode}`,
        '--writer-noop',
        `hang=${process.execPath} -e 0`,
        '--subjects',
        'hang',
        '--sizes',
        '1KiB',
        '--out',
        path.join(harness.dir, 'out'),
      ],
    };
  }
  const reported = (pidsDir: string) => fs.readdirSync(pidsDir).filter((name) => !name.startsWith('.'));
  const startedPids = (pidsDir: string) =>
    reported(pidsDir).flatMap((name) =>
      fs.readFileSync(path.join(pidsDir, name), 'utf8').trim().split(' ').map(Number),
    );

  it('SIGINT kills the running writer and its grandchild (its whole process group)', async () => {
    const { args, env, pidsDir } = hangArgs();
    const ended = await writegate(args, 'SIGINT', () => reported(pidsDir).length > 0, env);
    expect(ended.code).toBe(130);
    const pids = startedPids(pidsDir);
    expect(pids.length).toBeGreaterThanOrEqual(2);
    expect(await eventually(() => pids.every((pid) => !alive(pid)), 1000)).toBe(true);
    expect(workspaces()).toEqual([]);
  });

  it('SIGKILL: the watchdog kills the writer and its grandchild; the next start sweeps the workspace', async () => {
    const { args, env, pidsDir } = hangArgs();
    const ended = await writegate(args, 'SIGKILL', () => reported(pidsDir).length > 0, env);
    expect(ended.signal).toBe('SIGKILL');
    const pids = startedPids(pidsDir);
    expect(pids.length).toBeGreaterThanOrEqual(2);
    expect(await eventually(() => pids.every((pid) => !alive(pid)))).toBe(true);
    expect(workspaces()).toHaveLength(1);
    // The next start finds the dead run's workspace and removes it (interrupted at once: the sweep is first).
    const next = await writegate(
      ['bench', '--subjects', 'floor', '--sizes', '1KiB', '--out', path.join(harness.dir, 'out')],
      'SIGINT',
      (stderr) => stderr.includes('bench '),
    );
    expect(next.stderr).toMatch(/cleaned up after an interrupted earlier run: 1 workspace\(s\)/);
    expect(workspaces()).toEqual([]);
  });

  it('a start signalled the moment it owns its signals still removes what a killed run left (5 tries)', async () => {
    const deadPid = Number(
      spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout,
    );
    for (let i = 0; i < 5; i++) {
      const dead = path.join(harness.dir, 'tmp', `writegate-dead-${i}`);
      fs.mkdirSync(path.join(dead, 'trial'), { recursive: true });
      fs.writeFileSync(path.join(dead, OWNER_FILE), ownerStamp(deadPid));
      // The earliest a signal can be ours: any sooner, Node's default action ends the process. SIGHUP,
      // because the tsx loader these tests run under catches SIGINT and SIGTERM itself from the start.
      const ended = await writegate(
        ['bench', '--subjects', 'floor', '--sizes', '1KiB', '--out', path.join(harness.dir, 'out')],
        'SIGHUP',
        (_, pid) => catches(pid, 'SIGHUP'),
      );
      expect(ended.code).toBe(129);
      expect(workspaces()).toEqual([]);
    }
  });
});
