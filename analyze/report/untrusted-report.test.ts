/**
 * A whole RESULTS.md from hostile input: every name, command, stderr line, reason, file name and
 * environment value in the CSVs and the user's files carries markup (an <img> with onerror, an
 * @mention, a link, backticks, pipes, blank lines). Parsed by a real GFM parser, the report must hold
 * no tag writegate did not write, no link, and no @ outside a <code> element, and every table row must
 * keep its cells.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import MarkdownIt from 'markdown-it';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rowsToCsv } from '../../core/csv.js';
import { makeRow, METRICS, type ResultRow, type RowInput } from '../../core/schema.js';
import { runIdOfDay, syntheticRun } from '../../test/fixtures/trend/synthetic.js';
import { analyze } from '../analyze.js';
import { appendToHistory } from '../history/store.js';
import { DEFAULT_POLICIES } from '../regression/policy.js';
import { baseOutcomesOf, markAgainstBase } from '../comparison/base-failures.js';
import { evaluateGate, REQUIRED_JUDGMENT, type EffectiveGate } from '../gates/evaluate.js';
import { benchSection } from '../sections/bench.js';
import type { Figure, GateResult } from '../types.js';
import { detailMarkdown, gateTable, reasonMarkdown } from './gate-table.js';
import { phraseText } from '../phrase.js';

const md = new MarkdownIt('default', { html: true, linkify: true });

/** A value that would be live Markdown and HTML anywhere outside code; `tag` says which field it is. */
function hostile(tag: string): string {
  return (
    `${tag}\`\` <img src=x onerror=alert(1)> @octocat | a\\|b [l](https://evil.example) ` +
    `*e* _u_ www.evil.example <script>x</script>\n\n# h\r\n- li \\`
  );
}

/** Tags writegate itself writes (through markdown-it's rendering of its Markdown). */
const OWN_TAGS = new Set([
  'h1',
  'h2',
  'h3',
  'p',
  'ul',
  'li',
  'strong',
  'em',
  'code',
  'pre',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'details',
  'summary',
  'blockquote',
]);

/** The HTML's text outside every <code> element (tags removed), and every tag name seen. */
function outsideCode(html: string): { text: string; tags: string[]; stray: number } {
  let depth = 0;
  let text = '';
  let at = 0;
  const tags: string[] = [];
  const pattern = /<(\/?)([A-Za-z][A-Za-z0-9-]*)\b[^<>]*>/g;
  for (const match of html.matchAll(pattern)) {
    if (depth === 0) text += html.slice(at, match.index);
    const name = (match[2] as string).toLowerCase();
    tags.push(name);
    if (name === 'code') depth += match[1] === '/' ? -1 : 1;
    at = match.index + match[0].length;
  }
  text += html.slice(at);
  const stray = html.split('<').length - 1 - tags.length;
  return { text, tags, stray };
}

/** Each GFM table in the Markdown: every row must split into as many cells as its header. */
function tableRowsWithWrongCellCount(markdown: string): string[] {
  const cells = (line: string) => line.split(/(?<!\\)\|/).length;
  const wrong: string[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length - 1; i++) {
    if (!(lines[i] as string).startsWith('|') || !/^\|[-:|]+\|$/.test(lines[i + 1] as string)) continue;
    const width = cells(lines[i] as string);
    for (let j = i + 2; j < lines.length && (lines[j] as string).startsWith('|'); j++)
      if (cells(lines[j] as string) !== width) wrong.push(lines[j] as string);
  }
  return wrong;
}

