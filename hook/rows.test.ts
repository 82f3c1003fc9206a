import { describe, expect, it } from 'vitest';
import { decodeDetail, METRICS, type RowInput } from '../core/schema.js';
import type { AuditResult } from './audit/index.js';
import type { HookCase } from './cases.js';
import { judgeCase, policyFigures } from './checks.js';
import { auditRows, floorRows, policyRows } from './rows.js';

/** A rate row's counts, read as analyze reads them. */
const counts = (row: RowInput | undefined) => decodeDetail(METRICS.mutatingRewriteRate, row?.detail ?? '');

const hook = { name: 'ref', template: 'node ref.mjs', argv: ['/usr/bin/node', 'ref.mjs'] };
const push: HookCase = { id: 'git.push', command: 'git push origin "main"', class: 'mutating', tags: ['git'] };
const log: HookCase = { id: 'git.log', command: 'git log -3', class: 'read_only', tags: ['git'] };

describe('policyRows', () => {
  const verdicts = [
    judgeCase(push, [
      { kind: 'rewritten', command: 'mytool git push origin "main"' },
      { kind: 'rewritten', command: 'mytool git push origin "main"' },
    ]),
    judgeCase(log, [{ kind: 'rewritten', command: 'mytool git log' }, { kind: 'unchanged' }]),
  ];
  const rows = policyRows(
    hook,
    { name: 'optin', vars: { REWRITE_MUTATING: '1' } },
    policyFigures(verdicts, 4, [5, 6]),
    verdicts,
    2,
  );

  it('one summary row per figure, keyed hook × env set, with k of n in the detail', () => {
    const policy = rows.filter((row) => row.scenario === 'policy');
    expect(policy.every((row) => row.suite === 'hook' && row.subject === 'ref' && row.mode === 'optin')).toBe(true);
    const get = (metric: string) => policy.find((row) => row.metric === metric);
    expect(get(METRICS.mutatingRewriteRate)).toMatchObject({ value: 1, unit: 'fraction' });
    expect(counts(get(METRICS.mutatingRewriteRate))).toEqual({ k: 1, n: 1, of: 'mutating cases' });
    expect(get(METRICS.unknownRewriteRate)?.value).toBeNull();
    expect(counts(get(METRICS.unknownRewriteRate))).toEqual({ k: 0, n: 0, of: 'unclassified cases' });
    expect(get(METRICS.argsPreservedRate)?.value).toBe(0.5);
    expect(counts(get(METRICS.argsPreservedRate))).toEqual({ k: 1, n: 2, of: 'rewrites that put a wrapper in front' });
    expect(get(METRICS.deterministicRate)).toMatchObject({ value: 0.5 });
    expect(get(METRICS.hookEnvVars)).toMatchObject({ value: 1, detail: 'REWRITE_MUTATING=1' });
    expect(get(METRICS.hookCommand)?.detail).toBe('node ref.mjs');
    expect(get(METRICS.hookLatencyP95)).toMatchObject({ value: 5.95, unit: 'ms', detail: '2 calls, one at a time' });
    expect(get(METRICS.rewritePrefix)).toMatchObject({ value: 2, detail: 'mytool git' });
  });

  it('one row per case and fault, the command and every distinct answer as JSON', () => {
    const offenders = rows
      .filter((row) => row.scenario !== 'policy')
      .map((row) => [row.scenario, row.metric, JSON.parse(row.detail ?? '')]);
    expect(offenders).toEqual([
      [
        'git.push',
        METRICS.mutatingRewrite,
        {
          command: 'git push origin "main"',
          class: 'mutating',
          answers: ['rewritten to mytool git push origin "main"'],
          why: 'a mutating command was rewritten',
        },
      ],
      [
        'git.log',
        METRICS.argsLost,
        {
          command: 'git log -3',
          class: 'read_only',
          answers: ['rewritten to mytool git log', 'unchanged'],
          why: 'lost: -3',
        },
      ],
      [
        'git.log',
        METRICS.nondeterministic,
        {
          command: 'git log -3',
          class: 'read_only',
          answers: ['rewritten to mytool git log', 'unchanged'],
          why: 'the same call got different answers',
        },
      ],
    ]);
  });
});

describe('a line sent once', () => {
  const once = [
    judgeCase(log, [{ kind: 'unchanged' }]),
    judgeCase(push, [{ kind: 'unchanged' }, { kind: 'unchanged' }]),
  ];
  const rows = policyRows(hook, { name: 'default', vars: {} }, policyFigures(once, 3, [5]), once, 2);

  it('is judged for its policy but not for determinism: no offender row, and the rate counts only lines sent again', () => {
    expect(rows.filter((row) => row.metric === METRICS.nondeterministic)).toEqual([]);
    expect(rows.find((row) => row.metric === METRICS.deterministicRate)?.value).toBe(1);
    expect(counts(rows.find((row) => row.metric === METRICS.deterministicRate))).toEqual({
      k: 1,
      n: 1,
      of: 'cases sent more than once',
    });
  });
});

