import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  accountingSkippedRow,
  contentRow,
  disagreementRow,
  netLatencyRow,
  overheadRows,
  writeErrorRow,
} from '../bench/rows.js';
import { readResultsCsv } from '../core/csv.js';
import {
  decodeDetail,
  DETAILS,
  detailSpec,
  encodeDetail,
  ENV_KEYS,
  METRICS,
  rowContractProblem,
  type MetricName,
  type ResultRow,
} from '../core/schema.js';
import { batchErrorRow, batchSkippedRow, countRows, totalRows } from '../bench/batch-rows.js';
import { RowSink } from '../core/sink.js';
import type { Exploration } from '../crash/powerloss/explore.js';
import { powerLossRows } from '../crash/powerloss/rows.js';
import { wrapperParityRows } from '../crash/command/parity.js';
import type { CommandExploration } from '../crash/command/explore.js';
import { imageRows, lockRevRows, notJudgedRow, overlapNotForcedRow } from '../crash/rows.js';
import type { HookCase } from '../hook/cases.js';
import { judgeCase, policyFigures } from '../hook/checks.js';
import { auditRows, floorRows, policyRows } from '../hook/rows.js';
import { CASES } from '../parity/cases.js';
import { makeNormaliser } from '../parity/normalise.js';
import { caseRows, coverageRows, wrapperRows } from '../parity/rows.js';
import type { SideResult } from '../parity/runner.js';

/**
 * The CSV contract end to end: every row a suite writes passes its metric's schema (core/schema/details.ts)
 * and its detail round-trips through decodeDetail and encodeDetail.
 *
 * quick-gate.csv holds up to three rows per suite × metric × unit (× scenario outside bench) of
 * `npx tsx cli/bin.ts gate --profile quick --seed 1`; quick-gate-1.0.0.csv the same from writegate
 * 1.0.0, whose details must stay readable. Metrics the quick gate does not write (hook, crash images,
 * a per-op writer's spawn cost) come from the suites' row builders below.
 */
const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'contract');

/** Metrics analyze computes from other rows and reports; no suite writes them. */
const COMPUTED_BY_ANALYZE: readonly string[] = [
  METRICS.exitCodeMatchRate,
  METRICS.sideEffectMatchRate,
  METRICS.stderrKeySignalMatchRate,
  METRICS.postRewriteRetryPValue,
  METRICS.postRewriteFailurePValue,
];