function expectInert(markdown: string): void {
  const html = md.render(markdown);
  const { text, tags, stray } = outsideCode(html);
  expect(stray, 'every < in the HTML is a tag').toBe(0);
  expect([...new Set(tags)].filter((tag) => !OWN_TAGS.has(tag))).toEqual([]);
  for (const live of ['@', 'octocat', 'onerror', 'evil.example', 'alert('])
    expect(text.includes(live), `${live} outside <code>`).toBe(false);
  expect(tableRowsWithWrongCellCount(markdown)).toEqual([]);
  // The hostile text is shown, not dropped: as code, escaped.
  expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; @octocat');
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-untrusted-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const RUN = 'run`@octocat<img src=x>';

function envRows(run: string): RowInput[] {
  return ['node', 'os', 'cpu_model', 'fs_type', 'git', 'subject_versions', 'machine_class'].map((metric) => ({
    suite: 'env',
    scenario: 'environment',
    subject: '',
    metric,
    detail: hostile(`env-${metric}`),
  }));
}

function benchRows(): RowInput[] {
  const rows: RowInput[] = [];
  const subject = hostile('subject');
  const line = (who: string, mode: string, scenario: string, median: number, engine: string) => {
    for (let sample = 0; sample < 5; sample++)
      rows.push({
        suite: 'bench',
        scenario,
        subject: who,
        mode,
        size_bytes: 1024,
        metric: METRICS.latencySample,
        value: median * (1 + sample / 50),
        unit: 'ms',
        sample,
        engine,
      });
  };
  for (const [who, median] of [
    [subject, 3],
    ['reference', 2],
    ['floor', 1],
  ] as const) {
    line(who, 'durable', 'write', median, 'tinybench');
    line(who, 'durable', 'write', median * 2, hostile('engine'));
  }
  line(subject, hostile('mode'), hostile('scenario'), 4, 'tinybench');
  rows.push(
    {
      suite: 'bench',
      scenario: 'write',
      subject,
      metric: METRICS.spawnOverhead,
      value: 0.5,
      unit: 'ms',
      detail: hostile('method'),
    },
    {
      suite: 'bench',
      scenario: 'write',
      subject,
      mode: 'durable',
      size_bytes: 1024,
      metric: METRICS.contentOk,
      value: 0,
      unit: 'bool',
      detail: hostile('content'),
    },
    { suite: 'bench', scenario: 'accounting', subject: '', metric: METRICS.skipped, detail: hostile('skipped') },
    {
      suite: 'bench',
      scenario: 'write',
      subject,
      mode: 'durable',
      size_bytes: 1024,
      metric: hostile('metric'),
      value: null,
      detail: hostile('note'),
    },
  );
  return rows;
}

function crashRows(): RowInput[] {
  const subject = hostile('writer');
  const base = { suite: 'crash' as const, subject, mode: 'durable', size_bytes: 1024 };
  const kill = { ...base, scenario: 'kill_at_step' };
  return [
    { ...kill, metric: METRICS.trials, value: 8, unit: 'count' },
    { ...kill, metric: METRICS.corruptionRate, value: 0.125, unit: 'fraction', detail: '1/8' },
    {
      ...kill,
      metric: METRICS.failedTrial,
      value: 1,
      unit: 'bool',
      detail:
        `step=${hostile('step')}; failed=${hostile('failed')}; fault=${hostile('fault')}; ` +
        `held=${hostile('held')}; reported=${hostile('reported')}`,
    },
    { ...kill, metric: METRICS.notApplicable, value: null, detail: `${hostile('absent')}: ${hostile('why')}` },
    { ...kill, metric: METRICS.notReachedTrial, value: 1, unit: 'count', detail: hostile('not-reached') },
    { ...kill, subject: hostile('unjudged'), metric: METRICS.notJudged, value: null, detail: hostile('not-judged') },
    {
      ...base,
      scenario: 'profile',
      metric: METRICS.syscallProfile,
      value: 1,
      unit: 'count',
      detail: hostile('profile'),
    },
    {
      ...base,
      scenario: hostile('crash-scenario'),
      metric: METRICS.skipped,
      value: null,
      detail: hostile('crash-skip'),
    },
    { ...base, scenario: 'all', metric: METRICS.skipped, value: null, detail: hostile('not-run') },
    {
      ...base,
      scenario: 'concurrent',
      metric: METRICS.overlapNotForced,
      value: 1,
      unit: 'count',
      detail: hostile('overlap'),
    },
    {
      ...base,
      scenario: 'fault_point',
      metric: METRICS.fixedTempName,
      value: 1,
      unit: 'bool',
      detail: hostile('temp'),
    },
    {
      ...base,
      scenario: 'power_loss',
      metric: METRICS.powerlossStates,
      value: 4,
      unit: 'count',
      engine: hostile('model'),
      detail: hostile('how'),
    },
    {
      ...base,
      scenario: 'power_loss',
      metric: METRICS.powerlossStates,
      value: 4,
      unit: 'count',
      engine: 'posix',
      detail: hostile('how-posix'),
    },
    {
      ...base,
      scenario: 'power_loss',
      metric: METRICS.powerlossAtomicityViolationRate,
      value: 0.25,
      unit: 'fraction',
      engine: 'posix',
      detail: '1/4',
    },
    {
      ...base,
      scenario: 'power_loss',
      metric: METRICS.powerlossViolation,
      value: 1,
      unit: 'bool',
      engine: 'posix',
      detail: `check=atomicity; why=${hostile('violation')}`,
    },
    {
      ...base,
      scenario: 'power_loss',
      metric: METRICS.powerlossViolation,
      value: 1,
      unit: 'bool',
      engine: 'posix',
      detail: hostile('raw-violation'),
    },
    { ...base, scenario: 'power_loss', subject: '', metric: METRICS.skipped, value: null, detail: hostile('pl-skip') },
    {
      ...base,
      scenario: 'kill_at_step',
      metric: METRICS.trialsPerSecond,
      value: 3,
      unit: 'count',
      detail: hostile('pace'),
    },
    { ...base, scenario: 'lock_rev', metric: METRICS.finalRev, value: 9, unit: 'count', detail: hostile('rev') },
  ];
}

function parityRows(): RowInput[] {
  const wrapper = hostile('wrapper');
  const rows: RowInput[] = [
    {
      suite: 'parity',
      scenario: '(matrix)',
      subject: 'native',
      metric: METRICS.casesInMatrix,
      value: 3,
      unit: 'count',
    },
    {
      suite: 'parity',
      scenario: '(matrix)',
      subject: 'native',
      metric: METRICS.casesRun,
      value: 3,
      unit: 'count',
      detail: hostile('cases-run'),
    },
    {
      suite: 'parity',
      scenario: '(matrix)',
      subject: wrapper,
      metric: METRICS.wrapperTemplate,
      detail: hostile('template'),
    },
  ];
  for (const id of ['push.x', hostile('case'), 'commit.y']) {
    const base = { suite: 'parity' as const, scenario: id, mode: id === 'commit.y' ? 'mutating' : hostile('class') };
    rows.push(
      { ...base, subject: 'native', metric: METRICS.commandLine, detail: hostile('command') },
      {
        ...base,
        subject: 'native',
        metric: METRICS.nativeAsExpected,
        value: 0,
        unit: 'bool',
        detail: hostile('native-problem'),
      },
    );
    for (const subject of ['passthrough', wrapper]) {
      rows.push(
        {
          ...base,
          subject,
          metric: METRICS.exitCodeMatch,
          value: 0,
          unit: 'bool',
          detail: 'native exit 1, wrapper exit none',
        },
        {
          ...base,
          subject,
          metric: METRICS.sideEffectMatch,
          value: 0,
          unit: 'bool',
          detail: `${hostile('side-a')}; ${hostile('side-b')}`,
        },
        {
          ...base,
          subject,
          metric: METRICS.stderrSignalMatch,
          value: 0,
          unit: 'bool',
          detail: `missing: ${hostile('signal-a')} | ${hostile('signal-b')}`,
        },
        { ...base, subject, metric: METRICS.nativeExitCode, value: 1, unit: 'code' },
        { ...base, subject, metric: METRICS.wrapperExitCode, value: null, unit: 'code', detail: hostile('no-exit') },
      );
    }
  }
  return rows;
}

function hookRows(): RowInput[] {
  const hook = hostile('hook');
  const rows: RowInput[] = [];
  for (const set of ['default', hostile('env-set')]) {
    const base = { suite: 'hook' as const, scenario: 'policy', subject: hook, mode: set };
    rows.push(
      { ...base, metric: METRICS.hookCommand, detail: hostile('hook-command') },
      { ...base, metric: METRICS.hookEnvVars, value: 1, unit: 'count', detail: hostile('vars') },
      { ...base, metric: METRICS.hookCases, value: 4, unit: 'count' },
      { ...base, metric: METRICS.mutatingRewriteRate, value: 0.25, unit: 'fraction', detail: '1/4 mutating cases' },
      { ...base, metric: METRICS.argsPreservedRate, value: null, unit: 'fraction', detail: hostile('no-args') },
      { ...base, metric: METRICS.hookLatencyP50, value: 30, unit: 'ms' },
      { ...base, metric: METRICS.hookLatencyP95, value: 40, unit: 'ms' },
      { ...base, metric: METRICS.rewritePrefix, value: 2, unit: 'count', detail: hostile('prefix') },
      {
        ...base,
        scenario: hostile('case-id'),
        metric: METRICS.mutatingRewrite,
        value: 1,
        unit: 'bool',
        detail: JSON.stringify({
          command: hostile('offender'),
          class: hostile('cls'),
          answers: [
            `rewritten to ${hostile('to')}`,
            `blocked: ${hostile('blocked')}`,
            `invalid: ${hostile('invalid')}`,
            hostile('answer'),
          ],
          why: hostile('why'),
        }),
      },
    );
  }
  const audit = { suite: 'hook' as const, scenario: 'audit', subject: 'sessions' };
  rows.push(
    { ...audit, metric: METRICS.rewrittenCalls, value: 3, unit: 'count' },
    { ...audit, mode: hostile('audit-class'), metric: METRICS.auditClassCalls, value: 3, unit: 'count' },
    {
      ...audit,
      mode: 'transcript',
      metric: METRICS.auditFile,
      value: 10,
      unit: 'count',
      detail: JSON.stringify({ path: hostile('path'), kind: hostile('kind'), malformed: 1 }),
    },
    {
      ...audit,
      mode: 'read_only',
      metric: METRICS.auditFinding,
      value: 1,
      unit: 'bool',
      detail: JSON.stringify({
        command: hostile('finding'),
        rewritten: hostile('rewritten'),
        class: hostile('finding-class'),
        retried: true,
      }),
    },
  );
  return rows;
}

function writeCsv(name: string, rows: readonly ResultRow[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, rowsToCsv(rows));
  return file;
}

describe('RESULTS.md from hostile input', () => {
  it('every suite section, the gate table and definitions, the environment and the inputs', async () => {
    const rows = [...envRows(RUN), ...benchRows(), ...crashRows(), ...parityRows(), ...hookRows()].map((input) =>
      makeRow(RUN, input),
    );
    const csv = writeCsv('results `@octocat <img src=x>.csv', rows);
    const thresholds = path.join(dir, 'thresholds `@octocat <b>.json');
    fs.writeFileSync(
      thresholds,
      JSON.stringify({
        gates: {
          'crash.corruption': { disabled: hostile('disabled') },
          'bench.durable_vs_reference': {
            subjects: [hostile('subject'), hostile('only')],
            excludeSubjects: [hostile('not')],
            threshold: 1.1,
          },
          'bench.unchanged_p50': { subjects: [hostile('absent-subject')] },
        },
      }),
    );
    const known = path.join(dir, 'known `@octocat.json');
    fs.writeFileSync(
      known,
      JSON.stringify({
        differences: [
          { case: 'push.x', metric: 'side_effect_match', wrapper: hostile('wrapper'), rationale: hostile('rationale') },
          { case: 'commit.y', metric: 'exit_code_match', wrapper: hostile('other'), rationale: hostile('unused') },
        ],
      }),
    );
    const outcome = await analyze({
      inputs: [csv],
      outDir: dir,
      githubStepSummary: null,
      thresholdsFile: thresholds,
      knownDifferencesFile: known,
    });
    const markdown = fs.readFileSync(outcome.reportPath, 'utf8');
    for (const section of [
      '## Bench',
      '## Crash',
      '## Parity',
      '## Hook',
      '## Environment',
      '## Inputs',
      '### Failing trials',
      '### Power loss',
      '### Known differences',
      '### Recorded sessions',
    ])
      expect(markdown).toContain(section);
    expect(
      outcome.counts.not_judged + outcome.counts.known + outcome.counts.no_data + outcome.counts.disabled,
    ).toBeGreaterThan(3);
    expectInert(markdown);
  });

  it('crash images and suites split by file system, the fs names and every image field hostile', async () => {
    const image = (fields: Record<string, unknown>) =>
      JSON.stringify({
        point: hostile('point'),
        after: hostile('after'),
        held: 'other',
        allowed: ['old', 'new'],
        unsound: true,
        leftovers: [hostile('leftover')],
        checker: false,
        kept: hostile('kept'),
        ...fields,
      });
    const imageRows = (fsName: string): RowInput[] => {
      const base = {
        suite: 'crash' as const,
        scenario: 'crash_image',
        subject: hostile('imaged'),
        mode: 'durable',
        size_bytes: 4096,
        engine: hostile('image-model'),
        fs: fsName,
      };
      return [
        { ...base, metric: METRICS.imageStates, value: 2, unit: 'count' },
        { ...base, metric: METRICS.imageAtomicityViolationRate, value: 0.5, unit: 'fraction', detail: '1/2' },
        {
          ...base,
          metric: METRICS.imageDurabilityViolationRate,
          value: 1,
          unit: 'fraction',
          detail: hostile('not-k-of-n'),
        },
        { ...base, metric: METRICS.imageUnsoundStates, value: 1, unit: 'count' },
        { ...base, metric: METRICS.imageObservation, sample: 0, detail: image({}) },
        {
          ...base,
          metric: METRICS.imageObservation,
          sample: 1,
          detail: image({ point: 'exit', held: 'old', unsound: false }),
        },
        { ...base, metric: METRICS.imageObservation, sample: 2, detail: hostile('not-json') },
        {
          ...base,
          subject: hostile('image-skip-writer'),
          metric: METRICS.skipped,
          value: null,
          detail: hostile('image-skip'),
        },
        { ...base, metric: METRICS.notApplicable, value: 1, detail: hostile('absent-point') },
      ];
    };
    const onFs = (fsName: string) => [...benchRows(), ...crashRows()].map((input) => ({ ...input, fs: fsName }));
    const rows = [
      ...envRows(RUN),
      ...onFs(''),
      ...onFs(hostile('fs')),
      ...imageRows('xfs'),
      ...imageRows(hostile('fs')),
    ].map((input) => makeRow(RUN, input));
    const outcome = await analyze({ inputs: [writeCsv('fs.csv', rows)], outDir: dir, githubStepSummary: null });
    const markdown = fs.readFileSync(outcome.reportPath, 'utf8');
    for (const section of [
      '## Bench — micro I/O — on ',
      '## Crash — durability under faults — on xfs',
      "## Crash — durability under faults — on the workspace's file system (",
      '### Crash images',
    ])
      expect(markdown).toContain(section);
    expect(outcome.gates.some((gate) => gate.id === 'crash.model_sound' && gate.status === 'fail')).toBe(true);
    expectInert(markdown);
  });

  it('the verdict line under --require-judged', async () => {
    const rows = [...envRows(RUN), ...crashRows()].map((input) => makeRow(RUN, input));
    const outcome = await analyze({
      inputs: [writeCsv('crash.csv', rows)],
      outDir: dir,
      githubStepSummary: null,
      requireJudged: true,
    });
    const markdown = fs.readFileSync(outcome.reportPath, 'utf8');
    expect(markdown).toContain('`--require-judged`: ');
    expectInert(markdown);
  });

  it('a suite with no section of its own (the generic overview)', async () => {
    const rows = [...envRows(RUN), ...benchRows(), ...hookRows()].map((input) => makeRow(RUN, input));
    const outcome = await analyze({
      inputs: [writeCsv('generic.csv', rows)],
      outDir: dir,
      githubStepSummary: null,
      sections: [benchSection],
    });
    const markdown = fs.readFileSync(outcome.reportPath, 'utf8');
    expect(markdown).toContain('No analyzer section is registered for hook yet');
    expectInert(markdown);
  });

  it('a comparison against a baseline: the comparison block and the trend section', async () => {
    const subject = hostile('compared');
    const arm = (name: 'base' | 'head', round: number) =>
      syntheticRun({
        runId: `20260301T00${String(round * 2 + (name === 'head' ? 1 : 0)).padStart(2, '0')}00Z-${name}${round}`,
        seed: round * 2 + (name === 'head' ? 1 : 0),
        machineClass: hostile('class'),
        series: [
          {
            subject,
            median: name === 'head' ? 30 : 20,
            sigma: 0.05,
            samples: 30,
            extra: { content_ok: name === 'head' ? 0 : 1 },
          },
          { subject: 'reference', median: 1, sigma: 0.05, samples: 30 },
        ],
      });
    const base: string[] = [];
    const head: string[] = [];
    for (let round = 1; round <= 8; round++) {
      base.push(writeCsv(`base-${round}.csv`, arm('base', round)));
      head.push(writeCsv(`head-${round}.csv`, arm('head', round)));
    }
    const outcome = await analyze({
      inputs: head,
      baselineInputs: base,
      baselineNames: base.map((file, i) => `${hostile('base-name')}${i}`),
      outDir: dir,
      githubStepSummary: null,
      comparison: { subjects: [subject], rounds: 8, roundsNeeded: 7, familySize: 2, allowInconclusive: false },
    });
    const markdown = fs.readFileSync(outcome.reportPath, 'utf8');
    expect(outcome.comparison?.verdict).toBe('regressed');
    for (const section of ['## Comparison: head against base', '## Regressions and trend', '### Against the baseline'])
      expect(markdown).toContain(section);
    expectInert(markdown);
  });

  it('a run judged against its history: the machine class, the re-measure command and the folded charts', async () => {
    const subject = hostile('history');
    const machineClass = hostile('machine');
    const night = (day: number, factor: number) =>
      syntheticRun({
        runId: runIdOfDay(day),
        seed: day + 1,
        machineClass,
        series: [
          { subject, median: 2 * factor, sigma: 0.05, samples: 60 },
          { subject: 'reference', median: 1, sigma: 0.05, samples: 60 },
        ],
      });
    const history = path.join(dir, 'history');
    [1, 1.03, 0.98, 1.01, 0.99, 1.02].forEach((level, day) =>
      appendToHistory(history, night(day, level), DEFAULT_POLICIES),
    );
    const outcome = await analyze({
      inputs: [writeCsv('tonight.csv', night(10, 1.5))],
      historyDir: history,
      historyAppend: false,
      outDir: dir,
      githubStepSummary: null,
    });
    const markdown = fs.readFileSync(outcome.reportPath, 'utf8');
    for (const part of [
      '### Against history',
      'Suspected regressions wait for one re-measure',
      '### Trend charts',
      '<details><summary><code>',
    ])
      expect(markdown).toContain(part);
    expectInert(markdown);
  });
});

describe("gate reasons as Markdown: writegate's words as text, the rest inert", () => {
  const KIB = 1024;
  const gate: EffectiveGate = {
    id: 't.gate',
    suite: 'bench',
    title: 'p50',
    metric: 'latency_p50_ms',
    selector: { mode: ['durable'], sizes: [KIB, 2 * KIB] },
    comparison: '<=',
    threshold: 2,
    unit: 'ms',
    source: 'test source',
    description: 'test',
  };
  const relative: EffectiveGate = {
    ...gate,
    id: 't.relative',
    selector: { mode: ['durable'], excludeSubjects: ['ref'] },
    relativeTo: { subject: 'ref' },
    unit: 'x',
    baseUnit: 'ms',
    threshold: 1.25,
  };
  const fig = (subject: string, value: number | null, extra: Partial<Figure> = {}): Figure => ({
    scenario: 'write',
    subject,
    mode: 'durable',
    size_bytes: KIB,
    metric: 'latency_p50_ms',
    value,
    ...extra,
  });
  const one = (spec: EffectiveGate, figures: Figure[], subject = 'w@x'): GateResult =>
    evaluateGate(spec, figures).find((r) => r.subject === subject || subject === '') as GateResult;

  it('each shape of detail evaluate.ts writes', () => {
    expect(reasonMarkdown(one(gate, [fig('w@x', 1.5)]))).toBe('1.50 ms, needs ≤ 2 ms');
    expect(reasonMarkdown(one(gate, [fig('w@x', 3, { note: 'content check failed: <b>@x', known: 'listed' })]))).toBe(
      '3.00 ms, needs ≤ 2 ms (`content check failed: <b>@x`; known difference: `listed`)',
    );
    expect(reasonMarkdown(one(gate, [fig('w@x', null, { note: 'stderr: @octocat' })]))).toBe('`stderr: @octocat`');
    expect(reasonMarkdown(one(gate, [fig('w@x', null)]))).toBe('not measured');
    expect(reasonMarkdown(one(gate, [fig('w@x', null, { notJudged: 'io_uring `x`' })]))).toBe(
      'not judged: `` io_uring `x` ``',
    );
    const missing = evaluateGate(gate, [fig('w@x', 1), { ...fig('other', 1), size_bytes: 2 * KIB }]).find(
      (r) => r.size_bytes === 2 * KIB && r.subject === 'w@x',
    ) as GateResult;
    expect(reasonMarkdown(missing)).toBe('no latency_p50_ms figure at 2 KiB');
    expect(reasonMarkdown(one(relative, [fig('w@x', 2)]))).toBe(
      'cannot compare with `ref · durable · 1 KiB`: no figure',
    );
    expect(reasonMarkdown(one(relative, [fig('w@x', 2), fig('ref', null, { note: '<i>gone</i>' })]))).toBe(
      'cannot compare with `ref · durable · 1 KiB`: `<i>gone</i>`',
    );
    const scoped = { ...gate, selector: { ...gate.selector, subjects: ['a|b'] } };
    expect(reasonMarkdown(one(scoped, [], ''))).toBe(
      'no latency_p50_ms figures for `mode durable, 1 KiB, 2 KiB, subjects a|b` in the input',
    );
    expect(reasonMarkdown(one({ ...gate, disabled: 'see @octocat' }, [], ''))).toBe('disabled: `see @octocat`');
  });

  it(
    "a detail extended by --require-judged or by a comparison's base failures, " +
      'and the whole detail with its instance',
    () => {
      const unjudged = one(gate, [fig('w@x', null, { notJudged: 'why' })]);
      expect(reasonMarkdown({ reason: [...unjudged.reason, REQUIRED_JUDGMENT] })).toBe(
        `not judged: \`why\`${REQUIRED_JUDGMENT}`,
      );
      const failing = one(gate, [fig('w@x', 3, { note: 'n' })]);
      const [known] = markAgainstBase([failing], baseOutcomesOf([failing]));
      expect(reasonMarkdown(known as GateResult)).toBe(
        'fails on the base too, so not caused by this change: 3.00 ms, needs ≤ 2 ms (`n`)',
      );
      expect(detailMarkdown(known as GateResult)).toBe(
        '`w@x · 1 KiB`: fails on the base too, so not caused by this change: 3.00 ms, needs ≤ 2 ms (`n`)',
      );
      expect((known as GateResult).detail).toBe(
        'w@x · 1 KiB: fails on the base too, so not caused by this change: 3.00 ms, needs ≤ 2 ms (n)',
      );
    },
  );

  it('the plain detail (--json, stderr) and the Markdown are one phrase: the same words, the same order', () => {
    const shapes = [
      one(gate, [fig('w@x', 3, { note: '<b>', known: 'k' })]),
      one(gate, [fig('w@x', null, { notJudged: 'why' })]),
      one(relative, [fig('w@x', 2), fig('ref', null, { note: 'gone' })]),
      one({ ...gate, disabled: 'off' }, [], ''),
    ];
    for (const result of shapes) {
      expect(result.detail).toBe(
        result.instance ? `${result.instance}: ${phraseText(result.reason)}` : phraseText(result.reason),
      );
      // Markdown with each code span's fence taken off reads as the plain reason.
      expect(reasonMarkdown(result).replace(/`([^`]*)`/g, '$1')).toBe(phraseText(result.reason));
    }
  });

  it('the gate table names a thresholds file inert in its source column', () => {
    const overridden: EffectiveGate = {
      ...gate,
      threshold: 3,
      override: { file: 'th@x.json', changed: ['threshold'], defaults: { threshold: 2, selector: gate.selector } },
    };
    const table = gateTable(evaluateGate(overridden, [fig('w@x', 1)]), [overridden]);
    expect(table).toContain(
      '| p50 · `w@x · 1 KiB` | 1.00 ms | ≤ 3 ms | ✅ pass | `th@x.json` (default 2 ms, test source) |',
    );
  });
});
