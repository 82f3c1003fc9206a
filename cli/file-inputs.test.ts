/**
 * Every file flag takes a bounded regular file: a FIFO (which would block the open, where no signal
 * handler can run) and /dev/zero (which never ends) are refused in one line, exit 2, before anything
 * is read or written; so is a file past its kind's size limit. A line past the JSONL limit is one
 * malformed line, not a crash.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { INPUT_LIMITS, inputLines } from '../core/input-file.js';
import { packageRoot, selfScriptArgv } from '../core/self-script.js';
import { useCliHarness } from '../test/support/cli-harness.js';
import { main } from './main.js';

const cli = useCliHarness({ prefix: 'wg-file-inputs-', chdir: true });
const PASS_CSV = path.join(packageRoot, 'test', 'fixtures', 'analyze', 'pass.csv');

/** The bad-input contract: exit 2, one line naming the file, nothing written. */
async function refused(args: string[], file: string, why: RegExp): Promise<void> {
  const out = path.join(cli.dir, 'out');
  const code = await main([...args, '--out', out]);
  expect(code, args.join(' ')).toBe(2);
  const lines = cli.stderr.trimEnd().split('\n');
  expect(lines, cli.stderr).toHaveLength(1);
  expect(lines[0]).toContain(file);
  expect(lines[0]).toMatch(why);
  expect(fs.existsSync(out)).toBe(false);
  cli.clear();
}

function fifo(name: string): string {
  const file = path.join(cli.dir, name);
  expect(spawnSync('mkfifo', [file]).status).toBe(0);
  return file;
}

/** Each file flag, as a command line taking `file` in that place. */
const FLAGS: Record<string, (file: string) => string[]> = {
  'bench --config': (file) => ['bench', '--config', file],
  'analyze CSV': (file) => ['analyze', file],
  'analyze --baseline': (file) => ['analyze', PASS_CSV, '--baseline', file],
  'analyze --thresholds': (file) => ['analyze', PASS_CSV, '--thresholds', file],
  'analyze --regression-policy': (file) => ['analyze', PASS_CSV, '--baseline', PASS_CSV, '--regression-policy', file],
  'analyze --known-differences': (file) => ['analyze', PASS_CSV, '--known-differences', file],
  'gate --thresholds': (file) => ['gate', '--thresholds', file],
  'hook --audit': (file) => ['hook', '--audit', file],
};

describe.each(Object.keys(FLAGS))('%s', (flag) => {
  const args = FLAGS[flag] as (file: string) => string[];

  it('refuses a FIFO before opening it', async () => {
    const file = fifo('input.fifo');
    await refused(args(file), file, /: a FIFO, not a regular file$/);
  });

  it('refuses /dev/zero before reading it', async () => {
    await refused(args('/dev/zero'), '/dev/zero', /: a character device, not a regular file$/);
  });
});

describe('size and line limits', () => {
  it("a file past its kind's limit is refused before a byte is read", async () => {
    const big = path.join(cli.dir, 'big.json');
    fs.closeSync(fs.openSync(big, 'w'));
    fs.truncateSync(big, INPUT_LIMITS.json.bytes + 1);
    await refused(
      ['analyze', PASS_CSV, '--thresholds', big],
      big,
      /: 4194305 bytes, more than the 4 MiB a JSON input may be$/,
    );
  });

  it('a history entry that is not a regular file is refused like any input', async () => {
    const history = path.join(cli.dir, 'history');
    // A first run files itself under its machine class; a FIFO beside it is then an entry to read.
    expect(await main(['analyze', PASS_CSV, '--history', history, '--out', path.join(cli.dir, 'first')])).not.toBe(2);
    fs.rmSync(path.join(cli.dir, 'first'), { recursive: true });
    cli.clear();
    const [classDir] = fs.readdirSync(history);
    const entry = fifo(path.join('history', classDir as string, 'zz-run.csv'));
    await refused(
      ['analyze', PASS_CSV, '--history', history, '--no-history-append'],
      entry,
      /: a FIFO, not a regular file$/,
    );
  });

  it('a JSONL line past the limit is one malformed line, never held whole', async () => {
    const file = path.join(cli.dir, 'huge-line.jsonl');
    const handle = fs.openSync(file, 'w');
    fs.writeSync(handle, '{"a":1}\n');
    const chunk = Buffer.alloc(1024 * 1024, 0x78);
    for (let i = 0; i <= INPUT_LIMITS.jsonl.line / chunk.length; i++) fs.writeSync(handle, chunk);
    fs.writeSync(handle, '\n{"b":2}');
    fs.closeSync(handle);
    const lines = [];
    for await (const line of inputLines(file, 'jsonl')) lines.push(line);
    expect(lines).toEqual([
      { text: '{"a":1}' },
      { tooLong: INPUT_LIMITS.jsonl.line + chunk.length },
      { text: '{"b":2}' },
    ]);
  });
});

describe('a real process given a FIFO', () => {
  it('exits 2 at once, with no reader ever attached to the FIFO', async () => {
    const file = fifo('config.fifo');
    const [bin, ...rest] = selfScriptArgv('cli/bin.ts', [
      'bench',
      '--config',
      file,
      '--out',
      path.join(cli.dir, 'out'),
    ]);
    const ended = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(bin as string, rest, { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const limit = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.on('close', (code) => {
        clearTimeout(limit);
        resolve({ code, stderr });
      });
    });
    expect(ended.code).toBe(2);
    expect(ended.stderr).toMatch(/^writegate: config file .*config\.fifo: a FIFO, not a regular file\n$/);
  }, 40_000);
});