/** Rows from each suite's row builders, over small made-up outcomes, added through a sink (which checks each). */
function builderRows(): readonly ResultRow[] {
  const sink = new RowSink('run-contract');
  const key = { subject: 'mycmd', mode: 'durable' as const, size_bytes: 1024 };
  const overhead = { ms: 1, samplesMs: [0.9, 1, 1.1], method: 'noop template, median of 3', estimated: false };
  sink.addAll(overheadRows('mycmd', overhead));
  sink.addAll(overheadRows('guessed', { ms: 30, samplesMs: [], method: 'python3 --version startup', estimated: true }));
  sink.add(netLatencyRow(key, 'tinybench', [10, 11, 12, 10.5, 11.5, 10.2, 11.8, 10.9, 11.1, 10.7], overhead));
  sink.add(disagreementRow(key, 1.02, ['tinybench', 'mitata']));
  sink.add(contentRow(key, 'tinybench', { checkedWrites: 3, writes: 10 }));
  sink.add(writeErrorRow(key, 'tinybench', 'EACCES: permission denied'));
  sink.add(accountingSkippedRow('no usable strace'));
  const shape = { files: 100, dirs: 10, fileBytes: 1024, repetitions: 2 };
  for (const arm of ['batch', 'per_file'] as const) {
    sink.addAll(totalRows('reference', shape, arm, [12.5, 13.1], 'wall time of all 100 files'));
    sink.addAll(countRows('reference', shape, arm, { fsyncCount: 110, dirFsyncCount: 10, renameCount: 100 }, 'strace'));
  }
  sink.add(batchErrorRow('mycmd', shape, 'the batch call failed: exit 1'));
  sink.add(batchSkippedRow('mine', 'the driver has no batch form'));

  const observation = {
    point: 'before_rename',
    after: 'after the fsync of the file',
    held: 'old' as const,
    allowed: ['old' as const],
    unsound: false,
    leftovers: ['.t.tmp'],
  };
  sink.addAll(
    imageRows({
      subject: 'mine',
      size: 4096,
      model: 'ext4-ordered',
      fs: 'ext4',
      observations: [
        observation,
        { ...observation, point: 'exit', after: '', held: 'new', allowed: ['new'], leftovers: [], checker: true },
      ],
      absent: [{ step: 'before_dir_fsync', reason: 'it never fsyncs the directory' }],
      missed: [{ step: 'exit', reason: 'the writer exited 1' }],
    }),
  );
  sink.add(notJudgedRow('kill_at_step', 'uring', 4096, 'io_uring: the trace does not show its writes'));
  sink.add(overlapNotForcedRow('mine', 4096, 2, 5, 'no strace'));
  sink.addAll(lockRevRows('mine', 4096, { finalRev: 38, expected: 40, workers: 4, each: 10, msPerWrite: 8.1 }));
  const exploration = {
    model: 'posix',
    states: 4,
    exhaustive: true,
    spaceSize: 4,
    atomicity: { states: 4, violations: 1 },
    durability: { states: 1, violations: 1 },
    violations: [
      { check: 'atomicity', explanation: 'crash after write(target.dat): torn; the rest lost' },
      { check: 'durability', explanation: 'after success the target is old' },
    ],
  } as unknown as Exploration;
  sink.addAll(
    powerLossRows({
      subject: 'mine',
      size: 4096,
      seed: 1,
      exploration,
      exploreMs: 3,
      checker: { states: 4, violations: 1, distinct: 2, first: 'bad tree' },
      unknownBytes: 0,
      opCount: 6,
    }),
  );
  const commandExploration = (violating: number): CommandExploration => ({
    model: 'posix',
    spaceSize: 40,
    sampled: 40,
    exhaustive: true,
    distinctTrees: 10,
    checkedTrees: 10,
    atomicity: { states: 40, violations: violating },
    durability: { states: 2, violations: 0 },
    checker: { states: 40, violations: 0 },
    violating: { states: 40, violations: violating },
    budgetSpent: false,
    violations: [],
    elapsedMs: 5,
    signature: `ops ${violating}`,
    checkedInOrder: [],
  });
  sink.addAll(
    wrapperParityRows(
      { wrapper: 'w', native: 'commit' },
      'commit@w',
      0,
      [commandExploration(0)],
      [commandExploration(3)],
      ['posix'],
    ),
  );

  const side = (fields: Partial<SideResult>): SideResult => ({
    argv: ['git'],
    exitCode: 0,
    stdout: '',
    stderr: '',
    durationMs: 5,
    snapshot: { worktrees: {}, refs: {}, stash: [], config: [], remotes: {}, files: {}, errors: [] },
    ...fields,
  });
  const parityCase = CASES[0];
  if (!parityCase) throw new Error('parity has no cases');
  sink.addAll(
    caseRows({
      parityCase,
      native: side({ exitCode: 1 }),
      nativeSignals: ['fatal: x; y | z'],
      expectationProblems: ['exit 1, expected 0'],
      comparisons: [
        {
          wrapper: { name: 'slow', template: 'slow git', argv: ['/bin/slow', 'git'], builtIn: false },
          side: side({ exitCode: null, abnormal: 'killed after the 60 s timeout' }),
          exitCodeMatch: false,
          differences: [{ key: 'file a; b.txt', native: 'x', wrapper: undefined }],
          missingSignals: ['fatal: x; y | z'],
        },
      ],
      normalise: makeNormaliser({ fixtureRoot: '/ws/parity/fx', sandboxRoot: '/ws/parity' }),
    }),
  );
  sink.addAll(coverageRows(3, 'quick', undefined));
  sink.addAll(wrapperRows([{ name: 'slow', template: 'slow git', argv: ['/bin/slow', 'git'], builtIn: false }]));

  const hook = { name: 'ref', template: 'node ref.mjs', argv: ['/usr/bin/node', 'ref.mjs'] };
  const push: HookCase = {
    id: 'git.push',
    command: 'git push origin "main"; echo | x',
    class: 'mutating',
    tags: ['git'],
  };
  const log: HookCase = { id: 'git.log', command: 'git log -3', class: 'read_only', tags: ['git'] };
  const status: HookCase = { id: 'git.status', command: 'git status', class: 'read_only', tags: ['git'] };
  const verdicts = [
    judgeCase(push, [
      { kind: 'rewritten', command: 'mytool git push origin "main"; echo | x' },
      { kind: 'rewritten', command: 'mytool git push' },
    ]),
    judgeCase(log, [{ kind: 'rewritten', command: 'other log -3' }, { kind: 'invalid', reason: 'not JSON' } as never]),
    judgeCase(status, [{ kind: 'blocked', reason: 'no' } as never]),
  ];
  sink.addAll(policyRows(hook, { name: 'default', vars: {} }, policyFigures(verdicts, 4, [5, 6]), verdicts, 3));
  sink.addAll(
    floorRows(
      hook,
      { name: 'default', vars: {} },
      { runtime: 'node', command: '/usr/bin/node -e x', latency: { p50: 40, p95: 48, n: 20 } },
    ),
  );
  sink.addAll(
    floorRows(hook, { name: 'optin', vars: { A: '1' } }, { why: 'its program is not an interpreter writegate knows' }),
  );
  sink.addAll(
    auditRows({
      files: [{ path: '/s/a.jsonl', kind: 'transcript', lines: 40, malformed: 1 }],
      bashCalls: 30,
      joined: 28,
      rewritten: { calls: 10, retries: 3, failures: 1 },
      native: { calls: 0, retries: 0, failures: 0 },
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
    }),
  );
  return sink.rows;
}

