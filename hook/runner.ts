import fs from 'node:fs';
import path from 'node:path';
import { runProcess } from '../core/process.js';
import type { EnvSet, HookCall, HookUnderTest } from './plan.js';
import { preToolUseInput, readHookAnswer, type HookAnswer } from './protocol.js';

/** A hook that has not answered after this long is killed and its answer is invalid; the run goes on. */
export const DEFAULT_CALL_TIMEOUT_MS = 10_000;

/** One call's answer and how long the hook took (process start to exit, as Claude Code waits for it). */
export interface CallOutcome {
  call: HookCall;
  answer: HookAnswer;
  durationMs: number;
}

/**
 * Where one hook runs in one env set: a HOME, a project directory (the hook's cwd, named in the
 * call) and an empty transcript, all inside the run's workspace. The calls of one hook × env set
 * share it, as the calls of one session would.
 */
export interface HookSandbox {
  home: string;
  project: string;
  tmp: string;
  transcript: string;
}

export function createHookSandbox(root: string): HookSandbox {
  const sandbox = { home: path.join(root, 'home'), project: path.join(root, 'project'), tmp: path.join(root, 'tmp'), transcript: path.join(root, 'transcript.jsonl') };
  for (const dir of [sandbox.home, sandbox.project, sandbox.tmp]) fs.mkdirSync(dir, { recursive: true });
  for (const xdg of ['.config', '.cache', '.local/share', '.local/state']) fs.mkdirSync(path.join(sandbox.home, xdg), { recursive: true });
  fs.writeFileSync(sandbox.transcript, '');
  return sandbox;
}

/**
 * The hook's whole environment: it replaces the parent's (a user's HOME, config or opt-in variable
 * cannot leak in), keeps PATH so the hook finds its own tools, and adds the env set's variables.
 * CLAUDE_PROJECT_DIR is set as Claude Code sets it for hooks.
 */
export function hookEnvironment(sandbox: HookSandbox, envSet: EnvSet): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: sandbox.home,
    XDG_CONFIG_HOME: path.join(sandbox.home, '.config'),
    XDG_CACHE_HOME: path.join(sandbox.home, '.cache'),
    XDG_DATA_HOME: path.join(sandbox.home, '.local/share'),
    XDG_STATE_HOME: path.join(sandbox.home, '.local/state'),
    TMPDIR: sandbox.tmp,
    CLAUDE_PROJECT_DIR: sandbox.project,
    ...envSet.vars,
  };
}

/** The session every call claims to come from: fixed, so the same case is the same input every time. */
export const POLICY_SESSION_ID = 'writegate-hook-policy-run';

/** Sends one case to the hook the way Claude Code would, and reads its answer. */
export async function callHook(hook: HookUnderTest, call: HookCall, sandbox: HookSandbox, timeoutMs: number): Promise<CallOutcome> {
  const input = preToolUseInput(call.hookCase.command, {
    sessionId: POLICY_SESSION_ID,
    transcriptPath: sandbox.transcript,
    cwd: sandbox.project,
    toolUseId: `toolu_writegate_${call.hookCase.id}`,
    description: `writegate policy case ${call.hookCase.id}`,
  });
  const result = await runProcess(hook.argv, {
    cwd: sandbox.project,
    env: hookEnvironment(sandbox, call.envSet),
    isolatedEnv: true,
    input: `${JSON.stringify(input)}\n`,
    timeoutMs,
  });
  return { call, answer: readHookAnswer(result, call.hookCase.command, timeoutMs), durationMs: result.durationMs };
}
