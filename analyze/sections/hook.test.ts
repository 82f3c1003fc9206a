import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rowsToCsv } from '../../core/csv.js';
import { encodeDetail, makeRow, METRICS, type ResultRow, type RowInput } from '../../core/schema.js';
import { analyze, type AnalyzeOutcome } from '../analyze.js';
import { rewriteReadiness } from '../readiness.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-hook-analyze-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const RUN = 'run-1';

interface PolicySpec {
  mutating?: [number, number];
  args?: [number, number];
  invalid?: [number, number];
  deterministic?: [number, number];
  p95?: number;
  /** The floor's p50 and p95 beside the latency (none: results written before the floor). */
  floor?: [number, number];
  prefixes?: Record<string, number>;
  offenders?: { metric: string; scenario: string; command: string; answer: string; why?: string }[];
}

/** Rows as the hook suite writes them for one hook in one env set. */
function policy(hook: string, set: string, spec: PolicySpec = {}): RowInput[] {
  const base = { suite: 'hook' as const, scenario: 'policy', subject: hook, mode: set };
  const rate = (metric: string, [k, n]: [number, number], what: string): RowInput => ({
    ...base,
    metric,
    value: n ? k / n : null,
    unit: 'fraction',
    detail: n ? `${k}/${n} ${what}` : `no ${what} ran`,
  });
  const rows: RowInput[] = [
    { ...base, metric: METRICS.hookCommand, detail: `node ${hook}.mjs` },
    {
      ...base,
      metric: METRICS.hookEnvVars,
      value: set === 'default' ? 0 : 1,
      unit: 'count',
      detail: set === 'default' ? '' : 'REWRITE_MUTATING=1',
    },
    { ...base, metric: METRICS.hookCases, value: 10, unit: 'count' },
    rate(METRICS.mutatingRewriteRate, spec.mutating ?? [0, 4], 'mutating cases'),
    rate(METRICS.readOnlyRewriteRate, [3, 5], 'read-only cases'),
    rate(METRICS.argsPreservedRate, spec.args ?? [3, 3], 'rewrites that put a wrapper in front'),
    rate(METRICS.invalidOutputRate, spec.invalid ?? [0, 10], 'cases'),
    rate(METRICS.blockedRate, [0, 10], 'cases'),
    rate(METRICS.deterministicRate, spec.deterministic ?? [10, 10], 'cases'),
    { ...base, metric: METRICS.hookLatencyP50, value: 30, unit: 'ms' },
    { ...base, metric: METRICS.hookLatencyP95, value: spec.p95 ?? 40, unit: 'ms' },
  ];
  if (spec.floor) {
    rows.push(
      { ...base, metric: METRICS.hookFloorRuntime, detail: 'node' },
      { ...base, metric: METRICS.hookFloorCommand, detail: "/usr/bin/node --input-type=module -e 'x'" },
      { ...base, metric: METRICS.hookFloorSamples, value: 20, unit: 'count' },
      { ...base, metric: METRICS.hookFloorP50, value: spec.floor[0], unit: 'ms' },
      { ...base, metric: METRICS.hookFloorP95, value: spec.floor[1], unit: 'ms' },
    );
  }
  for (const [prefix, cases] of Object.entries(spec.prefixes ?? { 'mytool git': 3 }))
    rows.push({ ...base, metric: METRICS.rewritePrefix, value: cases, unit: 'count', detail: prefix });
  for (const offender of spec.offenders ?? []) {
    rows.push({
      ...base,
      scenario: offender.scenario,
      metric: offender.metric,
      value: 1,
      unit: 'bool',
      detail: JSON.stringify({
        command: offender.command,
        class: 'mutating',
        answers: [offender.answer],
        ...(offender.why ? { why: offender.why } : {}),
      }),
    });
  }
  return rows;
}

