import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readResultsCsv, rowsToCsv } from '../core/csv.js';
import { makeRow, METRICS } from '../core/schema.js';
import { analyze } from './analyze.js';
import { loadDataset } from './load.js';
import { ROWS_PER_RUN, writeScaleCsv } from './scripts/scale-csv.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../test/fixtures/analyze');
const PASS = path.join(fixtures, 'pass.csv');

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-load-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function p95Of(outcome: Awaited<ReturnType<typeof analyze>>): string {
  const report = fs.readFileSync(outcome.reportPath, 'utf8');
  // The reference writer's durable 1 KiB line: p50, p95, p99 columns.
  return report.split('\n').filter((line) => line.startsWith('| reference |'))[0] ?? '';
}

describe('loading results CSVs', () => {
  it('reads a file that starts with a UTF-8 byte order mark', async () => {
    const file = path.join(dir, 'bom.csv');
    fs.writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), fs.readFileSync(PASS)]));
    const dataset = await loadDataset([file]);
    expect(dataset.rows).toEqual(readResultsCsv(PASS));
    expect(readResultsCsv(file)).toEqual(readResultsCsv(PASS));
    const outcome = await analyze({ inputs: [file], outDir: path.join(dir, 'out'), githubStepSummary: null });
    expect(outcome.verdict).toBe('pass');
  });

  it('counts a row repeated within one file once, and says how many', async () => {
    const text = fs.readFileSync(PASS, 'utf8');
    const body = text.slice(text.indexOf('\n') + 1);
    const doubled = path.join(dir, 'doubled.csv');
    fs.writeFileSync(doubled, text + body);
    const rows = readResultsCsv(PASS);
    const dataset = await loadDataset([doubled]);
    expect(dataset.rows).toHaveLength(rows.length);
    // Notes are Markdown for RESULTS.md: the file name is the user's, shown as inline code.
    expect(dataset.notes).toContain(
      `\`${doubled}\`: ${rows.length} row(s) repeated verbatim within the file were counted once.`,
    );

    const once = await analyze({ inputs: [PASS], outDir: path.join(dir, 'once'), githubStepSummary: null });
    const twice = await analyze({ inputs: [doubled], outDir: path.join(dir, 'twice'), githubStepSummary: null });
    expect(p95Of(twice)).toBe(p95Of(once));
    expect(twice.gates).toEqual(once.gates);
    const report = fs.readFileSync(twice.reportPath, 'utf8');
    expect(report).toContain(`${rows.length} row(s) repeated verbatim within the file were counted once.`);
    expect(report).toContain(`(${rows.length} rows,`);
  });

  it('tells repeats within a file from repeats across files', async () => {
    const text = fs.readFileSync(PASS, 'utf8');
    const lines = text.split('\n');
    const withRepeat = path.join(dir, 'a.csv');
    fs.writeFileSync(withRepeat, `${text}${lines[20]}\n${lines[21]}\n`);
    const copy = path.join(dir, 'b.csv');
    fs.copyFileSync(PASS, copy);
    const dataset = await loadDataset([withRepeat, copy]);
    expect(dataset.rows).toHaveLength(readResultsCsv(PASS).length);
    expect(dataset.notes.slice(0, 2)).toEqual([
      `\`${withRepeat}\`: 2 row(s) repeated verbatim within the file were counted once.`,
      `${readResultsCsv(PASS).length} row(s) repeated verbatim across input files were counted once.`,
    ]);
  });

  it('keeps per-trial rows that differ only in their trial number, and reads a repeated one once', async () => {
    const trial = (sample: number) =>
      makeRow('r1', {
        suite: 'crash',
        scenario: 'random_kill',
        subject: 'mine',
        mode: 'durable',
        size_bytes: 1024,
        metric: METRICS.failedTrial,
        value: 1,
        unit: 'count',
        sample,
        detail: 'step=mid_payload; failed=corruption',
      });
    const file = path.join(dir, 'trials.csv');
    fs.writeFileSync(file, rowsToCsv([trial(0), trial(1), trial(2), trial(2)]));
    const dataset = await loadDataset([file]);
    expect(dataset.rows.map((row) => row.sample)).toEqual([0, 1, 2]);
    expect(dataset.notes).toContain(`\`${file}\`: 1 row(s) repeated verbatim within the file were counted once.`);
  });

  it('names the file and line of a defect deep in a streamed file', async () => {
    const file = path.join(dir, 'deep.csv');
    const rows = Array.from({ length: 5000 }, (_, sample) =>
      makeRow('r1', {
        suite: 'bench',
        scenario: 'write',
        subject: 's',
        mode: 'durable',
        size_bytes: 1024,
        metric: 'latency_ms',
        value: 1 + sample / 1e4,
        unit: 'ms',
        sample,
      }),
    );
    const lines = rowsToCsv(rows).split('\n');
    lines[4321] = lines[4321]?.replace(',latency_ms,', ',latency_ms,slow') ?? '';
    fs.writeFileSync(file, lines.join('\n'));
    await expect(loadDataset([file])).rejects.toThrow(
      new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:4322: column value is not a number: "slow[0-9.]+"$`),
    );
  });
});

describe('at scale', () => {
  // 125,000 rows: one file this size overflowed the stack before loading streamed (3–4 full runs).
  it('analyzes a 125,000-row file of several full runs', async () => {
    const file = path.join(dir, 'week.csv');
    const written = await writeScaleCsv(file, 125_000);
    expect(written.rows).toBe(125_000);
    expect(written.runs).toBe(Math.ceil(125_000 / ROWS_PER_RUN));
    const outcome = await analyze({ inputs: [file], outDir: path.join(dir, 'out'), githubStepSummary: null });
    expect(outcome.verdict).toBe('pass');
    expect(outcome.counts.fail).toBe(0);
    const report = fs.readFileSync(outcome.reportPath, 'utf8');
    expect(report).toContain(`(125000 rows, ${written.runs} run(s):`);
    expect(report).not.toContain('repeated verbatim');
  });
});
