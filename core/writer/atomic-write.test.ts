import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  sha256,
  writeFileAtomicSync,
  writeFilesAtomicSync,
  WriteConflictError,
  WriteError,
  nodeIo,
  type SyncIo,
} from './index.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-writer-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const entries = () => fs.readdirSync(dir).sort();
const errno = (code: string) => Object.assign(new Error(`${code}: injected`), { code });

/** nodeIo with one call replaced: the seam the writer offers for exactly this. */
function withFault(overrides: Partial<SyncIo>): SyncIo {
  return { ...nodeIo, ...overrides };
}

function expectWriteError(fn: () => unknown, step: string, code?: string): WriteError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(WriteError);
    expect((error as WriteError).step).toBe(step);
    if (code) expect((error as WriteError).code).toBe(code);
    return error as WriteError;
  }
  throw new Error(`expected a WriteError at step ${step}`);
}

describe('durable and fast writes', () => {
  it('durable: writes the content, syncs file and directory, renames once', () => {
    const target = path.join(dir, 'a.txt');
    const stats = writeFileAtomicSync(target, 'hello');
    expect(fs.readFileSync(target, 'utf8')).toBe('hello');
    expect(stats).toMatchObject({ bytesWritten: 5, fsyncCount: 2, renameCount: 1, skipped: false });
    expect(entries()).toEqual(['a.txt']);
  });

  it('fast: renames without any sync', () => {
    const target = path.join(dir, 'a.txt');
    const stats = writeFileAtomicSync(target, Buffer.from('fast'), { mode: 'fast' });
    expect(fs.readFileSync(target, 'utf8')).toBe('fast');
    expect(stats).toMatchObject({ fsyncCount: 0, renameCount: 1 });
  });

  it('replaces an existing file and keeps its permission bits', () => {
    const target = path.join(dir, 'secret');
    fs.writeFileSync(target, 'old');
    fs.chmodSync(target, 0o640);
    writeFileAtomicSync(target, 'new');
    expect(fs.statSync(target).mode & 0o7777).toBe(0o640);
    expect(fs.readFileSync(target, 'utf8')).toBe('new');
  });

  it('gives a new file the umask default, not the 0600 of its temp', () => {
    const target = path.join(dir, 'fresh');
    writeFileAtomicSync(target, 'x');
    const umask = process.umask(0o022);
    process.umask(umask);
    expect(fs.statSync(target).mode & 0o777).toBe(0o666 & ~umask);
  });
});

describe('short writes', () => {
  it('loops until every byte is written when the device takes a few bytes at a time', () => {
    const target = path.join(dir, 'short');
    const payload = Buffer.from('x'.repeat(1000) + 'END');
    let calls = 0;
    const io = withFault({
      writeSync: (fd, buffer, offset, length) => {
        calls += 1;
        return fs.writeSync(fd, buffer, offset, Math.min(length, 7));
      },
    });
    const stats = writeFileAtomicSync(target, payload, { io });
    expect(fs.readFileSync(target)).toEqual(payload);
    expect(stats.bytesWritten).toBe(payload.length);
    expect(calls).toBe(Math.ceil(payload.length / 7));
  });

  it('treats a write that accepts 0 bytes as failure: target untouched, temp removed', () => {
    const target = path.join(dir, 'full');
    fs.writeFileSync(target, 'old content');
    let calls = 0;
    const io = withFault({
      writeSync: (fd, buffer, offset, length) =>
        calls++ === 0 ? fs.writeSync(fd, buffer, offset, Math.min(length, 3)) : 0,
    });
    const error = expectWriteError(() => writeFileAtomicSync(target, 'new content', { io }), 'write');
    expect(error.message).toMatch(/short write: 3 of 11/);
    expect(fs.readFileSync(target, 'utf8')).toBe('old content');
    expect(entries()).toEqual(['full']);
  });
});