function audit(rewritten: [number, number, number], native: [number, number, number]): RowInput[] {
  const base = { suite: 'hook' as const, scenario: 'audit', subject: 'sessions' };
  const count = (metric: string, value: number): RowInput => ({ ...base, metric, value, unit: 'count' });
  return [
    count(METRICS.auditBashCalls, rewritten[0] + native[0]),
    count(METRICS.auditJoinedCalls, rewritten[0] + native[0]),
    count(METRICS.rewrittenCalls, rewritten[0]),
    count(METRICS.rewrittenRetries, rewritten[1]),
    count(METRICS.rewrittenFailures, rewritten[2]),
    count(METRICS.nativeCalls, native[0]),
    count(METRICS.nativeRetries, native[1]),
    count(METRICS.nativeFailures, native[2]),
    {
      ...count(METRICS.auditFile, 120),
      mode: 'transcript',
      detail: JSON.stringify({ path: '/s/one.jsonl', kind: 'transcript', malformed: 2 }),
    },
    {
      ...base,
      mode: 'read_only',
      metric: METRICS.auditFinding,
      value: 1,
      unit: 'bool',
      detail: JSON.stringify({
        command: 'git log',
        rewritten: 'mytool git log',
        class: 'read_only',
        retried: true,
        failed: false,
      }),
    },
  ];
}

/** Parity rows for a wrapper that matches git on two cases (plus the passthrough control). */
function parity(wrappers: Record<string, { template: string; fails?: boolean }>): RowInput[] {
  const rows: RowInput[] = [
    {
      suite: 'parity',
      scenario: '(matrix)',
      subject: 'native',
      metric: METRICS.casesInMatrix,
      value: 2,
      unit: 'count',
    },
    {
      suite: 'parity',
      scenario: '(matrix)',
      subject: 'native',
      metric: METRICS.casesRun,
      value: 2,
      unit: 'count',
      detail: 'profile full',
    },
    {
      suite: 'parity',
      scenario: '(matrix)',
      subject: 'passthrough',
      metric: METRICS.wrapperTemplate,
      detail: 'passthrough git',
    },
  ];
  for (const [name, { template }] of Object.entries(wrappers))
    rows.push({
      suite: 'parity',
      scenario: '(matrix)',
      subject: name,
      metric: METRICS.wrapperTemplate,
      detail: template,
    });
  for (const [id, mode] of [
    ['push.ok', 'mutating'],
    ['commit.nothing', 'mutating'],
  ] as const) {
    const base = { suite: 'parity' as const, scenario: id, mode };
    rows.push({ ...base, subject: 'native', metric: METRICS.nativeAsExpected, value: 1, unit: 'bool' });
    for (const [name, spec] of [['passthrough', {}], ...Object.entries(wrappers)] as const) {
      const bad = (spec as { fails?: boolean }).fails === true && id === 'commit.nothing';
      rows.push(
        {
          ...base,
          subject: name,
          metric: METRICS.exitCodeMatch,
          value: bad ? 0 : 1,
          unit: 'bool',
          detail: bad ? 'native exit 1, wrapper exit 0' : '',
        },
        { ...base, subject: name, metric: METRICS.sideEffectMatch, value: 1, unit: 'bool' },
        { ...base, subject: name, metric: METRICS.stderrSignalMatch, value: 1, unit: 'bool' },
      );
    }
  }
  return rows;
}

async function analyzeRows(
  inputs: readonly RowInput[],
  thresholds?: object,
): Promise<AnalyzeOutcome & { report: string }> {
  const csv = path.join(dir, 'results_raw.csv');
  const rows: ResultRow[] = inputs.map((input) => makeRow(RUN, input));
  fs.writeFileSync(csv, rowsToCsv(rows));
  const thresholdsFile = thresholds ? path.join(dir, 'thresholds.json') : undefined;
  if (thresholdsFile) fs.writeFileSync(thresholdsFile, JSON.stringify(thresholds));
  const outcome = await analyze({ inputs: [csv], outDir: dir, githubStepSummary: null, thresholdsFile });
  return { ...outcome, report: fs.readFileSync(outcome.reportPath, 'utf8') };
}

const status = (outcome: AnalyzeOutcome, id: string, subject?: string, mode?: string) =>
  outcome.gates
    .filter(
      (gate) =>
        gate.id === id &&
        (subject === undefined || gate.subject === subject) &&
        (mode === undefined || gate.mode === mode),
    )
    .map((gate) => gate.status);

