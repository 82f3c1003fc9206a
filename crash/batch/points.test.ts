import { describe, expect, it } from 'vitest';
import { resolveCalls } from '../../core/trace/files.js';
import { parseTrace } from '../../core/trace/strace.js';
import { aimBatch, batchInjectArgs, locateBatchPoint, verifyBatchTrial, type BatchWatch } from './points.js';

/** A reference batch of three files over two directories, as strace prints it, in trial `root`. */
function batchTrace(root: string, options: { dirSync?: boolean; extraRename?: boolean } = {}): string[] {
  const d0 = `${root}/batch/d0`;
  const d1 = `${root}/batch/d1`;
  const lines: string[] = [];
  [`${d0}/f0.dat`, `${d1}/f1.dat`, `${d0}/f2.dat`].forEach((target, i) => {
    const dir = target.slice(0, target.lastIndexOf('/'));
    const temp = `${dir}/.f${i}.dat.${i}${root.length}.tmp`;
    const fd = 4 + i;
    lines.push(
      `7 openat(AT_FDCWD</w>, "${temp}", O_WRONLY|O_CREAT|O_EXCL|O_CLOEXEC, 0600) = ${fd}<${temp}>`,
      `7 write(${fd}<${temp}>, ""..., 1024) = 1024`,
      `7 fdatasync(${fd}<${temp}>) = 0`,
      `7 close(${fd}<${temp}>) = 0`,
      `7 rename("${temp}", "${target}") = 0`,
    );
  });
  if (options.extraRename) lines.unshift(`7 rename("/w/log.1", "/w/log.2") = 0`);
  if (options.dirSync !== false)
    for (const [fd, dir] of [
      [9, d0],
      [10, d1],
    ] as const)
      lines.push(
        `7 openat(AT_FDCWD</w>, "${dir}", O_RDONLY|O_DIRECTORY|O_CLOEXEC) = ${fd}<${dir}>`,
        `7 fsync(${fd}<${dir}>) = 0`,
        `7 close(${fd}<${dir}>) = 0`,
      );
  return lines;
}

function watchIn(root: string): BatchWatch {
  return {
    dirs: [`${root}/batch/d0`, `${root}/batch/d1`],
    tmpDir: `${root}/tmp`,
    targets: [`${root}/batch/d0/f0.dat`, `${root}/batch/d1/f1.dat`, `${root}/batch/d0/f2.dat`],
  };
}

function recording(root: string, options: Parameters<typeof batchTrace>[1] = {}) {
  return { calls: resolveCalls(parseTrace(batchTrace(root, options).join('\n'))), watch: watchIn(root) };
}

describe('the steps of a batch in its trace', () => {
  const { calls, watch } = recording('/w/1');
  const at = (point: Parameters<typeof locateBatchPoint>[2]) => {
    const found = locateBatchPoint(calls, watch, point);
    return 'call' in found ? found.call.call.line : found.reason;
  };

  it('finds each step at its own call', () => {
    expect(at('after_temp_create')).toMatch(/^7 write\(4</);
    expect(at('first_file_fsync')).toMatch(/^7 fdatasync\(4</);
    expect(at('before_first_rename')).toContain('/batch/d0/f0.dat") = 0');
    expect(at('before_last_rename')).toContain('/batch/d0/f2.dat") = 0');
    expect(at('before_dir_fsync')).toMatch(/^7 fsync\(9</);
    expect(at('first_file_fsync')).toMatch(/^7 fdatasync\(4</);
  });

  it('says why a step is missing: no directory fsynced', () => {
    const bare = recording('/w/1', { dirSync: false });
    expect(locateBatchPoint(bare.calls, bare.watch, 'before_dir_fsync')).toEqual({
      reason: "it never fsyncs one of the batch's directories",
    });
  });
});

describe('aiming at a batch step', () => {
  it('aims at the n-th call of its syscall in its thread when both recordings agree', () => {
    const result = aimBatch('before_last_rename', [recording('/w/1'), recording('/w/22')]);
    expect(result).toEqual({
      kind: 'aimed',
      aim: { point: 'before_last_rename', term: { syscall: 'rename', when: 3 }, basis: 'rename #3 of its thread' },
    });
    if (result.kind === 'aimed')
      expect(batchInjectArgs(result.aim, { signal: 'SIGKILL' })).toEqual([
        '-f',
        '-e',
        'inject=?rename:signal=SIGKILL:when=3',
      ]);
  });

  it('aims from the first recording with a caveat when the count names another call in the second', () => {
    const result = aimBatch('before_first_rename', [recording('/w/1'), recording('/w/22', { extraRename: true })]);
    expect(result).toMatchObject({ kind: 'aimed', caveat: expect.stringContaining('not in the other') });
  });

  it('cannot aim when another thread reaches the count first, even in the first recording', () => {
    const lines = [`8 rename("/w/log.1", "/w/log.2") = 0`, ...batchTrace('/w/1')];
    const noisy = { calls: resolveCalls(parseTrace(lines.join('\n'))), watch: watchIn('/w/1') };
    expect(aimBatch('before_first_rename', [noisy])).toEqual({
      kind: 'unaimable',
      reason: "rename #1 of its thread is reached first by another thread's call",
    });
  });

  it('a missing step is not applicable, never a pass', () => {
    const result = aimBatch('before_dir_fsync', [recording('/w/1', { dirSync: false })]);
    expect(result).toEqual({ kind: 'not_applicable', reason: "it never fsyncs one of the batch's directories" });
  });
});

describe('checking a trial against its own trace', () => {
  const aim = { point: 'before_last_rename' as const, term: { syscall: 'rename', when: 3 }, basis: 'rename #3' };
  const killedAt = (lines: string[]) => {
    const trace = parseTrace(lines.join('\n'));
    return verifyBatchTrial(trace, resolveCalls(trace), watchIn('/w/5'), aim, 'kill');
  };
  const lines = batchTrace('/w/5');
  const lastRename = lines.findIndex((line) => line.includes('f2.dat") = 0'));

  it('a kill that left the aimed rename unfinished, its thread killed: reached', () => {
    const killed = [
      ...lines.slice(0, lastRename),
      lines[lastRename]!.replace(' = 0', ' <unfinished ...>'),
      '7 +++ killed by SIGKILL +++',
    ];
    expect(killedAt(killed)).toMatchObject({ reached: true });
  });

  it('a rename that returned: the kill came too late, not reached', () => {
    expect(killedAt([...lines.slice(0, lastRename + 1), '7 +++ killed by SIGKILL +++'])).toEqual({
      reached: false,
      reason: 'rename returned: the kill came too late',
    });
  });
});