describe('failure at every step leaves the target as it was and no temp behind', () => {
  const cases: { step: string; code: string; io: Partial<SyncIo> }[] = [
    {
      step: 'temp_create',
      code: 'EACCES',
      io: {
        openSync: (p, flags, mode) =>
          p.endsWith('.tmp')
            ? (() => {
                throw errno('EACCES');
              })()
            : fs.openSync(p, flags, mode),
      },
    },
    {
      step: 'write',
      code: 'ENOSPC',
      io: {
        writeSync: () => {
          throw errno('ENOSPC');
        },
      },
    },
    {
      step: 'write',
      code: 'EIO',
      io: {
        writeSync: () => {
          throw errno('EIO');
        },
      },
    },
    {
      step: 'sync',
      code: 'EIO',
      io: {
        fdatasyncSync: () => {
          throw errno('EIO');
        },
      },
    },
    {
      step: 'rename',
      code: 'EXDEV',
      io: {
        renameSync: () => {
          throw errno('EXDEV');
        },
      },
    },
    {
      step: 'rename',
      code: 'EACCES',
      io: {
        renameSync: () => {
          throw errno('EACCES');
        },
      },
    },
  ];
  for (const { step, code, io } of cases) {
    it(`${code} at ${step}`, () => {
      const target = path.join(dir, 't');
      fs.writeFileSync(target, 'old');
      expectWriteError(() => writeFileAtomicSync(target, 'new', { io: withFault(io) }), step, code);
      expect(fs.readFileSync(target, 'utf8')).toBe('old');
      expect(entries()).toEqual(['t']);
    });
  }

  it('a directory sync failure is reported after the new content is in place', () => {
    const target = path.join(dir, 't');
    fs.writeFileSync(target, 'old');
    const io = withFault({
      fsyncSync: () => {
        throw errno('EIO');
      },
    });
    expectWriteError(() => writeFileAtomicSync(target, 'new', { io }), 'dir_sync', 'EIO');
    expect(fs.readFileSync(target, 'utf8')).toBe('new');
    expect(entries()).toEqual(['t']);
  });
});

describe('unchanged (write-if-changed)', () => {
  it('identical content touches nothing: no temp, no rename, same inode and mtime', () => {
    const target = path.join(dir, 'same');
    fs.writeFileSync(target, 'same content');
    const past = new Date(Date.now() - 60_000);
    fs.utimesSync(target, past, past);
    const before = fs.statSync(target);
    const opened: string[] = [];
    const io = withFault({ openSync: (p, flags, mode) => (opened.push(p), fs.openSync(p, flags, mode)) });
    const stats = writeFileAtomicSync(target, 'same content', { mode: 'unchanged', io });
    const after = fs.statSync(target);
    expect(stats).toMatchObject({ skipped: true, bytesWritten: 0, fsyncCount: 0, renameCount: 0 });
    expect(after.ino).toBe(before.ino);
    expect(after.mtimeMs).toBe(before.mtimeMs);
    expect(opened).toEqual([target]);
  });

  it('same size, different bytes: written durably', () => {
    const target = path.join(dir, 'same-size');
    fs.writeFileSync(target, 'aaaa');
    const stats = writeFileAtomicSync(target, 'aaab', { mode: 'unchanged' });
    expect(fs.readFileSync(target, 'utf8')).toBe('aaab');
    expect(stats).toMatchObject({ skipped: false, renameCount: 1, fsyncCount: 2 });
  });

  it('compares content larger than one read chunk', () => {
    const target = path.join(dir, 'big');
    const payload = Buffer.alloc(300 * 1024, 7);
    fs.writeFileSync(target, payload);
    expect(writeFileAtomicSync(target, payload, { mode: 'unchanged' }).skipped).toBe(true);
    payload[payload.length - 1] = 8;
    expect(writeFileAtomicSync(target, payload, { mode: 'unchanged' }).skipped).toBe(false);
  });
});

