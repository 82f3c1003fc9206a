import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot, selfScriptArgv } from '../core/self-script.js';
import { readAuditLine } from './audit/audit-log.js';
import { parseObject } from './audit/lines.js';
import { classifyCommand } from './classify/index.js';
import { SHIM_SCRIPT } from './shim.js';

const RUNNER = 'test/fixtures/hooks/shim-runner.ts';
const hooks = path.join(packageRoot, 'test', 'fixtures', 'hooks');
const bytesHook = [process.execPath, path.join(hooks, 'shim-bytes.mjs')];
const rewriteHook = [process.execPath, path.join(hooks, 'shim-rewrite.mjs')];
const killedHook = [process.execPath, path.join(hooks, 'shim-killed.mjs')];
const hangHook = [process.execPath, path.join(hooks, 'shim-hang.mjs')];

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-shim-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Ran {
  code: number | null;
  stdout: Buffer;
  stderr: Buffer;
  ms: number;
}

/** The shim script as the agent runs it: a real process with `input` on its stdin; `onStart` may signal it. */
function shim(
  args: readonly string[],
  input: Buffer | string,
  onStart?: (pid: number) => void,
  argv: readonly string[] = ['/bin/sh', SHIM_SCRIPT],
): Promise<Ran> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0] as string, [...argv.slice(1), ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    // 'exit', not 'close': a process that outlived the shim and held its pipes must not hold the test.
    child.on('exit', (code) => {
      const ms = performance.now() - started;
      setTimeout(() => resolve({ code, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr), ms }), 50);
    });
    // A shim that refuses its arguments exits before reading its input.
    child.stdin.on('error', () => {});
    child.stdin.end(input);
    if (onStart && child.pid) onStart(child.pid);
  });
}

function hookInput(toolUseId: string, command: string): string {
  return JSON.stringify({
    session_id: 'b7e1c2d3-0000-4000-8000-000000000001',
    transcript_path: '/home/dev/.claude/projects/-home-dev-project/b7e1c2d3-0000-4000-8000-000000000001.jsonl',
    cwd: '/home/dev/project',
    permission_mode: 'default',
    hook_event_name: 'PreToolUse',
    tool_name: 'Bash',
    tool_input: { command, description: 'run it' },
    tool_use_id: toolUseId,
  });
}

/** The class is the classifier's verdict on the original command, whatever the classifier is. */
const classOf = (command: string) => classifyCommand(command).class;

function logLines(log: string): string[] {
  return fs.readFileSync(log, 'utf8').split('\n').filter(Boolean);
}

function records(log: string) {
  return logLines(log).flatMap((line) => {
    const record = readAuditLine(parseObject(line));
    expect(record, `not a whole audit line: ${line.slice(0, 120)}…`).not.toBeUndefined();
    return record ? [record] : [];
  });
}

/** Whether a process still runs: a zombie (killed, not yet reaped by init) does not. */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** The pids a hang fixture wrote, and whether each still runs (asked for up to 2 s: a kill is not instant). */
async function alive(pidFile: string): Promise<boolean[]> {
  const pids = fs.existsSync(pidFile) ? fs.readFileSync(pidFile, 'utf8').split('\n').filter(Boolean).map(Number) : [];
  expect(pids.length).toBeGreaterThan(0);
  for (let waited = 0; waited < 2_000 && pids.some(running); waited += 50)
    await new Promise((resolve) => setTimeout(resolve, 50));
  return pids.map(running);
}

