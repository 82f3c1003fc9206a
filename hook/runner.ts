import fs from 'node:fs';
import path from 'node:path';
import { mapPool } from '../core/pool.js';
import { InputError } from '../core/errors.js';
import { runProcess } from '../core/process.js';
import type { SuiteContext } from '../core/suite.js';
import { Workspace } from '../core/workspace.js';
import { auditFiles } from './audit/index.js';
import type { HookCase } from './cases.js';
import { judgeCase, policyFigures, type CaseVerdict } from './checks.js';
import type { EnvSet, HookCall, HookPlan, HookUnderTest } from './types.js';
import { callConcurrency, hookWork } from './work.js';
import { preToolUseInput, readHookAnswer, type HookAnswer } from './protocol.js';
import { floorFigures } from './floor.js';
import { auditRows, floorRows, policyRows } from './rows.js';

export { DEFAULT_CALL_TIMEOUT_MS } from './protocol.js';

/** One call's answer and how long the hook took (process start to exit, as Claude Code waits for it). */
export interface CallOutcome {
  call: HookCall;
  answer: HookAnswer;
  durationMs: number;
  /** Killed at the per-call timeout (its answer is then invalid). */
  timedOut: boolean;
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
  const sandbox = {
    home: path.join(root, 'home'),
    project: path.join(root, 'project'),
    tmp: path.join(root, 'tmp'),
    transcript: path.join(root, 'transcript.jsonl'),
  };
  for (const dir of [sandbox.home, sandbox.project, sandbox.tmp]) fs.mkdirSync(dir, { recursive: true });
  for (const xdg of ['.config', '.cache', '.local/share', '.local/state'])
    fs.mkdirSync(path.join(sandbox.home, xdg), { recursive: true });
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

/** The call a probe sends: the most ordinary command an agent runs. */
const PROBE_CASE: HookCase = { id: 'probe.git-status', command: 'git status', class: 'read_only', tags: ['git'] };

/**
 * One call per hook before anything is measured: a hook that does not answer `git status` within the
 * per-call timeout is misconfigured (waiting for input, the wrong program), not a finding, and sending
 * it the whole corpus would take hours of timeouts. Any answer, even a crash, passes: the run judges it.
 */
export async function probeHooks(hooks: readonly HookUnderTest[], timeoutMs: number): Promise<void> {
  for (const hook of hooks) {
    // A workspace, not a bare temp directory: an interrupt during the probe removes it too (core/lifecycle.ts).
    const workspace = Workspace.create('writegate-hook-probe-');
    try {
      const outcome = await callHook(
        hook,
        { hook, envSet: { name: 'default', vars: {} }, hookCase: PROBE_CASE, run: 0 },
        createHookSandbox(workspace.dir('probe')),
        timeoutMs,
      );
      if (outcome.timedOut) {
        throw new InputError(
          `hook ${hook.name}: no answer to a PreToolUse call for \`git status\` ` +
            `within ${timeoutMs / 1000} s (${hook.template}); a hook reads one JSON ` +
            `object from stdin, answers and exits — is it waiting for something else? ` +
            `(--hook-timeout sets the limit)`,
        );
      }
    } finally {
      await workspace.dispose();
    }
  }
}

/** Sends one case to the hook the way Claude Code would, and reads its answer. */
export async function callHook(
  hook: HookUnderTest,
  call: HookCall,
  sandbox: HookSandbox,
  timeoutMs: number,
): Promise<CallOutcome> {
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
  return {
    call,
    answer: readHookAnswer(result, call.hookCase.command, timeoutMs),
    durationMs: result.durationMs,
    timedOut: result.timedOut,
  };
}

/** The hook suite's run of its plan: the audit files, then every planned call; rows to ctx.sink. */
export async function runHook(ctx: SuiteContext, plan: HookPlan): Promise<void> {
  const { settings, hooks, cases } = plan;
  if (settings.auditFiles.length) {
    ctx.progress.note(`hook: auditing ${settings.auditFiles.length} file(s)`);
    ctx.sink.addAll(auditRows(await auditFiles(settings.auditFiles)));
  }
  if (hooks.length === 0 || !plan.calls) return;
  const { sets, again, calls, timed, floors } = plan.calls;
  const sandboxes = new Map<string, HookSandbox>();
  for (const hook of hooks)
    for (const set of sets)
      sandboxes.set(key(hook, set.name), createHookSandbox(ctx.workspace.dir('hook', hook.name, set.name)));
  const limit = callConcurrency();
  ctx.progress.note(
    `hook: ${cases.length} command(s), ${again.length} of them sent again, ` +
      `× ${hooks.map((hook) => hook.name).join(', ')} × env set(s) ${sets.map((set) => set.name).join(', ')}: ` +
      `${calls.length} calls, ${limit} at a time, then ${timed.length} timed one at a time (each hook's interleaved ` +
      `with a no-op of its runtime)`,
  );
  for (const [hook, choice] of floors)
    if ('why' in choice) ctx.progress.note(`hook ${hook.name}: no floor beside its latency: ${choice.why}`);
  ctx.progress.start('hook', calls.length + timed.length, hookWork({ calls, timed }));
  const call = async (one: HookCall): Promise<CallOutcome> => {
    const program = one.floor ? { ...one.hook, argv: one.floor.argv } : one.hook;
    const outcome = await callHook(
      program,
      one,
      sandboxes.get(key(one.hook, one.envSet.name)) as HookSandbox,
      settings.timeoutMs,
    );
    ctx.progress.tick();
    return outcome;
  };
  const outcomes = await mapPool(calls, limit, call);
  const timings = await mapPool(timed, 1, call);
  for (const hook of hooks) {
    for (const set of sets) {
      const mine = (list: readonly CallOutcome[]) =>
        list.filter((outcome) => outcome.call.hook === hook && outcome.call.envSet.name === set.name);
      const verdicts = judgeAll(cases, mine(outcomes));
      const durations = mine(timings)
        .filter((outcome) => !outcome.call.floor)
        .map((outcome) => outcome.durationMs);
      const floor = floorFigures(
        floors.get(hook) ?? { why: 'no floor was planned' },
        mine(timings).filter((outcome) => outcome.call.floor),
      );
      ctx.sink.addAll([
        ...policyRows(hook, set, policyFigures(verdicts, mine(outcomes).length, durations), verdicts, cases.length),
        ...floorRows(hook, set, floor),
      ]);
    }
  }
}

function key(hook: HookUnderTest, set: string): string {
  return `${hook.name}\u0000${set}`;
}

function judgeAll(cases: readonly HookCase[], outcomes: readonly CallOutcome[]): CaseVerdict[] {
  const byCase = new Map<string, CallOutcome[]>();
  for (const outcome of outcomes)
    byCase.set(outcome.call.hookCase.id, [...(byCase.get(outcome.call.hookCase.id) ?? []), outcome]);
  return cases.map((hookCase) =>
    judgeCase(
      hookCase,
      (byCase.get(hookCase.id) ?? []).sort((a, b) => a.call.run - b.call.run).map((outcome) => outcome.answer),
    ),
  );
}
