import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot, selfScriptArgv } from '../core/self-script.js';
import { bundleSelfScripts } from '../core/self-script-bundle.js';
import { readAuditLine } from './audit/audit-log.js';
import { classifyCommand } from './classify/index.js';
import { parseObject } from './audit/lines.js';
import { runShim } from './shim.js';

const RUNNER = 'test/fixtures/hooks/shim-runner.ts';
const hooks = path.join(packageRoot, 'test', 'fixtures', 'hooks');
const bytesHook = [process.execPath, path.join(hooks, 'shim-bytes.mjs')];
const rewriteHook = [process.execPath, path.join(hooks, 'shim-rewrite.mjs')];
const killedHook = [process.execPath, path.join(hooks, 'shim-killed.mjs')];

let dir: string;
let forgetBundle: () => void;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-shim-'));
  // Twenty shims start at once below: plain node on a bundle, not twenty tsx loaders.
  forgetBundle = await bundleSelfScripts(path.join(dir, 'bundle'), [RUNNER]);
});
afterAll(() => {
  forgetBundle();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Ran {
  code: number | null;
  stdout: Buffer;
  stderr: Buffer;
}

/** `writegate hook-shim ARGS…` as a real process with `input` on its stdin. */
function shim(args: readonly string[], input: Buffer | string): Promise<Ran> {
  const [file, ...rest] = selfScriptArgv(RUNNER, ['hook-shim', ...args]);
  return new Promise((resolve, reject) => {
    const child = spawn(file as string, rest, { stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr) }));
    child.stdin.end(input);
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
  return logLines(log).map((line) => {
    const record = readAuditLine(parseObject(line));
    expect(record, `not a whole audit line: ${line.slice(0, 120)}…`).toBeDefined();
    return record!;
  });
}

describe('hook-shim passes the hook through', () => {
  // Not UTF-8: a lone continuation byte, an invalid lead byte, a NUL, a truncated sequence.
  const odd = Buffer.from([0x80, 0xff, 0x00, 0xfe, 0xe2, 0x82, 0x0a]);

  it('stdout, stderr and exit 2 byte for byte, and logs the call', async () => {
    const log = path.join(dir, 'bytes.jsonl');
    const input = hookInput('toolu_01Bytes', 'git stash');
    const ran = await shim(['--log', log, '--', ...bytesHook, odd.toString('hex'), Buffer.concat([Buffer.from('blocked: '), odd]).toString('hex'), '2'], input);
    expect(ran.code).toBe(2);
    expect(ran.stdout.equals(Buffer.concat([Buffer.from(input), odd]))).toBe(true);
    expect(ran.stderr.equals(Buffer.concat([Buffer.from('blocked: '), odd]))).toBe(true);
    expect(records(log)).toEqual([{ ts: expect.any(String), session_id: 'b7e1c2d3-0000-4000-8000-000000000001', tool_use_id: 'toolu_01Bytes', command: 'git stash', rewritten: null, class: classOf('git stash') }]);
    // So a shim writing one fixed class would fail here or in the rewrite test below.
    expect(classOf('git stash')).not.toBe(classOf('git status'));
  });

  it('a stdin that is not UTF-8 reaches the hook intact; not a Bash call, so nothing is logged', async () => {
    const log = path.join(dir, 'odd-stdin.jsonl');
    const ran = await shim(['--log', log, '--', ...bytesHook, '', '', '0'], odd);
    expect(ran.code).toBe(0);
    expect(ran.stdout.equals(odd)).toBe(true);
    expect(ran.stderr.length).toBe(0);
    expect(fs.existsSync(log)).toBe(false);
  });

  it('other exit codes pass through too', async () => {
    const ran = await shim(['--log', path.join(dir, 'exit7.jsonl'), '--', ...bytesHook, '', '6f6f7073', '7'], hookInput('toolu_01Seven', 'ls'));
    expect(ran.code).toBe(7);
    expect(ran.stderr.toString()).toBe('oops');
  });

  it('logs a rewrite with the rewritten command, and a command left alone as null', async () => {
    const log = path.join(dir, 'rewrite.jsonl');
    const rewritten = await shim(['--log', log, '--', ...rewriteHook], hookInput('toolu_01Git', 'git status'));
    expect(rewritten.code).toBe(0);
    expect(JSON.parse(rewritten.stdout.toString())).toEqual({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'allow', updatedInput: { command: 'mytool git status', description: 'run it' } } });
    const alone = await shim(['--log', log, '--', ...rewriteHook], hookInput('toolu_01Ls', 'ls src'));
    expect(alone.code).toBe(0);
    expect(alone.stdout.length).toBe(0);
    expect(records(log).map(({ tool_use_id, command, rewritten: r, class: c }) => ({ tool_use_id, command, rewritten: r, class: c }))).toEqual([
      { tool_use_id: 'toolu_01Git', command: 'git status', rewritten: 'mytool git status', class: classOf('git status') },
      { tool_use_id: 'toolu_01Ls', command: 'ls src', rewritten: null, class: classOf('ls src') },
    ]);
  });
});

describe('hook-shim fails open', () => {
  it('when the hook is missing: exit 0, empty stdout, one line on stderr, the call still logged', async () => {
    const log = path.join(dir, 'missing.jsonl');
    const ran = await shim(['--log', log, '--', path.join(dir, 'no-such-hook'), 'arg'], hookInput('toolu_01Missing', 'git status'));
    expect(ran.code).toBe(0);
    expect(ran.stdout.length).toBe(0);
    expect(ran.stderr.toString()).toMatch(/^writegate hook-shim: cannot start .*no-such-hook \(ENOENT\); the call proceeds unchanged\n$/);
    expect(records(log).map((r) => [r.tool_use_id, r.rewritten])).toEqual([['toolu_01Missing', null]]);
  });

  it('when the hook is killed by a signal: its output is dropped, the rewrite it printed not logged', async () => {
    const log = path.join(dir, 'killed.jsonl');
    const ran = await shim(['--log', log, '--', ...killedHook], hookInput('toolu_01Killed', 'git status'));
    expect(ran.code).toBe(0);
    expect(ran.stdout.length).toBe(0);
    expect(ran.stderr.toString()).toMatch(/^writegate hook-shim: hook .* was killed by SIGKILL; the call proceeds unchanged\n$/);
    expect(records(log).map((r) => [r.tool_use_id, r.rewritten])).toEqual([['toolu_01Killed', null]]);
  });

  it('when it is misconfigured: exit 0 and a usage line, never exit 2', async () => {
    for (const args of [['--', ...bytesHook], ['--log', path.join(dir, 'x.jsonl')], ['--log'], ['--lgo', 'x', '--', ...bytesHook]]) {
      const ran = await shim(args, hookInput('toolu_01Usage', 'ls'));
      expect(ran.code, args.join(' ')).toBe(0);
      expect(ran.stdout.length).toBe(0);
      expect(ran.stderr.toString()).toMatch(/^writegate hook-shim: .*usage: writegate hook-shim --log FILE -- HOOK \[ARG\.\.\.\]\); the call proceeds unchanged\n$/);
    }
  });

  it('a log that cannot be written changes nothing the agent sees', async () => {
    const log = path.join(dir, 'no-such-dir', 'audit.jsonl');
    const input = hookInput('toolu_01NoLog', 'git stash');
    const blocked = await shim(['--log', log, '--', ...bytesHook, '', Buffer.from('no stashing').toString('hex'), '2'], input);
    // On a block the agent's model reads stderr: exactly the hook's, nothing added.
    expect(blocked.code).toBe(2);
    expect(blocked.stdout.toString()).toBe(input);
    expect(blocked.stderr.toString()).toBe('no stashing');
    // Otherwise stderr goes to the user only: the hook's bytes, then the shim's one line.
    const allowed = await shim(['--log', log, '--', ...rewriteHook], hookInput('toolu_01NoLog2', 'git status'));
    expect(allowed.code).toBe(0);
    expect(JSON.parse(allowed.stdout.toString()).hookSpecificOutput.updatedInput.command).toBe('mytool git status');
    expect(allowed.stderr.toString()).toMatch(/^writegate hook-shim: cannot append to .*audit\.jsonl \(ENOENT\); the call was not logged\n$/);
  });
});