describe('hook-shim passes the hook through', () => {
  // Not UTF-8: a lone continuation byte, an invalid lead byte, a NUL, a truncated sequence.
  const odd = Buffer.from([0x80, 0xff, 0x00, 0xfe, 0xe2, 0x82, 0x0a]);

  it('stdout, stderr and exit 2 byte for byte, and logs the call', async () => {
    const log = path.join(dir, 'bytes.jsonl');
    const input = hookInput('toolu_01Bytes', 'git stash');
    const ran = await shim(
      [
        '--log',
        log,
        '--',
        ...bytesHook,
        odd.toString('hex'),
        Buffer.concat([Buffer.from('blocked: '), odd]).toString('hex'),
        '2',
      ],
      input,
    );
    expect(ran.code).toBe(2);
    expect(ran.stdout.equals(Buffer.concat([Buffer.from(input), odd]))).toBe(true);
    expect(ran.stderr.equals(Buffer.concat([Buffer.from('blocked: '), odd]))).toBe(true);
    expect(records(log)).toEqual([
      {
        ts: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        session_id: 'b7e1c2d3-0000-4000-8000-000000000001',
        tool_use_id: 'toolu_01Bytes',
        command: 'git stash',
        rewritten: null,
        class: classOf('git stash'),
      },
    ]);
    // So a reader writing one fixed class would fail here or in the rewrite test below.
    expect(classOf('git stash')).not.toBe(classOf('git status'));
  });

  it('a stdin that is not UTF-8 reaches the hook intact; logged whole, and read as no Bash call', async () => {
    const log = path.join(dir, 'odd-stdin.jsonl');
    const ran = await shim(['--log', log, '--', ...bytesHook, '', '', '0'], odd);
    expect(ran.code).toBe(0);
    expect(ran.stdout.equals(odd)).toBe(true);
    expect(ran.stderr.length).toBe(0);
    expect(logLines(log)).toHaveLength(1);
    expect(records(log)).toEqual([]);
  });

  it('other exit codes pass through too', async () => {
    const ran = await shim(
      ['--log', path.join(dir, 'exit7.jsonl'), '--', ...bytesHook, '', '6f6f7073', '7'],
      hookInput('toolu_01Seven', 'ls'),
    );
    expect(ran.code).toBe(7);
    expect(ran.stderr.toString()).toBe('oops');
  });

  it('logs a rewrite with the rewritten command, and a command left alone as null', async () => {
    const log = path.join(dir, 'rewrite.jsonl');
    const rewritten = await shim(['--log', log, '--', ...rewriteHook], hookInput('toolu_01Git', 'git status'));
    expect(rewritten.code).toBe(0);
    expect(JSON.parse(rewritten.stdout.toString())).toEqual({
      hookSpecificOutput: {
        hookEventName: 'PreToolUse',
        permissionDecision: 'allow',
        updatedInput: { command: 'mytool git status', description: 'run it' },
      },
    });
    const alone = await shim(['--log', log, '--', ...rewriteHook], hookInput('toolu_01Ls', 'ls src'));
    expect(alone.code).toBe(0);
    expect(alone.stdout.length).toBe(0);
    expect(
      records(log).map(({ tool_use_id, command, rewritten: r, class: c }) => ({
        tool_use_id,
        command,
        rewritten: r,
        class: c,
      })),
    ).toEqual([
      {
        tool_use_id: 'toolu_01Git',
        command: 'git status',
        rewritten: 'mytool git status',
        class: classOf('git status'),
      },
      { tool_use_id: 'toolu_01Ls', command: 'ls src', rewritten: null, class: classOf('ls src') },
    ]);
  });

  it('`writegate hook-shim` reaches the same script', async () => {
    const log = path.join(dir, 'through-writegate.jsonl');
    const ran = await shim(
      ['hook-shim', '--log', log, '--', ...rewriteHook],
      hookInput('toolu_01Node', 'git diff'),
      undefined,
      selfScriptArgv(RUNNER, []),
    );
    expect(ran.code).toBe(0);
    expect(JSON.parse(ran.stdout.toString()).hookSpecificOutput.updatedInput.command).toBe('mytool git diff');
    expect(records(log).map((r) => r.rewritten)).toEqual(['mytool git diff']);
  });
});

