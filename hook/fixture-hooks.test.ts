/**
 * The fixture hooks, run for real (one Node process per call) and judged by analyze: the reference
 * passes every gate, and each known-bad hook fails exactly the gate that names its fault and passes
 * every other. The latency budget is raised to 1 s here (a thresholds file, as a user would) so a
 * loaded test machine cannot fail the reference; the slow hook sleeps 1.5 s, past it. Latency is
 * judged net of a no-op node timed beside each hook; when that floor shows the test machine too
 * loaded, the latency gate reads too noisy (not judged) — never a pass, and not these hooks' fault.
 * The 150 ms hooks are judged against the default 100 ms budget.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { analyze, type GateResult } from '../analyze/index.js';
import type { WritegateConfig } from '../core/config.js';
import { decodeDetail, METRICS, type ResultRow } from '../core/schema.js';
import { commitResults } from '../core/sink.js';
import { FIXTURE_HOOKS, hookContext, nodeHook } from '../test/fixtures/hooks/hook-context.js';
import type { HookCase } from './cases.js';
import type { HookSettings } from './plan.js';
import { runHook } from './runner.js';
import { planHooks } from './plan.js';

/** A corpus of its own, so these outcomes do not move when the real corpus grows. */
const CASES: readonly HookCase[] = [
  { id: 'git.status', command: 'git status', class: 'read_only', tags: ['git'] },
  { id: 'git.log-count', command: 'git log -3 --oneline', class: 'read_only', tags: ['git'] },
  { id: 'env.log', command: 'GIT_PAGER=cat git log -2 main', class: 'read_only', tags: ['git', 'env-prefix'] },
  {
    id: 'git.diff-quoted',
    command: 'git diff --stat -- "docs/my notes.md"',
    class: 'read_only',
    tags: ['git', 'path-with-spaces'],
  },
  { id: 'git.branch-list', command: 'git branch -a', class: 'read_only', tags: ['git'] },
  { id: 'chain.status-diff', command: 'git status && git diff --stat', class: 'read_only', tags: ['git', 'chain'] },
  { id: 'file.head', command: 'head -5 README.md', class: 'read_only', tags: ['file-op'] },
  { id: 'git.commit', command: 'git commit -m "fix: keep it"', class: 'mutating', tags: ['git', 'quoted-message'] },
  { id: 'git.push', command: 'git push origin main', class: 'mutating', tags: ['git'] },
  { id: 'git.add', command: 'git add -A', class: 'mutating', tags: ['git'] },
  { id: 'file.rm', command: 'rm -rf build', class: 'mutating', tags: ['file-op'] },
  { id: 'unknown.tool', command: 'frobnicate --all', class: 'unknown', tags: ['unknown-tool'] },
];

const SETTINGS: HookSettings = { auditFiles: [], timeoutMs: 10_000, latencySamples: 3, everyCase: true };
const POLICY_GATES = [
  'hook.mutating_rewrite',
  'hook.args_preserved',
  'hook.invalid_output',
  'hook.deterministic',
  'hook.latency_p95',
];

let dir = '';
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-hook-fixtures-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function run(
  config: WritegateConfig,
  cases: readonly HookCase[] = CASES,
  settings: Partial<HookSettings> = {},
): Promise<readonly ResultRow[]> {
  const ctx = hookContext(config);
  try {
    await runHook(ctx, planHooks(ctx, { ...SETTINGS, ...settings }, cases));
  } finally {
    await ctx.workspace.dispose();
  }
  return ctx.sink.rows;
}

async function gatesOf(rows: readonly ResultRow[]): Promise<GateResult[]> {
  commitResults(dir, ['hook'], rows, {});
  const thresholds = path.join(dir, 'thresholds.json');
  fs.writeFileSync(thresholds, JSON.stringify({ gates: { 'hook.latency_p95': { threshold: 1000 } } }));
  const outcome = await analyze({
    inputs: [path.join(dir, 'results_raw.csv')],
    outDir: dir,
    thresholdsFile: thresholds,
    githubStepSummary: null,
    suites: ['hook'],
  });
  return outcome.gates;
}