describe('compare-and-swap', () => {
  it('writes when the expected hash matches', () => {
    const target = path.join(dir, 'cas');
    fs.writeFileSync(target, 'v1');
    writeFileAtomicSync(target, 'v2', { expected: { sha256: sha256('v1') } });
    expect(fs.readFileSync(target, 'utf8')).toBe('v2');
  });

  it('a stale hash is a typed conflict and the target stays', () => {
    const target = path.join(dir, 'cas');
    fs.writeFileSync(target, 'v2');
    try {
      writeFileAtomicSync(target, 'v3', { expected: { sha256: sha256('v1') } });
      expect.unreachable('a stale hash must be rejected');
    } catch (error) {
      expect(error).toBeInstanceOf(WriteConflictError);
      expect((error as WriteConflictError).step).toBe('conflict');
    }
    expect(fs.readFileSync(target, 'utf8')).toBe('v2');
    expect(entries()).toEqual(['cas']);
  });

  it('size+mtime and absent expectations', () => {
    const target = path.join(dir, 'meta');
    writeFileAtomicSync(target, 'one', { expected: { absent: true } });
    expect(() => writeFileAtomicSync(target, 'two', { expected: { absent: true } })).toThrow(WriteConflictError);
    const st = fs.statSync(target);
    writeFileAtomicSync(target, 'two', { expected: { size: st.size, mtimeMs: st.mtimeMs } });
    expect(() =>
      writeFileAtomicSync(target, 'three', { expected: { size: st.size, mtimeMs: st.mtimeMs - 1000 } }),
    ).toThrow(WriteConflictError);
    expect(fs.readFileSync(target, 'utf8')).toBe('two');
  });
});

describe('locking', () => {
  it('takes and releases <target>.lock', () => {
    const target = path.join(dir, 'locked');
    writeFileAtomicSync(target, 'x', { lock: true });
    expect(entries()).toEqual(['locked']);
  });

  it('breaks a lock left by a dead process', () => {
    const target = path.join(dir, 'stale');
    fs.writeFileSync(`${target}.lock`, '999999999');
    writeFileAtomicSync(target, 'x', { lock: { timeoutMs: 2000 } });
    expect(fs.readFileSync(target, 'utf8')).toBe('x');
    expect(entries()).toEqual(['stale']);
  });

  it('times out on a live owner', () => {
    const target = path.join(dir, 'busy');
    fs.writeFileSync(`${target}.lock`, String(process.pid));
    expectWriteError(() => writeFileAtomicSync(target, 'x', { lock: { timeoutMs: 50 } }), 'lock');
    expect(fs.existsSync(target)).toBe(false);
  });
});

describe('batch writes', () => {
  it('syncs each distinct parent directory once', () => {
    fs.mkdirSync(path.join(dir, 'a'));
    fs.mkdirSync(path.join(dir, 'b'));
    const stats = writeFilesAtomicSync([
      { target: path.join(dir, 'a', '1'), data: 'one' },
      { target: path.join(dir, 'a', '2'), data: 'two' },
      { target: path.join(dir, 'b', '3'), data: 'three' },
    ]);
    expect(stats).toMatchObject({ renameCount: 3, fsyncCount: 3 + 2, bytesWritten: 11 });
    expect(fs.readFileSync(path.join(dir, 'b', '3'), 'utf8')).toBe('three');
  });

  it('unchanged batch skips identical files and counts no directory sync for them', () => {
    fs.writeFileSync(path.join(dir, 'same'), 'same');
    const stats = writeFilesAtomicSync([{ target: path.join(dir, 'same'), data: 'same' }], { mode: 'unchanged' });
    expect(stats).toMatchObject({ skipped: true, fsyncCount: 0, renameCount: 0 });
  });
});

describe('invalid input', () => {
  it('rejects an empty path and a NUL byte before touching the disk', () => {
    expectWriteError(() => writeFileAtomicSync('', 'x'), 'invalid_input');
    expectWriteError(() => writeFileAtomicSync(path.join(dir, 'a\0b'), 'x'), 'invalid_input');
    expectWriteError(() => writeFileAtomicSync(dir, 'x'), 'invalid_input');
    expect(entries()).toEqual([]);
  });
});
