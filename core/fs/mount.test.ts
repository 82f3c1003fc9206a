/**
 * Real file systems on real loop devices: each made fresh in a workspace, written, and undone without
 * a trace; a crash image is a copy of the disk at that instant, not a view of the live files. Root only
 * (.ci/run is root and installs the mkfs packages); without root vitest reports them skipped, never passed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { selfScriptArgv } from '../self-script.js';
import { sweepDeadWorkspaces } from '../sweep.js';
import { Workspace } from '../workspace.js';
import { takeCrashImage } from './crash-image.js';
import { FS_NAMES, type FsName } from './kinds.js';
import { loopsBackedUnder, mountsUnder } from './loop.js';
import { mountFresh } from './mount.js';

const isRoot = process.getuid?.() === 0;

let workspace: Workspace;
beforeEach(() => {
  workspace = Workspace.create('wg-fs-test-');
});
afterEach(async () => {
  await workspace.dispose();
});

function fstypeOf(dir: string): string | undefined {
  return fs
    .readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((line) => line.split(' '))
    .find((fields) => fields[1] === dir)?.[2];
}

/** What a durable atomic writer does: temp, fsync, rename, directory fsync. */
function writeDurably(target: string, content: string): void {
  const temp = `${target}.tmp`;
  const handle = fs.openSync(temp, 'w');
  fs.writeSync(handle, content);
  fs.fsyncSync(handle);
  fs.closeSync(handle);
  fs.renameSync(temp, target);
  const dir = fs.openSync(path.dirname(target), 'r');
  fs.fsyncSync(dir);
  fs.closeSync(dir);
}

describe.runIf(isRoot)('a fresh file system per run', () => {
  it.each(FS_NAMES)(
    '%s: mounted under the workspace with its own type, then undone: no mount, no loop device',
    (name: FsName) => {
      const mounted = mountFresh(workspace, name);
      expect(mounted.dir.startsWith(`${workspace.root}/`)).toBe(true);
      expect(fstypeOf(mounted.dir)).toBe(name);
      writeDurably(path.join(mounted.dir, 'target'), 'content');
      expect(fs.readFileSync(path.join(mounted.dir, 'target'), 'utf8')).toBe('content');
      expect(loopsBackedUnder(workspace.root)).toHaveLength(name === 'tmpfs' ? 0 : 1);
      mounted.release();
      expect(mountsUnder(workspace.root)).toEqual([]);
      expect(loopsBackedUnder(workspace.root)).toEqual([]);
    },
  );

  it('the workspace undoes what it mounted when it is disposed, before removing its tree', async () => {
    for (const name of FS_NAMES) mountFresh(workspace, name);
    expect(mountsUnder(workspace.root)).toHaveLength(FS_NAMES.length);
    await workspace.dispose();
    expect(mountsUnder(workspace.root)).toEqual([]);
    expect(loopsBackedUnder(workspace.root)).toEqual([]);
    expect(fs.existsSync(workspace.root)).toBe(false);
  });
});

describe.runIf(isRoot)('a crash image', () => {
  it.each(['ext4', 'xfs', 'btrfs'] as const)(
    '%s: holds what a durable write left, and not what changed on the live file system after it was taken',
    (name) => {
      const mounted = mountFresh(workspace, name);
      const target = path.join(mounted.dir, 'target');
      writeDurably(target, 'old');
      writeDurably(target, 'new');
      const image = takeCrashImage(mounted, workspace.dir('images', name));
      try {
        // Changed after the image was taken: the image must not see it.
        writeDurably(target, 'later');
        fs.writeFileSync(path.join(mounted.dir, 'after'), 'x');
        expect(fs.readFileSync(path.join(image.dir, 'target'), 'utf8')).toBe('new');
        expect(fs.existsSync(path.join(image.dir, 'after'))).toBe(false);
        expect(fstypeOf(image.dir)).toBe(name);
      } finally {
        image.release();
      }
      expect(mountsUnder(path.dirname(image.dir))).toEqual([]);
      expect(loopsBackedUnder(path.dirname(image.dir))).toEqual([]);
      expect(fs.existsSync(image.image)).toBe(false);
    },
  );

  it('tmpfs has no device to copy: asking for its image is refused', () => {
    const mounted = mountFresh(workspace, 'tmpfs');
    expect(() => takeCrashImage(mounted, workspace.dir('images', 'tmpfs'))).toThrow(/no device to copy/);
  });
});

describe.runIf(isRoot)('what a killed run left', () => {
  /** A run (a real process) that mounted an ext4 and a tmpfs in its workspace under `tmpRoot`. */
  async function mountingRun(tmpRoot: string): Promise<{ child: ChildProcess; root: string }> {
    const argv = selfScriptArgv('test/fixtures/fs/mounting-run.ts', []);
    const child = spawn(argv[0] as string, argv.slice(1), {
      env: { ...process.env, TMPDIR: tmpRoot },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const root = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(out.trim());
      });
      child.on('exit', (code) => reject(new Error(`the mounting run exited ${code} before it was ready`)));
    });
    return { child, root };
  }

  it(
    "the next start's sweep unmounts a SIGKILLed run's file systems and detaches " +
      "its loop device; a live run's stay",
    async () => {
      const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-fs-sweep-'));
      const runs: ChildProcess[] = [];
      try {
        const dead = await mountingRun(tmpRoot);
        const live = await mountingRun(tmpRoot);
        runs.push(dead.child, live.child);
        const gone = new Promise((resolve) => dead.child.on('exit', resolve));
        dead.child.kill('SIGKILL');
        await gone;
        expect(mountsUnder(dead.root)).toHaveLength(2);
        expect(loopsBackedUnder(dead.root)).toHaveLength(1);

        const removed = sweepDeadWorkspaces(tmpRoot, { quiet: true });
        expect(removed).toEqual([dead.root]);
        expect(mountsUnder(dead.root)).toEqual([]);
        expect(loopsBackedUnder(dead.root)).toEqual([]);
        expect(fs.existsSync(dead.root)).toBe(false);
        expect(mountsUnder(live.root)).toHaveLength(2);
        expect(loopsBackedUnder(live.root)).toHaveLength(1);
      } finally {
        for (const child of runs) child.kill('SIGKILL');
        await new Promise((resolve) => setTimeout(resolve, 200));
        sweepDeadWorkspaces(tmpRoot, { quiet: true });
        fs.rmSync(tmpRoot, { recursive: true, force: true });
      }
    },
  );
});