describe('hook section', () => {
  it(
    'gates the default environment for mutating rewrite and every env set ' +
      'for the rest; the audit gates are left out when no audit ran',
    async () => {
      const outcome = await analyzeRows([
        ...policy('ref', 'default'),
        ...policy('ref', 'optin', {
          mutating: [2, 4],
          offenders: [
            {
              metric: METRICS.mutatingRewrite,
              scenario: 'git.push',
              command: 'git push',
              answer: 'rewritten to mytool git push',
              why: 'a mutating command was rewritten',
            },
          ],
        }),
      ]);
      expect(outcome.verdict).toBe('pass');
      expect(status(outcome, 'hook.mutating_rewrite')).toEqual(['pass']);
      expect(status(outcome, 'hook.args_preserved')).toEqual(['pass', 'pass']);
      expect(outcome.gates.filter((gate) => gate.id.startsWith('hook.post_rewrite'))).toEqual([]);
      expect(outcome.report).toContain('## Hook — what a PreToolUse hook rewrites');
      expect(outcome.report).toContain(
        '- **`ref` · `optin` · mutating command rewritten** (1) — opt-in env set: reported, not gated',
      );
      expect(outcome.report).toContain(
        '  - `git.push` (mutating): `git push` → `mytool git push` — `a mutating command was rewritten`',
      );
      expect(outcome.report).toContain("not given to parity: `writegate parity --wrapper 'mytool=mytool git'`");
    },
  );

  it('every offender of a failing gate is listed; a multi-line command stays on one line', async () => {
    const outcome = await analyzeRows(
      policy('bad', 'default', {
        mutating: [1, 4],
        args: [2, 3],
        offenders: [
          {
            metric: METRICS.mutatingRewrite,
            scenario: 'heredoc.commit',
            command: "git commit -F - <<'EOF'\nmsg\nEOF",
            answer: "rewritten to mytool git commit -F - <<'EOF'\nmsg\nEOF",
          },
          {
            metric: METRICS.argsLost,
            scenario: 'git.log-count',
            command: 'git log -3',
            answer: 'rewritten to mytool git log',
            why: 'lost: -3',
          },
        ],
      }),
    );
    expect(outcome.verdict).toBe('fail');
    expect(status(outcome, 'hook.mutating_rewrite')).toEqual(['fail']);
    expect(status(outcome, 'hook.args_preserved')).toEqual(['fail']);
    expect(outcome.report).toContain(
      "  - `heredoc.commit` (mutating): `git commit -F - <<'EOF' ⏎ msg ⏎ EOF` " +
        "→ `mytool git commit -F - <<'EOF' ⏎ msg ⏎ EOF`",
    );
    expect(outcome.report).toContain('  - `git.log-count` (mutating): `git log -3` → `mytool git log` — `lost: -3`');
  });

  it('the latency budget comes from the thresholds file when it sets one', async () => {
    expect(status(await analyzeRows(policy('ref', 'default', { p95: 150 })), 'hook.latency_p95')).toEqual(['fail']);
    expect(
      status(
        await analyzeRows(policy('ref', 'default', { p95: 150 }), {
          gates: { 'hook.latency_p95': { threshold: 200 } },
        }),
        'hook.latency_p95',
      ),
    ).toEqual(['pass']);
  });

  it(
    'RESULTS.md shows the latency net of the floor with the floor beside it; ' +
      'a slow floor reads too noisy to judge, and the verdict is not failed by it',
    async () => {
      const outcome = await analyzeRows([
        ...policy('ref', 'default', { p95: 52, floor: [44, 48] }),
        ...policy('ref', 'optin', { p95: 160, floor: [95, 130] }),
      ]);
      expect(status(outcome, 'hook.latency_p95')).toEqual(['pass', 'not_judged']);
      expect(outcome.verdict).toBe('pass');
      expect(outcome.report).toContain('| `ref` | default (gated) |');
      expect(outcome.report).toContain('| 4.00 ms (floor 48.0 ms) |');
      expect(outcome.report).toContain('### Latency, net of the floor');
      expect(outcome.report).toContain(
        '| `ref` | default | 30.0 ms / 52.0 ms | node: 44.0 ms / 48.0 ms | 4.00 ms | pass |',
      );
      expect(outcome.report).toContain(
        '| `ref` | `optin` | 30.0 ms / 160 ms | node: 95.0 ms / 130 ms | 30.0 ms | too noisy to judge |',
      );
      expect(outcome.report).toMatch(
        /not judged: `ref` \(`too noisy to judge: a no-op of node took 130 ms p95 beside the hook/,
      );
      const summary = outcome.sections.hook as { hooks: Record<string, Record<string, { latency: unknown }>> };
      expect(summary.hooks.ref?.default?.latency).toEqual({
        p95: 52,
        net_p95: 4,
        floor_p95: 48,
        floor_runtime: 'node',
      });
    },
  );

  it(
    'audit: too few calls to ever be significant reads no data; significantly ' +
      'more retries after a rewrite fails; a difference within chance passes',
    async () => {
      const small = await analyzeRows(audit([3, 1, 0], [3, 0, 0]));
      expect(status(small, 'hook.post_rewrite_retry')).toEqual(['no_data']);
      expect(small.gates.find((gate) => gate.id === 'hook.post_rewrite_retry')?.detail).toMatch(
        /not enough data: .*no outcome could be significant at 0\.05/,
      );
      expect(
        small.gates.filter((gate) => gate.id.startsWith('hook.') && !gate.id.startsWith('hook.post_rewrite')),
      ).toEqual([]);
      expect(small.report).toContain('| `/s/one.jsonl` | `transcript` | 120 | 2 ⚠ |');
      expect(small.report).toContain('- `git log` → `mytool git log` (read_only): retried');

      const worse = await analyzeRows(audit([40, 20, 3], [60, 3, 5]));
      expect(status(worse, 'hook.post_rewrite_retry')).toEqual(['fail']);
      expect(status(worse, 'hook.post_rewrite_failure')).toEqual(['pass']);
      expect(worse.verdict).toBe('fail');

      const even = await analyzeRows(audit([40, 4, 0], [60, 5, 0]));
      expect(status(even, 'hook.post_rewrite_retry')).toEqual(['pass']);
    },
  );
});

describe('rewrite readiness (hook and parity joined from the CSV)', () => {
  it('GO when the default environment holds and every prefix was given to parity and passed it', async () => {
    const outcome = await analyzeRows([
      ...policy('ref', 'default'),
      ...policy('ref', 'optin', { mutating: [2, 4] }),
      ...parity({ mytool: { template: '/opt/bin/mytool git' } }),
    ]);
    const readiness = rewriteReadiness(outcome);
    expect(readiness.reasons).toEqual([]);
    expect(readiness.line).toBe(
      'GO: safe to enable mutating rewrite for ref: the default-environment ' +
        'policy gates hold, and every wrapper it rewrites to passed parity ("mytool ' +
        'git" as mytool)',
    );
  });

  it('GO still says when the latency budget could not be judged here (a slow floor), instead of staying silent', async () => {
    const readiness = rewriteReadiness(
      await analyzeRows([
        ...policy('ref', 'default', { p95: 160, floor: [95, 130] }),
        ...parity({ mytool: { template: '/opt/bin/mytool git' } }),
      ]),
    );
    expect(readiness.go).toBe(true);
    expect(readiness.line).toMatch(
      /; note: latency not judged on this machine, measure it again on a quieter one: ref .*\(too noisy to judge: a no-op of node took 130 ms p95/,
    );
  });

  it('with a crash checker for the wrapped commands, GO also needs the wrapper as crash-safe as native', async () => {
    const crashParity = (wrapper: string, value: number): RowInput => ({
      suite: 'crash',
      scenario: 'power_loss',
      subject: `git-commit@${wrapper}`,
      mode: 'durable',
      size_bytes: 0,
      engine: 'posix',
      metric: METRICS.wrapperCrashParity,
      value,
      unit: 'bool',
      detail: encodeDetail(METRICS.wrapperCrashParity, {
        wrapper,
        native: 'git-commit',
        nativeViolating: { k: 0, n: 10 },
        wrappedViolating: { k: value * 5, n: 10 },
        why: value ? 'the wrapper loses crash safety' : 'the same',
      }),
    });
    const base = [...policy('ref', 'default'), ...parity({ mytool: { template: '/opt/bin/mytool git' } })];
    expect(rewriteReadiness(await analyzeRows([...base, crashParity('mytool', 0)])).go).toBe(true);
    const lossy = rewriteReadiness(await analyzeRows([...base, crashParity('mytool', 1)]));
    expect(lossy.go).toBe(false);
    expect(lossy.reasons).toEqual([expect.stringMatching(/^crash: git-commit@mytool: wrapper loses crash safety: 1/)]);
    // Crash ran but gave this wrapper no verdict: not vouched for.
    const unjudged = rewriteReadiness(await analyzeRows([...base, crashParity('other', 0)]));
    expect(unjudged.reasons).toEqual([
      'crash: mytool has no crash-safety parity verdict (the wrapped commands were not judged)',
    ]);
  });

  it('NO-GO names a prefix parity never saw, with the flag to add', async () => {
    const readiness = rewriteReadiness(
      await analyzeRows([...policy('ref', 'default'), ...parity({ other: { template: 'other git' } })]),
    );
    expect(readiness.go).toBe(false);
    expect(readiness.reasons).toEqual([
      `wrapper prefix "mytool git" (ref · default) was not given to parity: add --wrapper 'mytool=mytool git'`,
    ]);
  });

  it(
    'NO-GO when the hook rewrites a mutating command by default, or the wrapper ' +
      'fails parity, or there is no parity at all',
    async () => {
      const failing = rewriteReadiness(
        await analyzeRows([
          ...policy('mut', 'default', {
            mutating: [1, 4],
            offenders: [
              {
                metric: METRICS.mutatingRewrite,
                scenario: 'git.push',
                command: 'git push',
                answer: 'rewritten to mytool git push',
              },
            ],
          }),
          ...parity({ mytool: { template: 'mytool git', fails: true } }),
        ]),
      );
      expect(failing.go).toBe(false);
      expect(failing.reasons[0]).toBe('mut: mutating commands rewritten by default 25.00%, needs = 0% (git.push)');
      expect(failing.reasons[1]).toMatch(
        /^parity: mytool: exit code match rate 50\.00%, needs = 100% \(1 unlisted mismatch: commit\.nothing\)$/,
      );
      const alone = rewriteReadiness(await analyzeRows(policy('ref', 'default')));
      expect(alone.line).toMatch(/^NO-GO: .*was not given to parity.*; parity: no parity results in the input$/);
    },
  );

  it('NO-GO when the hook saw only part of the corpus', async () => {
    const partial = [
      ...policy('ref', 'default'),
      {
        suite: 'hook' as const,
        scenario: 'policy',
        subject: 'ref',
        mode: 'default',
        metric: METRICS.hookCorpusCases,
        value: 20,
        unit: 'count',
      },
    ];
    const readiness = rewriteReadiness(
      await analyzeRows([...partial, ...parity({ mytool: { template: 'mytool git' } })]),
    );
    expect(readiness.reasons).toEqual(['ref: only 10 of 20 command lines ran; readiness needs the whole corpus']);
  });

  it('NO-GO when there are no hook results', async () => {
    expect(rewriteReadiness(await analyzeRows(parity({ mytool: { template: 'mytool git' } }))).line).toBe(
      'NO-GO: not safe to enable mutating rewrite: no hook policy results in the input (give --hook NAME=COMMAND)',
    );
  });

  it('NO-GO, not a guess, when the hook summary is not the shape readiness reads', async () => {
    const outcome = await analyzeRows([...policy('ref', 'default'), ...parity({ mytool: { template: 'mytool git' } })]);
    expect(rewriteReadiness(outcome).go).toBe(true);
    const broken = {
      ...outcome,
      sections: { ...outcome.sections, hook: { ...outcome.sections.hook, prefixes: 'mytool git' } },
    };
    expect(rewriteReadiness(broken).line).toBe(
      'NO-GO: not safe to enable mutating rewrite: the hook summary could not be read, so nothing is vouched for',
    );
  });
});