describe('floorRows', () => {
  const set = { name: 'default', vars: {} };
  const get = (rows: ReturnType<typeof floorRows>, metric: string) => rows.find((row) => row.metric === metric);

  it('the floor beside the latency: runtime, command, calls, p50 and p95, keyed as the hook rows are', () => {
    const rows = floorRows(hook, set, {
      runtime: 'node',
      command: '/usr/bin/node -e x',
      latency: { p50: 40.1234, p95: 48.5, n: 20 },
    });
    expect(
      rows.every(
        (row) => row.suite === 'hook' && row.scenario === 'policy' && row.subject === 'ref' && row.mode === 'default',
      ),
    ).toBe(true);
    expect(get(rows, METRICS.hookFloorRuntime)?.detail).toBe('node');
    expect(get(rows, METRICS.hookFloorCommand)?.detail).toBe('/usr/bin/node -e x');
    expect(get(rows, METRICS.hookFloorSamples)).toMatchObject({ value: 20, unit: 'count' });
    expect(get(rows, METRICS.hookFloorP50)).toMatchObject({ value: 40.123, unit: 'ms' });
    expect(get(rows, METRICS.hookFloorP95)).toMatchObject({
      value: 48.5,
      unit: 'ms',
      detail: '20 calls of a no-op node, each beside a call of the hook',
    });
  });

  it('no floor: empty p50 and p95 that say why', () => {
    const rows = floorRows(hook, set, { why: 'its program, rtk, is not an interpreter writegate knows' });
    expect(get(rows, METRICS.hookFloorP95)).toMatchObject({
      detail: 'no floor: its program, rtk, is not an interpreter writegate knows',
    });
    expect(get(rows, METRICS.hookFloorP95)?.value ?? null).toBeNull();
    expect(get(rows, METRICS.hookFloorSamples)?.value).toBe(0);
  });
});

describe('auditRows', () => {
  const result: AuditResult = {
    files: [{ path: '/s/a.jsonl', kind: 'transcript', lines: 40, malformed: 1 }],
    bashCalls: 30,
    joined: 28,
    rewritten: { calls: 10, retries: 3, failures: 1 },
    native: { calls: 18, retries: 1, failures: 0 },
    byClass: {
      read_only: { calls: 20, rewritten: 9 },
      mutating: { calls: 6, rewritten: 1 },
      unknown: { calls: 2, rewritten: 0 },
    },
    findings: [
      {
        sessionId: 's',
        toolUseId: 't',
        command: 'git push',
        rewritten: 'mytool git push',
        class: 'mutating',
        retried: true,
        failed: false,
      },
    ],
  };
  const rows = auditRows(result);
  const get = (metric: string, mode = '') => rows.find((row) => row.metric === metric && (row.mode ?? '') === mode);

  it('the counts the exact test needs, their rates and the mutating rewrite rate', () => {
    expect(rows.every((row) => row.suite === 'hook' && row.scenario === 'audit' && row.subject === 'sessions')).toBe(
      true,
    );
    expect(
      [
        METRICS.rewrittenCalls,
        METRICS.rewrittenRetries,
        METRICS.rewrittenFailures,
        METRICS.nativeCalls,
        METRICS.nativeRetries,
        METRICS.nativeFailures,
      ].map((metric) => get(metric)?.value),
    ).toEqual([10, 3, 1, 18, 1, 0]);
    expect(get(METRICS.postRewriteRetryRate)?.value).toBe(0.3);
    expect(counts(get(METRICS.postRewriteRetryRate))).toEqual({ k: 3, n: 10, of: 'rewritten calls' });
    expect(get(METRICS.nativeFailureRate)?.value).toBe(0);
    expect(counts(get(METRICS.nativeFailureRate))).toEqual({ k: 0, n: 18, of: 'calls left as they were' });
    expect(get(METRICS.mutatingRewriteRate)?.value).toBe(1 / 6);
    expect(counts(get(METRICS.mutatingRewriteRate))).toEqual({ k: 1, n: 6, of: 'mutating calls' });
    expect(get(METRICS.auditClassCalls, 'read_only')?.value).toBe(20);
  });

  it('a row per file and per finding', () => {
    expect(get(METRICS.auditFile, 'transcript')).toMatchObject({
      value: 40,
      detail: JSON.stringify({ path: '/s/a.jsonl', kind: 'transcript', malformed: 1 }),
    });
    expect(JSON.parse(get(METRICS.auditFinding, 'mutating')?.detail ?? '')).toEqual(result.findings[0]);
  });
});
