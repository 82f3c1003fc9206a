import { describe, expect, it } from 'vitest';
import { aimAt, expectationFrom, firstFired, injectArgs, type Aim } from './aim.js';
import { locate, type PointId } from './points.js';
import { parseTrace } from '../../core/trace/strace.js';
import { verifyTrial } from './verify.js';
import { buildWritePath, type WritePath } from './write-path.js';

const PAYLOAD = 8192;

interface Shape {
  dir: string;
  temp: string;
  /** Lines put before the write path (another thread's or process's calls). */
  before?: string[];
  /** Thread of the write path; 10 is the subject's own first process. */
  tid?: number;
}

/** A fault-free trace of a temp-file writer: open, fchmod, two writes, fdatasync, rename, fsync(dir). */
function tempWriter({ dir, temp, before = [], tid = 10 }: Shape): string {
  const t = `${dir}/${temp}`;
  return [
    '10 execve("/usr/bin/w", ["w"], 0x7ffd /* 3 vars */) = 0',
    '10 openat(AT_FDCWD</w>, "/lib/libc.so.6", O_RDONLY|O_CLOEXEC) = 3</lib/libc.so.6>',
    ...before,
    `${tid} openat(AT_FDCWD</w>, "${t}", O_WRONLY|O_CREAT|O_EXCL|O_CLOEXEC, 0600) = 18<${t}>`,
    `${tid} fchmod(18<${t}>, 0644) = 0`,
    `${tid} write(18<${t}>, ""..., 4096) = 4096`,
    `${tid} write(18<${t}>, ""..., 4096) = 4096`,
    `${tid} fdatasync(18<${t}>) = 0`,
    `${tid} close(18<${t}>) = 0`,
    `${tid} rename("${t}", "${dir}/t") = 0`,
    `${tid} openat(AT_FDCWD</w>, "${dir}", O_RDONLY|O_CLOEXEC|O_DIRECTORY) = 18<${dir}>`,
    `${tid} fsync(18<${dir}>) = 0`,
    `${tid} close(18<${dir}>) = 0`,
    '10 +++ exited with 0 +++',
  ].join('\n');
}

function model(text: string, dir: string): WritePath {
  return buildWritePath(parseTrace(text), `${dir}/t`);
}

function aimed(point: PointId, first: WritePath, second: WritePath): Aim {
  const result = aimAt(point, first, second, expectationFrom(first, second, PAYLOAD));
  if (result.kind !== 'aimed')
    throw new Error(`expected an aim, got ${result.kind}: ${'reason' in result ? result.reason : ''}`);
  return result.aim;
}

describe('the write path seen in a trace', () => {
  const m = model(tempWriter({ dir: '/w/a', temp: '.t.1.tmp' }), '/w/a');

  it('finds the file the payload goes to and every step of its path', () => {
    expect(m.dataPath).toBe('/w/a/.t.1.tmp');
    expect(m.inPlace).toBe(false);
    expect(m.bytesWritten).toBe(PAYLOAD);
    const at = (point: PointId) => {
      const located = locate(m, point);
      return 'call' in located
        ? `${located.call.call.name} ${located.call.fdPath ?? located.call.paths[0]}`
        : located.reason;
    };
    expect(at('temp_create')).toBe('openat /w/a/.t.1.tmp');
    expect(at('after_temp_create')).toBe('fchmod /w/a/.t.1.tmp');
    expect(at('first_write')).toBe('write /w/a/.t.1.tmp');
    expect(at('mid_payload')).toBe('write /w/a/.t.1.tmp');
    expect(at('before_fsync')).toBe('fdatasync /w/a/.t.1.tmp');
    expect(at('before_rename')).toBe('rename /w/a/.t.1.tmp');
    expect(at('before_dir_fsync')).toBe('fsync /w/a');
    expect(at('after_dir_fsync')).toBe('close /w/a');
  });

  it('says why a step does not exist: a payload in one call has no middle, an in-place writer no rename', () => {
    const oneCall = model(
      [
        '1 openat(AT_FDCWD</w>, "/w/a/t", O_WRONLY|O_CREAT|O_TRUNC, 0666) = 3</w/a/t>',
        '1 write(3</w/a/t>, ""..., 8192) = 8192',
        '1 close(3</w/a/t>) = 0',
      ].join('\n'),
      '/w/a',
    );
    expect(oneCall.inPlace).toBe(true);
    expect(locate(oneCall, 'mid_payload')).toEqual({
      reason: 'the payload is written in 1 call, so there is no write boundary inside it',
    });
    expect(locate(oneCall, 'before_rename')).toEqual({
      reason: 'the subject writes the target in place: there is no rename',
    });
    expect(locate(oneCall, 'before_fsync')).toEqual({ reason: 'the subject never fsyncs the file it wrote' });
  });
});

