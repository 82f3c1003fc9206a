import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runProcess } from '../process.js';
import { parseTrace } from './strace.js';
import { SECCOMP_FLAG, seccompFilterWorks } from './seccomp.js';
import { straceSyscallList, TRACE_SET } from './syscalls.js';

const MECHANISMS = path.resolve('test/fixtures/crash/mechanisms');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'writegate-seccomp-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/**
 * One traced write: every call (name, file, outcome), and the lines naming its directory in order; names carrying a
 * pid or random part, inodes and addresses masked.
 */
async function traced(writer: string, filtered: boolean): Promise<{ calls: string[]; writePath: string[] }> {
  const dir = fs.mkdtempSync(path.join(work, 'run-'));
  const source = path.join(dir, 'source');
  fs.writeFileSync(source, Buffer.alloc(200_000, 7));
  fs.writeFileSync(path.join(dir, 'target'), 'old');
  const traceFile = path.join(dir, 'trace');
  const argv = [
    'strace',
    ...(filtered ? [SECCOMP_FLAG] : []),
    '-f',
    '-q',
    '-y',
    '-s',
    '0',
    '-o',
    traceFile,
    '-e',
    `trace=${straceSyscallList(TRACE_SET)}`,
    '--',
    '/usr/bin/python3',
    path.join(MECHANISMS, writer),
    source,
    path.join(dir, 'target'),
  ];
  const result = await runProcess(argv, { timeoutMs: 30_000 });
  expect(result.exitCode, result.stderr).toBe(0);
  const mask = (text: string): string =>
    text
      .replaceAll(dir, '<dir>')
      .replace(/\/\.?target[^/ >"]*\.tmp[^/ >"]*/g, '/<temp>')
      .replace(/\.\d+\.bak/g, '.<pid>.bak')
      .replace(/#\d+/g, '#<inode>')
      .replace(/0x[0-9a-f]+/g, '<addr>');
  const text = fs.readFileSync(traceFile, 'utf8');
  const calls = parseTrace(text).calls.map((call) =>
    mask(`${call.name} ${call.resultPath ?? ''} = ${call.errno ?? 'ok'}`),
  );
  const writePath = text
    .split('\n')
    .filter((line) => line.includes(dir) && !line.startsWith('+++'))
    .map((line) => mask(line.replace(/^\d+\s+/, '')));
  return { calls: calls.sort(), writePath };
}

describe('strace with the seccomp filter', () => {
  it('works here (CI installs a strace that has it)', async () => {
    expect(await seccompFilterWorks()).toBe(true);
  });

  // The filter only spares the stops at calls outside the trace set: a recording made with it must
  // hold every call one made without it, or the power-loss model would judge a thinner trace.
  it.each(['mmap-writer.py', 'sendfile-writer.py', 'link-backup-writer.py', 'otmpfile-writer.py'])(
    'sees the same calls of %s as a trace without it',
    async (writer) => {
      const plain = await traced(writer, false);
      const filtered = await traced(writer, true);
      expect(plain.writePath.length).toBeGreaterThan(5);
      // The same calls in all (the interpreter's own start-up order varies from run to run), and the write path in the
      // same order.
      expect(filtered.calls).toEqual(plain.calls);
      expect(filtered.writePath).toEqual(plain.writePath);
    },
  );
});
