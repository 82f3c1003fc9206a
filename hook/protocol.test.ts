import { describe, expect, it } from 'vitest';
import { answerText, preToolUseInput, readHookAnswer, sameAnswer, type HookExit } from './protocol.js';

const ok = (stdout: string, extra: Partial<HookExit> = {}): HookExit => ({
  exitCode: 0,
  signal: undefined,
  stdout,
  stderr: '',
  timedOut: false,
  spawnError: undefined,
  ...extra,
});
const read = (exit: HookExit) => readHookAnswer(exit, 'git status', 10_000);
const rewrite = (command: unknown, more: Record<string, unknown> = {}) =>
  JSON.stringify({ hookSpecificOutput: { hookEventName: 'PreToolUse', updatedInput: { command }, ...more } });

describe('the PreToolUse call', () => {
  it('is what Claude Code sends a Bash hook', () => {
    expect(
      preToolUseInput('git status', {
        sessionId: 's',
        transcriptPath: '/t.jsonl',
        cwd: '/p',
        toolUseId: 'toolu_1',
        description: 'd',
      }),
    ).toEqual({
      session_id: 's',
      transcript_path: '/t.jsonl',
      cwd: '/p',
      permission_mode: 'default',
      hook_event_name: 'PreToolUse',
      tool_name: 'Bash',
      tool_input: { command: 'git status', description: 'd' },
      tool_use_id: 'toolu_1',
    });
  });
});

describe('reading the answer', () => {
  it('a rewrite is updatedInput.command; the same command, no updatedInput, {} or nothing is unchanged', () => {
    expect(read(ok(rewrite('mytool git status')))).toEqual({ kind: 'rewritten', command: 'mytool git status' });
    expect(read(ok(rewrite('git status')))).toEqual({ kind: 'unchanged' });
    expect(
      read(ok(JSON.stringify({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'allow' } }))),
    ).toEqual({ kind: 'unchanged' });
    expect(read(ok('{}\n'))).toEqual({ kind: 'unchanged' });
    expect(read(ok('  \n'))).toEqual({ kind: 'unchanged' });
    // Fields the answer does not depend on are the hook's business.
    expect(read(ok(JSON.stringify({ systemMessage: 'hi', suppressOutput: true })))).toEqual({ kind: 'unchanged' });
  });

  it('exit 2 blocks with stderr as the reason; so does a deny', () => {
    expect(read(ok('', { exitCode: 2, stderr: 'no pushes\n' }))).toEqual({ kind: 'blocked', reason: 'no pushes' });
    expect(read(ok(rewrite('x', { permissionDecision: 'deny', permissionDecisionReason: 'nope' })))).toEqual({
      kind: 'blocked',
      reason: 'nope',
    });
    expect(read(ok(JSON.stringify({ decision: 'block', reason: 'old style' })))).toEqual({
      kind: 'blocked',
      reason: 'old style',
    });
  });

  it('anything Claude Code could not use is invalid, with why', () => {
    expect(
      read(
        ok('', {
          exitCode: 1,
          stderr: 'file:///h.mjs:3\n  throw\nError: cannot tokenize x\n    at file:///h.mjs:3:9\n',
        }),
      ),
    ).toEqual({ kind: 'invalid', why: 'exit 1: Error: cannot tokenize x' });
    expect(read(ok('', { exitCode: undefined, signal: 'SIGSEGV' }))).toEqual({
      kind: 'invalid',
      why: 'ended by SIGSEGV',
    });
    expect(read(ok('', { exitCode: undefined, signal: 'SIGKILL', timedOut: true }))).toEqual({
      kind: 'invalid',
      why: 'no answer within 10000 ms (killed)',
    });
    expect(read(ok('', { exitCode: undefined, spawnError: 'spawn ENOENT' }))).toEqual({
      kind: 'invalid',
      why: 'could not start: spawn ENOENT',
    });
    expect(read(ok('mytool git status'))).toEqual({ kind: 'invalid', why: 'stdout is not JSON: mytool git status' });
    expect(read(ok('[1]'))).toMatchObject({ kind: 'invalid', why: expect.stringMatching(/^wrong shape: stdout: /) });
    expect(read(ok(rewrite(42)))).toMatchObject({
      kind: 'invalid',
      why: expect.stringMatching(/^wrong shape: hookSpecificOutput\.updatedInput\.command: /),
    });
    expect(read(ok(JSON.stringify({ hookSpecificOutput: { hookEventName: 'PostToolUse' } })))).toMatchObject({
      kind: 'invalid',
      why: expect.stringMatching(/^wrong shape: hookSpecificOutput\.hookEventName/),
    });
  });

  it('two answers are the same when the agent would get the same; any two invalid answers are the same', () => {
    expect(sameAnswer({ kind: 'rewritten', command: 'a' }, { kind: 'rewritten', command: 'a' })).toBe(true);
    expect(sameAnswer({ kind: 'rewritten', command: 'a' }, { kind: 'rewritten', command: 'a ' })).toBe(false);
    expect(sameAnswer({ kind: 'rewritten', command: 'a' }, { kind: 'unchanged' })).toBe(false);
    expect(
      sameAnswer({ kind: 'invalid', why: 'exit 1' }, { kind: 'invalid', why: 'no answer within 1 ms (killed)' }),
    ).toBe(true);
    expect(sameAnswer({ kind: 'blocked', reason: 'a' }, { kind: 'blocked', reason: 'b' })).toBe(false);
    expect(answerText({ kind: 'blocked', reason: 'a' })).toBe('blocked: a');
  });
});