function roundTrip(row: ResultRow): string {
  const spec = detailSpec(row.metric);
  if (!spec || spec.kind === 'text' || row.detail === '') return row.detail;
  const decoded = decodeDetail(row.metric as MetricName, row.detail);
  if (decoded === undefined) return `(unreadable) ${row.detail}`;
  return encodeDetail(row.metric as MetricName, decoded as never);
}

describe('the CSV contract over what the suites write', () => {
  const gate = readResultsCsv(path.join(FIXTURES, 'quick-gate.csv'));
  const built = builderRows();

  it('every row of a quick gate is inside the contract and its detail round-trips', () => {
    expect(gate.length).toBeGreaterThan(100);
    expect(gate.flatMap((row) => rowContractProblem(row) ?? [])).toEqual([]);
    expect(gate.filter((row) => roundTrip(row) !== row.detail).map((row) => `${row.metric}: ${row.detail}`)).toEqual(
      [],
    );
  });

  it("every row the suites' row builders make round-trips", () => {
    expect(built.filter((row) => roundTrip(row) !== row.detail).map((row) => `${row.metric}: ${row.detail}`)).toEqual(
      [],
    );
  });

  it('between them they cover every metric a suite writes', () => {
    const covered = new Set([...gate, ...built].map((row) => row.metric));
    const uncovered = Object.keys(DETAILS).filter(
      (metric) =>
        !covered.has(metric) &&
        !COMPUTED_BY_ANALYZE.includes(metric) &&
        !(ENV_KEYS as readonly string[]).includes(metric),
    );
    expect(uncovered).toEqual([]);
  });

  it("a 1.0.0 quick gate's structured details all stay readable", () => {
    const old = readResultsCsv(path.join(FIXTURES, 'quick-gate-1.0.0.csv'));
    const structured = old.filter((row) => detailSpec(row.metric)?.kind === 'json' && row.detail !== '');
    expect(structured.length).toBeGreaterThan(50);
    expect(
      structured
        .filter((row) => decodeDetail(row.metric as MetricName, row.detail) === undefined)
        .map((row) => `${row.metric}: ${row.detail}`),
    ).toEqual([]);
  });
});