describe('hook-shim under concurrency', () => {
  it('20 shims appending to one log at the same moment leave 20 whole lines', async () => {
    const log = path.join(dir, 'concurrent.jsonl');
    const barrier = fs.mkdtempSync(path.join(dir, 'barrier-'));
    // Long commands (about 48 KiB a line), so a line written in pieces would show.
    const runs = Array.from({ length: 20 }, (_, i) => {
      const command = `git log --grep ${String(i).padStart(2, '0')}${'x'.repeat(24 * 1024)}`;
      return shim(['--log', log, '--', ...rewriteHook, barrier, '20'], hookInput(`toolu_01Concurrent${i}`, command)).then((ran) => ({ ran, command }));
    });
    const done = await Promise.all(runs);
    for (const { ran } of done) expect(ran.code).toBe(0);
    expect(fs.readdirSync(barrier)).toHaveLength(20);
    const lines = logLines(log);
    expect(lines).toHaveLength(20);
    const byId = new Map(records(log).map((record) => [record.tool_use_id, record]));
    expect(byId.size).toBe(20);
    done.forEach(({ command }, i) => {
      expect(byId.get(`toolu_01Concurrent${i}`)).toMatchObject({ command, rewritten: `mytool ${command}`, class: classOf(command) });
    });
  });
});

describe('runShim in process', () => {
  it('reads a stream given as stdin and writes to the streams given', async () => {
    const log = path.join(dir, 'in-process.jsonl');
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const out: Buffer[] = [];
    stdout.on('data', (chunk: Buffer) => out.push(chunk));
    const code = await runShim(rewriteHook, { log, stdin: Readable.from([Buffer.from(hookInput('toolu_01InProcess', 'git diff'))]), stdout, stderr });
    expect(code).toBe(0);
    expect(JSON.parse(Buffer.concat(out).toString()).hookSpecificOutput.updatedInput.command).toBe('mytool git diff');
    expect(records(log).map((r) => r.rewritten)).toEqual(['mytool git diff']);
  });

  it('an empty hook argv fails open', async () => {
    const stderr = new PassThrough();
    const err: Buffer[] = [];
    stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const code = await runShim([], { log: path.join(dir, 'empty-argv.jsonl'), stdin: Readable.from([Buffer.from('{}')]), stdout: new PassThrough(), stderr });
    expect(code).toBe(0);
    expect(Buffer.concat(err).toString()).toBe('writegate hook-shim: no hook command given; the call proceeds unchanged\n');
  });
});
