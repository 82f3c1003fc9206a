import { describe, expect, it } from 'vitest';
import { isDeletedPath, parseFd, parseString, parseTrace, splitArgs } from './strace.js';

describe('parseTrace', () => {
  it('reads calls, fd decorations, results and the INJECTED mark', () => {
    const trace = parseTrace(
      [
        '100   openat(AT_FDCWD</w>, "/w/d/.t.tmp", O_WRONLY|O_CREAT|O_EXCL|O_CLOEXEC, 0600) = 18</w/d/.t.tmp>',
        '100   write(18</w/d/.t.tmp>, ""..., 1024) = -1 ENOSPC (No space left on device) (INJECTED)',
        '100   +++ exited with 1 +++',
      ].join('\n'),
    );
    expect(trace.calls.map((c) => c.name)).toEqual(['openat', 'write']);
    const [open, write] = trace.calls;
    expect(open?.resultPath).toBe('/w/d/.t.tmp');
    expect(open?.retval).toBe(18);
    expect(write?.errno).toBe('ENOSPC');
    expect(write?.injected).toBe(true);
    expect(open?.injected).toBe(false);
    expect(trace.exits).toEqual([{ tid: 100, exitCode: 1 }]);
  });

  it('joins a call split by another thread, keeping the entry order', () => {
    const trace = parseTrace(
      [
        '7 rename("/w/d/.t.tmp", "/w/d/t" <unfinished ...>',
        '8 fsync(3</w/d/other>) = 0',
        '7 <... rename resumed>)             = 0',
      ].join('\n'),
    );
    expect(trace.calls.map((c) => [c.seq, c.name, c.tid])).toEqual([
      [0, 'rename', 7],
      [1, 'fsync', 8],
    ]);
    expect(trace.calls[0]?.args).toEqual(['"/w/d/.t.tmp"', '"/w/d/t"']);
    expect(trace.calls[0]?.finished).toBe(true);
    expect(trace.calls[0]?.retval).toBe(0);
  });

  it('marks a call its thread died in as unfinished, and reads the kill', () => {
    const killedAtEntry = parseTrace(['5 fdatasync(18</w/d/.t.tmp>) = ?', '5 +++ killed by SIGKILL +++'].join('\n'));
    expect(killedAtEntry.calls[0]?.finished).toBe(false);
    expect(killedAtEntry.exits[0]).toEqual({ tid: 5, killedBy: 'SIGKILL' });
    const neverResumed = parseTrace(
      ['5 fsync(19</w/d> <unfinished ...>', '6 +++ killed by SIGKILL +++', '5 +++ killed by SIGKILL +++'].join('\n'),
    );
    expect(neverResumed.calls[0]?.finished).toBe(false);
    expect(parseFd(neverResumed.calls[0]?.args[0])).toEqual({ fd: 19, path: '/w/d' });
  });

  it('reads traces without a pid prefix (strace without -f)', () => {
    const trace = parseTrace(['write(3</w/d/t>, ""..., 10) = 10', '+++ exited with 0 +++'].join('\n'));
    expect(trace.calls[0]?.tid).toBe(0);
    expect(trace.exits[0]).toEqual({ tid: 0, exitCode: 0 });
  });
});

describe('argument helpers', () => {
  it('splits at top-level commas only, keeping strings, structs and fd paths whole', () => {
    expect(splitArgs('3</a, b>, "x,\\"y", {st_mode=S_IFREG, st_size=1}, [1, 2]) = 0').args).toEqual([
      '3</a, b>',
      '"x,\\"y"',
      '{st_mode=S_IFREG, st_size=1}',
      '[1, 2]',
    ]);
  });

  it('unescapes C strings and drops the deleted mark of fd paths', () => {
    expect(parseString('"/w/a\\tb\\x41\\101"')).toBe('/w/a\tbAA');
    expect(parseString('""...')).toBe('');
    expect(parseString('O_RDONLY')).toBeUndefined();
    expect(parseFd('4</w/d/.t.tmp (deleted)>')).toEqual({ fd: 4, path: '/w/d/.t.tmp' });
    expect(parseFd('AT_FDCWD</w>')).toEqual({ fd: 'AT_FDCWD', path: '/w' });
  });
});

describe('strace 6 output for the calls beyond write and fsync', () => {
  it('reads the deleted mark strace 6 prints after the decoration, on fds and on results', () => {
    expect(parseFd('8</w/d/#2146322>(deleted)')).toEqual({ fd: 8, path: '/w/d/#2146322' });
    expect(isDeletedPath('8</w/d/#2146322>(deleted)')).toBe(true);
    expect(isDeletedPath('8</w/d/x>')).toBe(false);
    const [open] = parseTrace(
      '7 openat(AT_FDCWD</w>, "/w/d", O_WRONLY|O_CLOEXEC|O_TMPFILE, 0600) = 8</w/d/#2146322>(deleted)\n',
    ).calls;
    expect(open).toMatchObject({ retval: 8, resultPath: '/w/d/#2146322', finished: true });
  });

  it('reads an address returned by mmap as a number, not as the 0 its hex begins with', () => {
    const [map] = parseTrace(
      '7 mmap(NULL, 10000, PROT_READ|PROT_WRITE, MAP_SHARED, 4</w/d/c>, 0) = 0x7fd346a60000\n',
    ).calls;
    expect(map?.retval).toBe(0x7fd346a60000);
    expect(map?.args).toEqual(['NULL', '10000', 'PROT_READ|PROT_WRITE', 'MAP_SHARED', '4</w/d/c>', '0']);
  });
});