describe('hook-shim fails open', () => {
  it('when the hook is missing: exit 0, empty stdout, one line on stderr, the call still logged', async () => {
    const log = path.join(dir, 'missing.jsonl');
    const ran = await shim(
      ['--log', log, '--', path.join(dir, 'no-such-hook'), 'arg'],
      hookInput('toolu_01Missing', 'git status'),
    );
    expect(ran.code).toBe(0);
    expect(ran.stdout.length).toBe(0);
    expect(ran.stderr.toString()).toMatch(
      /^writegate hook-shim: cannot start .*no-such-hook \(No such file or directory\); the call proceeds unchanged\n$/,
    );
    expect(records(log).map((r) => [r.tool_use_id, r.rewritten])).toEqual([['toolu_01Missing', null]]);
  });

  it('when the hook is killed by a signal: its output is dropped, the rewrite it printed not logged', async () => {
    const log = path.join(dir, 'killed.jsonl');
    const ran = await shim(['--log', log, '--', ...killedHook], hookInput('toolu_01Killed', 'git status'));
    expect(ran.code).toBe(0);
    expect(ran.stdout.length).toBe(0);
    expect(ran.stderr.toString()).toBe(
      'writegate hook-shim: the hook was killed by signal 9; the call proceeds unchanged\n',
    );
    expect(records(log).map((r) => [r.tool_use_id, r.rewritten])).toEqual([['toolu_01Killed', null]]);
  });

  it('when it is misconfigured: exit 0 and a usage line, never exit 2', async () => {
    for (const args of [
      ['--', ...bytesHook],
      ['--log', path.join(dir, 'x.jsonl')],
      ['--log'],
      ['--lgo', 'x', '--', ...bytesHook],
      ['--log', 'x', '--timeout', 'soon', '--', ...bytesHook],
    ]) {
      const ran = await shim(args, hookInput('toolu_01Usage', 'ls'));
      expect(ran.code, args.join(' ')).toBe(0);
      expect(ran.stdout.length).toBe(0);
      expect(ran.stderr.toString()).toMatch(
        /^writegate hook-shim: .*usage: writegate-hook-shim --log FILE \[--timeout SECONDS\] -- HOOK \[ARG\.\.\.\]\); the call proceeds unchanged\n$/,
      );
    }
  });

  it('a log that cannot be written changes nothing the agent sees', async () => {
    const log = path.join(dir, 'no-such-dir', 'audit.jsonl');
    const input = hookInput('toolu_01NoLog', 'git stash');
    const blocked = await shim(
      ['--log', log, '--', ...bytesHook, '', Buffer.from('no stashing').toString('hex'), '2'],
      input,
    );
    // On a block the agent's model reads stderr: exactly the hook's, nothing added.
    expect(blocked.code).toBe(2);
    expect(blocked.stdout.toString()).toBe(input);
    expect(blocked.stderr.toString()).toBe('no stashing');
    // Otherwise stderr goes to the user only: the hook's bytes, then the shim's one line.
    const allowed = await shim(['--log', log, '--', ...rewriteHook], hookInput('toolu_01NoLog2', 'git status'));
    expect(allowed.code).toBe(0);
    expect(JSON.parse(allowed.stdout.toString()).hookSpecificOutput.updatedInput.command).toBe('mytool git status');
    expect(allowed.stderr.toString()).toMatch(
      /^writegate hook-shim: cannot append to .*audit\.jsonl \(No such file or directory\); the call was not logged\n$/,
    );
  });
});

