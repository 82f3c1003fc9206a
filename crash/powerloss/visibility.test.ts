import { describe, expect, it } from 'vitest';
import { parseTrace } from '../../core/trace/strace.js';
import { logicalOps, type RecordedRun } from './from-trace.js';
import { judgeVisibility } from './visibility.js';

const D = '/w/1/dir';
const T = '/w/1/tmp';
const TARGET = `${D}/target.dat`;
const OLD = Buffer.alloc(6000, 1);
const NEW = Buffer.alloc(6000, 2);

function visibility(lines: string[], finalContents: ReadonlyMap<string, Buffer> = new Map([[TARGET, NEW]])) {
  const run: RecordedRun = {
    trace: parseTrace(lines.join('\n')),
    dir: D,
    tmpDir: T,
    target: TARGET,
    old: OLD,
    fresh: NEW,
    reportedSuccess: true,
    finalContents,
  };
  return judgeVisibility(logicalOps(run), run);
}

const OPEN = `7 openat(AT_FDCWD</w>, "${D}/.x", O_WRONLY|O_CREAT|O_EXCL, 0600) = 4<${D}/.x>`;
const RENAME = `7 rename("${D}/.x", "${TARGET}") = 0`;
const RING = `7 io_uring_setup(4, {flags=0, sq_thread_cpu=0, sq_thread_idle=0}) = 3<anon_inode:[io_uring]>`;
const ENTER = `7 io_uring_enter(3<anon_inode:[io_uring]>, 1, 0, 0, NULL, 8) = 1`;

describe('judgeVisibility: a writer is judged only when its trace accounts for what it left', () => {
  it('judges a writer whose traced writes make exactly the target', () => {
    expect(visibility([OPEN, `7 write(4<${D}/.x>, ""..., 6000) = 6000`, `7 fsync(4<${D}/.x>) = 0`, RENAME])).toEqual({
      judged: true,
    });
  });

  it('does not judge a writer whose bytes went through io_uring: the trace holds none of them', () => {
    const seen = visibility([RING, OPEN, ENTER, ENTER, RENAME]);
    expect(seen).toEqual({
      judged: false,
      reason:
        'its I/O goes through io_uring, which strace cannot see: the target holds ' +
        '6000 bytes, its traced calls account for 0',
    });
  });

  it(
    'judges a writer that only sets up a ring (an event loop) when its visible ' +
      'calls account for everything, and says so',
    () => {
      expect(visibility([RING, ENTER, OPEN, `7 write(4<${D}/.x>, ""..., 6000) = 6000`, RENAME])).toEqual({
        judged: true,
        unseen: 'io_uring',
      });
    },
  );

  it('does not judge a target that changed with no visible data call, whatever did it', () => {
    const seen = visibility([OPEN, `7 write(4<${D}/.x>, ""..., 1000) = 1000`, RENAME]);
    expect(seen.judged).toBe(false);
    expect(!seen.judged && seen.reason).toBe(
      'its files are not what its traced calls wrote (the target holds 6000 ' +
        'bytes, its traced calls account for 1000): part of its I/O goes through ' +
        'calls the tracer does not show',
    );
  });

  it('does not judge when a file left behind was made by no traced call, or a traced name is missing', () => {
    const leftover = visibility(
      [OPEN, `7 write(4<${D}/.x>, ""..., 6000) = 6000`, RENAME],
      new Map([
        [TARGET, NEW],
        [`${D}/ghost`, Buffer.from('x')],
      ]),
    );
    expect(!leftover.judged && leftover.reason).toMatch(
      /the run left the target's directory\/ghost, which no traced call made/,
    );
    const vanished = visibility([OPEN, `7 write(4<${D}/.x>, ""..., 6000) = 6000`], new Map([[TARGET, NEW]]));
    expect(!vanished.judged && vanished.reason).toMatch(
      /its traced calls leave the target's directory\/\.x, which the run did not/,
    );
  });

  it('does not judge a writer that calls something on its file the model does not follow', () => {
    const seen = visibility([
      OPEN,
      `7 write(4<${D}/.x>, ""..., 6000) = 6000`,
      `7 ioctl(4<${D}/.x>, FS_IOC_SETFLAGS, [FS_APPEND_FL]) = 0`,
      RENAME,
    ]);
    expect(!seen.judged && seen.reason).toMatch(
      /^it makes a call on its files that the model does not follow: ioctl\(\.x\): ioctl\(FS_IOC_SETFLAGS\)/,
    );
  });
});