describe('aiming', () => {
  it('counts per thread and names every spelling of the family that cannot misfire', () => {
    const first = model(tempWriter({ dir: '/w/a', temp: '.t.1.tmp' }), '/w/a');
    const second = model(tempWriter({ dir: '/w/b', temp: '.t.2.tmp' }), '/w/b');
    const dirSync = aimed('before_dir_fsync', first, second);
    // fsync #1 is the directory's; fdatasync #1 was the file's, so fdatasync must wait for #2.
    expect(dirSync.terms).toContainEqual({ syscall: 'fsync', when: 1 });
    expect(dirSync.terms).toContainEqual({ syscall: 'fdatasync', when: 2 });
    expect(dirSync.follow).toBe(true);
    expect(firstFired(first.calls, dirSync.terms)?.fdPath).toBe('/w/a');
    expect(injectArgs(dirSync, '/w/z', { signal: 'SIGKILL' })).toEqual([
      '-f',
      ...dirSync.terms.flatMap((t) => ['-e', `inject=?${t.syscall}:signal=SIGKILL:when=${t.when}`]),
    ]);
  });

  it(
    "aims at the subject's own process when a helper process would reach the " + 'count first (a version-manager shim)',
    () => {
      // The shim's helper (pid 20) writes twice to a pipe before the interpreter (pid 10) writes its payload.
      const helper = [
        '20 write(1<pipe:[9]>, ""..., 18) = 18',
        '20 write(1<pipe:[9]>, ""..., 4) = 4',
        '20 +++ exited with 0 +++',
      ];
      const first = model(
        tempWriter({ dir: '/w/a', temp: '.t.1.tmp', before: ['10 write(2</dev/null>, ""..., 5) = 5', ...helper] }),
        '/w/a',
      );
      const second = model(
        tempWriter({ dir: '/w/b', temp: '.t.2.tmp', before: ['10 write(2</dev/null>, ""..., 5) = 5', ...helper] }),
        '/w/b',
      );
      const aim = aimed('first_write', first, second);
      expect(aim.follow).toBe(false);
      expect(aim.terms[0]).toEqual({ syscall: 'write', when: 2 });
      expect(injectArgs(aim, '/w/z', { error: 'EIO' })).not.toContain('-f');
    },
  );

  it('counts only calls on the file (-P) when a thread of its own reaches the count first and the name is stable', () => {
    const noise = [
      '11 write(5<anon_inode:[eventfd]>, ""..., 8) = 8',
      '11 write(5<anon_inode:[eventfd]>, ""..., 8) = 8',
    ];
    const first = model(tempWriter({ dir: '/w/a', temp: '.t.tmp', tid: 12, before: noise }), '/w/a');
    const second = model(tempWriter({ dir: '/w/b', temp: '.t.tmp', tid: 12, before: noise }), '/w/b');
    const aim = aimed('mid_payload', first, second);
    expect(aim.paths).toEqual(['.t.tmp']);
    expect(aim.terms[0]).toEqual({ syscall: 'write', when: 2 });
    expect(injectArgs(aim, '/w/z', { error: 'ENOSPC' }).slice(0, 3)).toEqual(['-f', '-P', '/w/z/.t.tmp']);
  });

  it(
    'counts only calls on the file first when its own thread also writes elsewhere ' +
      '(an event loop), however the recordings agree',
    () => {
      // A threadpool thread wakes the loop through an eventfd between its payload writes: how many
      // such writes come before the k-th payload write depends on timing, even when two recordings agree.
      const wake = '12 write(5<anon_inode:[eventfd]>, ""..., 8) = 8';
      const text = (dir: string) =>
        tempWriter({ dir, temp: '.t.tmp', tid: 12, before: [wake, wake] }).replace(
          /(12 write\(18<[^\n]*\n)/,
          `$1${wake}\n`,
        );
      const first = model(text('/w/a'), '/w/a');
      const second = model(text('/w/b'), '/w/b');
      const aim = aimed('mid_payload', first, second);
      expect(aim.paths).toEqual(['.t.tmp']);
      expect(aim.terms[0]).toEqual({ syscall: 'write', when: 2 });
    },
  );

  it('refuses to aim, with the reason, when another thread collides and the file name changes per run', () => {
    const noise = ['11 write(5<anon_inode:[eventfd]>, ""..., 8) = 8'];
    const first = model(tempWriter({ dir: '/w/a', temp: '.t.1.tmp', tid: 12, before: noise }), '/w/a');
    const second = model(tempWriter({ dir: '/w/b', temp: '.t.2.tmp', tid: 12, before: noise }), '/w/b');
    const result = aimAt('first_write', first, second, expectationFrom(first, second, PAYLOAD));
    expect(result.kind).toBe('unaimable');
    expect(result.kind === 'unaimable' && result.reason).toMatch(/reaches that count first.*file name changes per run/);
  });
});

describe('checking a trial against its own trace', () => {
  const dir = '/w/c';
  const first = model(tempWriter({ dir: '/w/a', temp: '.t.1.tmp' }), '/w/a');
  const second = model(tempWriter({ dir: '/w/b', temp: '.t.2.tmp' }), '/w/b');
  const expect0 = expectationFrom(first, second, PAYLOAD);
  const t = `${dir}/.t.9.tmp`;
  const head = [
    '10 execve("/usr/bin/w", ["w"], 0x7ffd /* 3 vars */) = 0',
    `10 openat(AT_FDCWD</w>, "${t}", O_WRONLY|O_CREAT|O_EXCL|O_CLOEXEC, 0600) = 18<${t}>`,
    `10 fchmod(18<${t}>, 0644) = 0`,
  ];
  const writes = [`10 write(18<${t}>, ""..., 4096) = 4096`, `10 write(18<${t}>, ""..., 4096) = 4096`];

  it('a kill that left the aimed call unfinished and its process killed reached its step', () => {
    const aim = aimed('before_fsync', first, second);
    const verdict = verifyTrial(
      [...head, ...writes, `10 fdatasync(18<${t}>) = ?`, '10 +++ killed by SIGKILL +++'].join('\n'),
      `${dir}/t`,
      aim,
      'kill',
      expect0,
    );
    expect(verdict.reached).toBe(true);
    expect(verdict.reached && verdict.what).toContain('fdatasync(<dir>/.t.9.tmp)');
  });

  it('a kill that never fired, or fired on a call that returned, did not', () => {
    const aim = aimed('before_fsync', first, second);
    const never = verifyTrial(
      [...head, ...writes, '10 +++ exited with 0 +++'].join('\n'),
      `${dir}/t`,
      aim,
      'kill',
      expect0,
    );
    expect(never).toMatchObject({ reached: false, reason: expect.stringMatching(/never fired/) });
    const returned = verifyTrial(
      [...head, ...writes, `10 fdatasync(18<${t}>) = 0`, '10 +++ exited with 0 +++'].join('\n'),
      `${dir}/t`,
      aim,
      'kill',
      expect0,
    );
    expect(returned).toMatchObject({ reached: false, reason: expect.stringMatching(/returned/) });
  });

  it('a kill that fired before the whole payload was written is not "before the fsync"', () => {
    const aim: Aim = { ...aimed('before_fsync', first, second), terms: [{ syscall: 'write', when: 2 }] };
    const verdict = verifyTrial(
      [...head, writes[0] as string, `10 write(18<${t}>, ""..., 4096) = ?`, '10 +++ killed by SIGKILL +++'].join('\n'),
      `${dir}/t`,
      aim,
      'kill',
      expect0,
    );
    expect(verdict).toMatchObject({
      reached: false,
      reason: expect.stringMatching(/not a sync that reaches the file the payload goes to/),
    });
  });

  it('an error injection needs strace to have marked exactly the aimed call, or retries of that same step', () => {
    const aim = aimed('before_rename', first, second);
    const renameInjected = `10 rename("${t}", "${dir}/t") = -1 EXDEV (Invalid cross-device link) (INJECTED)`;
    const body = [...head, ...writes, `10 fdatasync(18<${t}>) = 0`, `10 close(18<${t}>) = 0`];
    expect(
      verifyTrial([...body, renameInjected, '10 +++ exited with 1 +++'].join('\n'), `${dir}/t`, aim, 'error', expect0)
        .reached,
    ).toBe(true);
    const retried = verifyTrial(
      [
        ...body,
        renameInjected,
        `11 renameat(AT_FDCWD</w>, "${t}", AT_FDCWD</w>, "${dir}/t") = -1 EXDEV (Invalid cross-device link) (INJECTED)`,
      ].join('\n'),
      `${dir}/t`,
      aim,
      'error',
      expect0,
    );
    expect(retried).toMatchObject({ reached: true, what: expect.stringContaining('1 retry of it: renameat') });
    // Another spelling's count reached on the write path is a second fault: not the trial it claims to be.
    const stray = verifyTrial(
      [
        ...body,
        renameInjected,
        `10 write(18<${dir}/t>, ""..., 40) = -1 EXDEV (Invalid cross-device link) (INJECTED)`,
      ].join('\n'),
      `${dir}/t`,
      { ...aim, terms: [...aim.terms, { syscall: 'write', when: 3 }] },
      'error',
      expect0,
    );
    expect(stray).toMatchObject({ reached: false, reason: expect.stringMatching(/also injected write/) });
    // Reached later, outside the write path (the writer's own error report on stderr), it is the writer's reaction:
    // reported, not a miss.
    const report = '10 write(2<pipe:[3]>, ""..., 40) = -1 EXDEV (Invalid cross-device link) (INJECTED)';
    const reaction = verifyTrial(
      [...body, renameInjected, report].join('\n'),
      `${dir}/t`,
      { ...aim, terms: [...aim.terms, { syscall: 'write', when: 3 }] },
      'error',
      expect0,
    );
    expect(reaction).toMatchObject({
      reached: true,
      what: expect.stringContaining('strace also failed 1 later call outside the write path: write(pipe:[3])'),
    });
    // Before the aimed call it would have changed what the writer did: still a miss.
    const early = verifyTrial(
      [
        ...head,
        report,
        ...writes.slice(1),
        `10 fdatasync(18<${t}>) = 0`,
        `10 close(18<${t}>) = 0`,
        renameInjected,
      ].join('\n'),
      `${dir}/t`,
      { ...aim, terms: [...aim.terms, { syscall: 'write', when: 1 }] },
      'error',
      expect0,
    );
    expect(early.reached).toBe(false);
    const unmarked = verifyTrial(
      [...body, `10 rename("${t}", "${dir}/t") = 0`].join('\n'),
      `${dir}/t`,
      aim,
      'error',
      expect0,
    );
    expect(unmarked).toMatchObject({ reached: false, reason: expect.stringMatching(/marked no call/) });
  });
});
