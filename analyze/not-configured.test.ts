/**
 * A gate whose input the user never configured is listed once under "Not configured", with what would
 * enable it; one whose input was configured but produced nothing still shows as no data.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rowsToCsv } from '../core/csv.js';
import { makeRow, METRICS, type ResultRow } from '../core/schema.js';
import { analyze, type AnalyzeOptions } from './analyze.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-not-configured-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const KIB4 = 4096;

async function run(rows: ResultRow[], options: Partial<AnalyzeOptions> = {}) {
  const input = path.join(dir, 'results.csv');
  fs.writeFileSync(input, rowsToCsv(rows));
  const outcome = await analyze({ inputs: [input], outDir: dir, githubStepSummary: null, ...options });
  return { outcome, report: fs.readFileSync(outcome.reportPath, 'utf8') };
}

/** One writer's power-loss rows under posix (rates as [k, n]), and its checker's when it had one. */
function powerLoss(
  subject: string,
  fsName: string,
  rates: { atomicity: [number, number]; durability: [number, number]; checker?: [number, number] },
): ResultRow[] {
  const base = {
    suite: 'crash' as const,
    scenario: 'power_loss',
    subject,
    mode: 'durable',
    size_bytes: KIB4,
    engine: 'posix',
    fs: fsName,
  };
  const rate = (metric: string, [k, n]: [number, number]) =>
    makeRow('r1', { ...base, metric, value: k / n, unit: 'ratio', detail: `${k}/${n}` });
  return [
    makeRow('r1', {
      ...base,
      metric: METRICS.powerlossStates,
      value: rates.atomicity[1],
      unit: 'count',
      detail: `all ${rates.atomicity[1]} crash states`,
    }),
    rate(METRICS.powerlossAtomicityViolationRate, rates.atomicity),
    rate(METRICS.powerlossDurabilityViolationRate, rates.durability),
    ...(rates.checker ? [rate(METRICS.powerlossCheckerViolationRate, rates.checker)] : []),
  ];
}

/** The steps a writer's trace lacks, as crash's kill_at_step writes them. */
function missing(subject: string, detail: string, fsName = ''): ResultRow {
  return makeRow('r1', {
    suite: 'crash',
    scenario: 'kill_at_step',
    subject,
    mode: 'durable',
    size_bytes: KIB4,
    metric: METRICS.notApplicable,
    value: 2,
    unit: 'count',
    engine: 'strace',
    detail,
    fs: fsName,
  });
}

const NO_DIR_FSYNC =
  'before_dir_fsync: the subject never fsyncs the directory after the rename; ' +
  'after_dir_fsync: the subject never fsyncs the directory after the rename';

/** The gate table's rows (between "## Gates" and the next section). */
const gateTable = (report: string): string => report.split('\n## Gates\n')[1]?.split('\n## ')[0] ?? '';