describe('hook-shim can never hold the agent', () => {
  it('a hook that never exits is killed with its process group at the deadline, and the call proceeds', async () => {
    const pids = path.join(dir, 'forever.pids');
    const log = path.join(dir, 'forever.jsonl');
    const ran = await shim(
      ['--log', log, '--timeout', '1', '--', ...hangHook, 'forever', pids],
      hookInput('toolu_01Forever', 'git status'),
    );
    expect(ran.code).toBe(0);
    expect(ran.stdout.length).toBe(0);
    expect(ran.stderr.toString()).toBe(
      'writegate hook-shim: the hook did not answer within 1 s and was killed ' +
        'with its process group; the call proceeds unchanged\n',
    );
    // Bounded by the deadline, not by the hook (which would never end).
    expect(ran.ms).toBeLessThan(5_000);
    expect(await alive(pids)).toEqual([false]);
    expect(logLines(log).map((line) => JSON.parse(line).outcome)).toEqual(['timeout']);
  });

  it('a hook that exits leaving a child on its stdout: the shim returns when the hook exits, and the child goes', async () => {
    const pids = path.join(dir, 'orphan.pids');
    const ran = await shim(
      ['--log', path.join(dir, 'orphan.jsonl'), '--timeout', '20', '--', ...hangHook, 'orphan', pids],
      hookInput('toolu_01Orphan', 'ls'),
    );
    expect(ran.code).toBe(0);
    expect(ran.stdout.toString()).toBe('{}');
    // Long before the 20 s deadline and the child's 30 s.
    expect(ran.ms).toBeLessThan(5_000);
    expect(await alive(pids)).toEqual([false, false]);
  });

  it('a --log that is a FIFO without a reader, or a symlink, is not opened: the call proceeds, logged nowhere', async () => {
    const fifo = path.join(dir, 'audit.fifo');
    const { spawnSync } = await import('node:child_process');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const ran = await shim(['--log', fifo, '--', ...rewriteHook], hookInput('toolu_01Fifo', 'git status'));
    expect(ran.code).toBe(0);
    expect(JSON.parse(ran.stdout.toString()).hookSpecificOutput.updatedInput.command).toBe('mytool git status');
    expect(ran.stderr.toString()).toBe(
      `writegate hook-shim: cannot append to ${fifo} (not a regular file); the call was not logged\n`,
    );
    const real = path.join(dir, 'elsewhere.txt');
    fs.writeFileSync(real, 'untouched\n');
    const link = path.join(dir, 'audit-link.jsonl');
    fs.symlinkSync(real, link);
    const linked = await shim(['--log', link, '--', ...rewriteHook], hookInput('toolu_01Link', 'git status'));
    expect(linked.code).toBe(0);
    expect(linked.stderr.toString()).toMatch(/cannot append to .*audit-link\.jsonl \(not a regular file\)/);
    expect(fs.readFileSync(real, 'utf8')).toBe('untouched\n');
  });

  it('the agent giving up (SIGTERM) takes the hook and its process group with it', async () => {
    const pids = path.join(dir, 'term.pids');
    const ran = await shim(
      ['--log', path.join(dir, 'term.jsonl'), '--timeout', '60', '--', ...hangHook, 'forever', pids],
      hookInput('toolu_01Term', 'ls'),
      (pid) => {
        const poll = setInterval(() => {
          if (!fs.existsSync(pids)) return;
          clearInterval(poll);
          process.kill(pid, 'SIGTERM');
        }, 20);
      },
    );
    expect(ran.code).toBe(0);
    expect(ran.stderr.toString()).toBe('writegate hook-shim: interrupted; the call proceeds unchanged\n');
    expect(ran.ms).toBeLessThan(20_000);
    expect(await alive(pids)).toEqual([false]);
  });

  it('a hook that floods stdout is passed through without being held in memory, and logged by size', async () => {
    const log = path.join(dir, 'flood.jsonl');
    const ran = await shim(
      ['--log', log, '--', ...hangHook, 'flood', path.join(dir, 'flood.pids'), '16'],
      hookInput('toolu_01Flood', 'ls'),
    );
    expect(ran.code).toBe(0);
    expect(ran.stdout.length).toBe(16 * 1024 * 1024);
    const [line] = logLines(log);
    expect(JSON.parse(line as string)).toMatchObject({ v: 2, outcome: 'ran', code: 0, output_bytes: 16 * 1024 * 1024 });
    expect(line?.length).toBeLessThan(4096);
  });
});

describe('hook-shim under concurrency', () => {
  it('20 shims appending to one log at the same moment leave 20 whole lines', async () => {
    const log = path.join(dir, 'concurrent.jsonl');
    const barrier = fs.mkdtempSync(path.join(dir, 'barrier-'));
    // Long commands (about 48 KiB a line as base64), so a line written in pieces would show.
    const runs = Array.from({ length: 20 }, (_, i) => {
      const command = `git log --grep ${String(i).padStart(2, '0')}${'x'.repeat(24 * 1024)}`;
      return shim(
        ['--log', log, '--', ...rewriteHook, barrier, '20'],
        hookInput(`toolu_01Concurrent${i}`, command),
      ).then((ran) => ({ ran, command }));
    });
    const done = await Promise.all(runs);
    for (const { ran } of done) expect(ran.code).toBe(0);
    expect(fs.readdirSync(barrier)).toHaveLength(20);
    const lines = logLines(log);
    expect(lines).toHaveLength(20);
    const byId = new Map(records(log).map((record) => [record.tool_use_id, record]));
    expect(byId.size).toBe(20);
    done.forEach(({ command }, i) => {
      expect(byId.get(`toolu_01Concurrent${i}`)).toMatchObject({
        command,
        rewritten: `mytool ${command}`,
        class: classOf(command),
      });
    });
  });
});