function statuses(gates: readonly GateResult[], subject: string): Record<string, string[]> {
  const by: Record<string, string[]> = {};
  for (const gate of gates.filter((g) => g.subject === subject))
    (by[gate.id] ??= []).push(`${gate.mode}:${gate.status}`);
  return by;
}

/** A latency too noisy to judge on a loaded test machine is neither a pass nor the hook's fault. */
const tooNoisy = (gate: GateResult) =>
  gate.id === 'hook.latency_p95' && gate.status === 'not_judged' && /^too noisy to judge: /.test(gate.notJudged ?? '');

/**
 * The latency gate on a hook against the default budget, run again after a pause (load comes and
 * goes) while its floor says the machine is too loaded to judge, up to `attempts` runs.
 */
async function latencyVerdicts(template: string, attempts: number): Promise<GateResult[]> {
  const few = CASES.filter((c) => ['git.status', 'git.push'].includes(c.id));
  const verdicts: GateResult[] = [];
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 2000));
    const rows = await run({ hooks: { slow: template } }, few, { latencySamples: 8, everyCase: false });
    commitResults(dir, ['hook'], rows, {});
    const outcome = await analyze({
      inputs: [path.join(dir, 'results_raw.csv')],
      outDir: dir,
      githubStepSummary: null,
      suites: ['hook'],
    });
    const latency = outcome.gates.find((gate) => gate.id === 'hook.latency_p95');
    if (!latency) throw new Error('no hook.latency_p95 instance');
    verdicts.push(latency);
    if (!tooNoisy(latency)) break;
  }
  return verdicts;
}

function failing(gates: readonly GateResult[], subject: string): string[] {
  return [
    ...new Set(
      gates
        .filter((gate) => gate.subject === subject && gate.status !== 'pass' && !tooNoisy(gate))
        .map((gate) => `${gate.id} ${gate.status}`),
    ),
  ];
}