describe('not configured', () => {
  it('a crash run without --crash-checker lists the checker gate once, not as no data, and names what enables it', async () => {
    const { outcome, report } = await run([
      ...powerLoss('mine', '', { atomicity: [0, 12], durability: [2, 4] }),
      missing('mine', NO_DIR_FSYNC),
    ]);
    expect(outcome.gates.some((gate) => gate.id === 'crash.powerloss_checker')).toBe(false);
    expect(outcome.notConfigured).toContainEqual(
      expect.objectContaining({ option: '--crash-checker <command>', gates: ['crash.powerloss_checker'] }),
    );
    expect(gateTable(report)).not.toContain('your checker');
    expect(report.match(/`--crash-checker <command>`/g)).toHaveLength(1);
    // Listed under its own heading, after the verdict.
    const verdictAt = report.indexOf('**Verdict:');
    const listAt = report.indexOf('**Not configured**');
    expect(verdictAt).toBeGreaterThanOrEqual(0);
    expect(listAt).toBeGreaterThan(verdictAt);
    expect(listAt).toBeLessThan(report.indexOf('## Gates'));
  });

  it('a checker that ran is judged like any gate, and not listed', async () => {
    const { outcome } = await run(powerLoss('mine', '', { atomicity: [0, 12], durability: [0, 4], checker: [1, 12] }));
    expect(outcome.gates.filter((gate) => gate.id === 'crash.powerloss_checker').map((gate) => gate.status)).toEqual([
      'fail',
    ]);
    expect(outcome.notConfigured?.some((entry) => entry.gates.includes('crash.powerloss_checker'))).toBe(false);
  });

  it('a power-loss run that never got far enough to use a checker still shows the checker gate as no data', async () => {
    // Only the kill trials ran: nothing says whether a checker was given, so nothing is hidden.
    const trials = makeRow('r1', {
      suite: 'crash',
      scenario: 'kill_at_step',
      subject: 'mine',
      mode: 'durable',
      size_bytes: KIB4,
      metric: METRICS.corruptionRate,
      value: 0,
      unit: 'ratio',
      detail: '0/6',
    });
    const { outcome } = await run([trials]);
    expect(outcome.gates.filter((gate) => gate.id === 'crash.powerloss_checker').map((gate) => gate.status)).toEqual([
      'no_data',
    ]);
    expect(outcome.notConfigured?.some((entry) => entry.gates.includes('crash.powerloss_checker'))).toBe(false);
  });

  it('crash images: without --fs not configured; asked for on ext4 but skipped, no data with the reason', async () => {
    const own = await run(powerLoss('mine', '', { atomicity: [0, 12], durability: [0, 4] }));
    expect(own.outcome.notConfigured).toContainEqual(
      expect.objectContaining({
        option: '--fs ext4',
        gates: ['crash.model_sound', 'crash.image_atomicity', 'crash.image_durability'],
      }),
    );
    const skipped = makeRow('r1', {
      suite: 'crash',
      scenario: 'crash_image',
      subject: '',
      metric: METRICS.skipped,
      value: 1,
      unit: 'count',
      detail: 'it freezes the writer with strace: strace not found',
      fs: 'ext4',
    });
    const ext4 = await run([...powerLoss('mine', 'ext4', { atomicity: [0, 12], durability: [0, 4] }), skipped]);
    const images = ext4.outcome.gates.filter(
      (gate) => gate.id.startsWith('crash.image_') || gate.id === 'crash.model_sound',
    );
    expect(images.map((gate) => [gate.id, gate.status])).toEqual([
      ['crash.model_sound', 'no_data'],
      ['crash.image_atomicity', 'no_data'],
      ['crash.image_durability', 'no_data'],
    ]);
    expect(images[0]?.detail).toContain('crash images skipped: it freezes the writer with strace: strace not found');
    expect(ext4.outcome.notConfigured?.some((entry) => entry.option === '--fs ext4')).toBe(false);
  });

  it('no hook rows: the hook gates are listed under --hook and --audit, unless the run asked for other suites only', async () => {
    const rows = powerLoss('mine', '', { atomicity: [0, 12], durability: [0, 4] });
    const all = await run(rows);
    const hook = all.outcome.notConfigured?.find((entry) => entry.option === '--hook NAME=COMMAND');
    expect(hook?.gates).toEqual([
      'hook.mutating_rewrite',
      'hook.args_preserved',
      'hook.invalid_output',
      'hook.deterministic',
      'hook.latency_p95',
    ]);
    expect(all.outcome.notConfigured?.find((entry) => entry.option === '--audit FILE')?.gates).toEqual([
      'hook.post_rewrite_retry',
      'hook.post_rewrite_failure',
    ]);
    // Named once: under Not configured, not again as a suite not in the input.
    expect(all.report).toContain('Not in the input: bench, parity — their gates were not evaluated.');
    const crashOnly = await run(rows, { suites: ['crash'] });
    expect(crashOnly.outcome.notConfigured?.some((entry) => entry.gates.some((id) => id.startsWith('hook.')))).toBe(
      false,
    );
  });

  it(
    'parity that compared only its built-in control names --wrapper; a wrapper ' + "of the user's is not listed",
    async () => {
      const parity = (subject: string) =>
        makeRow('r1', {
          suite: 'parity',
          scenario: 'status',
          subject,
          mode: '',
          metric: METRICS.exitCodeMatch,
          value: 1,
          unit: 'bool',
        });
      const control = await run([parity('native'), parity('passthrough')]);
      expect(control.outcome.notConfigured).toContainEqual(
        expect.objectContaining({ option: '--wrapper NAME=TEMPLATE' }),
      );
      const mine = await run([parity('native'), parity('passthrough'), parity('mytool')]);
      expect(mine.outcome.notConfigured?.some((entry) => entry.option === '--wrapper NAME=TEMPLATE')).toBe(false);
    },
  );
});

describe('why it fails', () => {
  it(
    "a power-loss failure says what the writer's trace lacks, from its own " + 'rows, right under the verdict',
    async () => {
      const { outcome, report } = await run([
        ...powerLoss('mine', '', { atomicity: [0, 12], durability: [2, 4] }),
        missing('mine', NO_DIR_FSYNC),
      ]);
      const durability = outcome.gates.find((gate) => gate.id === 'crash.powerloss_durability');
      expect(durability?.status).toBe('fail');
      expect(durability?.cause).toBe('its trace shows no fsync of the directory after the rename');
      // The verdict's paragraph, then the why-block: its header and one list item per failing subject.
      const paragraphs = report.split('\n\n');
      const verdict = paragraphs.findIndex((paragraph) => paragraph.startsWith('**Verdict: ❌ FAIL**'));
      expect(paragraphs[verdict + 1]).toMatch(/^\*\*Why it fails\*\*/);
      expect(paragraphs[verdict + 2]).toBe(
        '- `mine`: can lose a reported write on power loss (in 50% of crash states ' +
          'at 4 KiB) — its trace shows no fsync of the directory after the rename.',
      );
    },
  );

  it('a trace that lacks nothing gives no cause, never a made-up one', async () => {
    const { outcome } = await run(powerLoss('mine', '', { atomicity: [1, 12], durability: [0, 4] }));
    const atomicity = outcome.gates.find((gate) => gate.id === 'crash.powerloss_atomicity');
    expect(atomicity?.status).toBe('fail');
    expect(atomicity?.cause).toBeUndefined();
  });
});