describe('fixture hooks against the gates', () => {
  it('the reference passes every gate in the default and the opt-in environment; ' +
    'opt-in mutating rewrites are reported, not gated', async () => {
    const rows = await run({
      hooks: { ref: nodeHook(FIXTURE_HOOKS.reference) },
      hookEnvs: { optin: { REWRITE_MUTATING: '1' } },
    });
    const gates = await gatesOf(rows);
    expect(failing(gates, 'ref')).toEqual([]);
    const { 'hook.latency_p95': latency, ...policy } = statuses(gates, 'ref');
    expect(policy).toEqual({
      'hook.mutating_rewrite': ['default:pass'],
      'hook.args_preserved': ['default:pass', 'optin:pass'],
      'hook.invalid_output': ['default:pass', 'optin:pass'],
      'hook.deterministic': ['default:pass', 'optin:pass'],
    });
    expect(latency?.map((status) => status.replace(/:not_judged$/, ':pass'))).toEqual(['default:pass', 'optin:pass']);
    // The floor beside the latency: a no-op of the same node, as many calls as the hook's.
    expect(rows.find((row) => row.mode === 'default' && row.metric === METRICS.hookFloorRuntime)?.detail).toBe('node');
    expect(rows.find((row) => row.mode === 'default' && row.metric === METRICS.hookFloorSamples)?.value).toBe(
      SETTINGS.latencySamples,
    );
    expect(rows.find((row) => row.mode === 'default' && row.metric === METRICS.hookFloorP95)?.value).toBeGreaterThan(0);
    const value = (mode: string, metric: string) =>
      rows.find((row) => row.mode === mode && row.scenario === 'policy' && row.metric === metric);
    expect(value('default', METRICS.readOnlyRewriteRate)?.value).toBe(5 / 7);
    expect(
      decodeDetail(METRICS.readOnlyRewriteRate, value('default', METRICS.readOnlyRewriteRate)?.detail ?? ''),
    ).toEqual({ k: 5, n: 7, of: 'read-only cases' });
    expect(value('optin', METRICS.mutatingRewriteRate)?.value).toBe(3 / 4);
    expect(
      decodeDetail(METRICS.mutatingRewriteRate, value('optin', METRICS.mutatingRewriteRate)?.detail ?? ''),
    ).toEqual({ k: 3, n: 4, of: 'mutating cases' });
    expect(value('optin', METRICS.hookEnvVars)?.detail).toBe('REWRITE_MUTATING=1');
    expect(
      rows.filter((row) => row.metric === METRICS.rewritePrefix).map((row) => [row.mode, row.detail, row.value]),
    ).toEqual([
      ['default', 'mytool git', 5],
      ['optin', 'mytool git', 8],
    ]);
    // Under the opt-in, each mutating command rewritten is listed (for the report), not failed.
    expect(
      rows.filter((row) => row.metric === METRICS.mutatingRewrite).map((row) => `${row.mode} ${row.scenario}`),
    ).toEqual(['optin git.commit', 'optin git.push', 'optin git.add']);
  }, 120_000);

  it('each known-bad hook fails exactly the gate that names its fault and passes the others', async () => {
    const rows = await run({
      hooks: {
        'rewrites-mutating': nodeHook(FIXTURE_HOOKS.rewritesMutating),
        'drops-argument': nodeHook(FIXTURE_HOOKS.dropsArgument),
        nondeterministic: nodeHook(FIXTURE_HOOKS.nondeterministic),
        'crashes-on-quotes': nodeHook(FIXTURE_HOOKS.crashesOnQuotes),
      },
    });
    const gates = await gatesOf(rows);
    expect(failing(gates, 'rewrites-mutating')).toEqual(['hook.mutating_rewrite fail']);
    expect(failing(gates, 'drops-argument')).toEqual(['hook.args_preserved fail']);
    expect(failing(gates, 'nondeterministic')).toEqual(['hook.deterministic fail']);
    expect(failing(gates, 'crashes-on-quotes')).toEqual(['hook.invalid_output fail']);
    for (const subject of ['rewrites-mutating', 'drops-argument', 'nondeterministic', 'crashes-on-quotes']) {
      expect(Object.keys(statuses(gates, subject)).sort()).toEqual([...POLICY_GATES].sort());
    }

    // Every offender is a row naming the case and what the hook answered.
    const offenders = (subject: string, metric: string) =>
      rows
        .filter((row) => row.subject === subject && row.metric === metric)
        .map((row) => [row.scenario, JSON.parse(row.detail)]);
    expect(offenders('rewrites-mutating', METRICS.mutatingRewrite).map(([scenario]) => scenario)).toEqual([
      'git.commit',
      'git.push',
    ]);
    expect(offenders('drops-argument', METRICS.argsLost)).toEqual([
      [
        'git.log-count',
        {
          command: 'git log -3 --oneline',
          class: 'read_only',
          answers: ['rewritten to mytool git log --oneline'],
          why: 'lost: -3',
        },
      ],
      [
        'env.log',
        {
          command: 'GIT_PAGER=cat git log -2 main',
          class: 'read_only',
          answers: ['rewritten to GIT_PAGER=cat mytool git log main'],
          why: 'lost: -2',
        },
      ],
    ]);
    const crashes = offenders('crashes-on-quotes', METRICS.invalidOutput);
    expect(crashes.map(([scenario]) => scenario)).toEqual(['git.diff-quoted', 'git.commit']);
    expect((crashes[1]?.[1] as { answers: string[] }).answers).toEqual([
      'invalid: exit 1: Error: cannot tokenize git commit -m "fix: keep it"',
    ]);
    const unstable = offenders('nondeterministic', METRICS.nondeterministic);
    expect(unstable.map(([scenario]) => scenario)).toEqual([
      'git.status',
      'git.log-count',
      'env.log',
      'git.diff-quoted',
      'git.branch-list',
    ]);
    expect((unstable[0]?.[1] as { answers: string[] }).answers).toHaveLength(2);
    // The stamp is the hook's own variable, not part of the wrapper.
    expect(
      rows
        .filter((row) => row.subject === 'nondeterministic' && row.metric === METRICS.rewritePrefix)
        .map((row) => row.detail),
    ).toEqual(['mytool git']);
  }, 120_000);

  it('the slow hook fails only the latency budget', async () => {
    const few = CASES.filter((c) => ['git.status', 'git.push', 'file.head'].includes(c.id));
    const rows = await run({ hooks: { slow: nodeHook(FIXTURE_HOOKS.slow, '1500') } }, few);
    const gates = await gatesOf(rows);
    expect(failing(gates, 'slow')).toEqual(['hook.latency_p95 fail']);
    expect(Object.keys(statuses(gates, 'slow')).sort()).toEqual([...POLICY_GATES].sort());
    expect(rows.find((row) => row.metric === METRICS.hookLatencyP95)?.value).toBeGreaterThanOrEqual(1500);
    // Judged net of a no-op of the same node, timed beside it.
    expect(gates.find((gate) => gate.id === 'hook.latency_p95')?.detail).toMatch(
      /, needs ≤ 1000 ms \(net of the floor: the hook \d+ ms p95 − a no-op of node [\d.]+ ms p95, timed in the same pass\)$/,
    );
  }, 120_000);

  it('a 150 ms hook fails the default 100 ms budget net of a no-op of its own shell, and is never a pass', async () => {
    const verdicts = await latencyVerdicts(FIXTURE_HOOKS.slowShell, 5);
    expect(verdicts.map((gate) => gate.status)).not.toContain('pass');
    const judged = verdicts.at(-1);
    if (judged?.status !== 'fail')
      expect.fail(
        `the machine was too loaded to judge the 150 ms hook in ${verdicts.length} tries: ${verdicts.map((gate) => gate.detail).join(' | ')}`,
      );
    expect(judged.figure).toBeGreaterThan(100);
    expect(judged.detail).toMatch(
      /needs ≤ 100 ms \(net of the floor: the hook \d+ ms p95 − a no-op of shell [\d.]+ ms p95, timed in the same pass\)$/,
    );
  }, 120_000);

  it('the 150 ms Node hook is never a pass against the default budget, and ' +
    'fails whenever its floor lets it be judged', async () => {
    // Node's own start on a machine this test suite keeps busy is often above ¾ of 100 ms: the gate then
    // declines to judge, which is the floor doing its job. On a quiet machine it fails (hook/README.md).
    const verdicts = await latencyVerdicts(nodeHook(FIXTURE_HOOKS.slow), 3);
    for (const gate of verdicts) {
      expect(gate.status).not.toBe('pass');
      if (tooNoisy(gate)) continue;
      expect(gate.status).toBe('fail');
      expect(gate.figure).toBeGreaterThan(100);
      expect(gate.detail).toMatch(
        /\(net of the floor: the hook \d+ ms p95 − a no-op of node [\d.]+ ms p95, timed in the same pass\)$/,
      );
    }
  }, 120_000);

  it('a hook that never answers is killed at the per-call timeout: invalid answers, and the run ends', async () => {
    const ctx = hookContext({ hooks: { hangs: nodeHook(FIXTURE_HOOKS.hangs) } });
    try {
      await runHook(
        ctx,
        planHooks(ctx, { auditFiles: [], timeoutMs: 300, latencySamples: 1, everyCase: true }, CASES.slice(0, 2)),
      );
    } finally {
      await ctx.workspace.dispose();
    }
    const rows = ctx.sink.rows;
    expect(rows.find((row) => row.metric === METRICS.invalidOutputRate)?.value).toBe(1);
    expect(
      decodeDetail(
        METRICS.invalidOutputRate,
        rows.find((row) => row.metric === METRICS.invalidOutputRate)?.detail ?? '',
      ),
    ).toEqual({ k: 2, n: 2, of: 'cases' });
    expect(
      decodeDetail(METRICS.invalidOutput, rows.find((row) => row.metric === METRICS.invalidOutput)?.detail ?? '')
        ?.answers,
    ).toEqual(['invalid: no answer within 300 ms (killed)']);
    // Two timeouts in a row are the same answer: a hang is not also a determinism fault.
    expect(rows.find((row) => row.metric === METRICS.deterministicRate)?.value).toBe(1);
  }, 60_000);
});
