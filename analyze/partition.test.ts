import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readResultsCsv, rowsToCsv } from '../core/csv.js';
import { makeRow, METRICS, type ResultRow } from '../core/schema.js';
import { analyze, notJudgedLabel } from './analyze.js';
import { errorAnnotations } from './report/ci.js';
import { useCliHarness } from '../test/support/cli-harness.js';

const cli = useCliHarness({ prefix: 'wg-partition-' });
const PASS = path.join(path.dirname(fileURLToPath(import.meta.url)), '../test/fixtures/analyze/pass.csv');

function writeCsv(name: string, rows: readonly ResultRow[]): string {
  const file = path.join(cli.dir, name);
  fs.writeFileSync(file, rowsToCsv(rows));
  return file;
}

async function run(name: string, rows: readonly ResultRow[]) {
  const outDir = path.join(cli.dir, `out-${name}`);
  const outcome = await analyze({
    inputs: [writeCsv(`${name}.csv`, rows)],
    outDir,
    githubStepSummary: null,
    inputNames: ['results_raw.csv'],
  });
  return { outcome, md: fs.readFileSync(outcome.reportPath, 'utf8') };
}

/** pass.csv's bench rows made on `fs`, one subject's samples (and the floor's) scaled. */
function benchOn(fs: string, scale: Record<string, number> = {}): ResultRow[] {
  return readResultsCsv(PASS)
    .filter((row) => row.suite === 'bench')
    .map((row) => ({
      ...row,
      fs,
      value:
        row.metric === METRICS.latencySample && row.value !== null ? row.value * (scale[row.subject] ?? 1) : row.value,
    }));
}

const envRows = (): ResultRow[] => readResultsCsv(PASS).filter((row) => row.suite === 'env');

/** The Markdown of one `## ` section, up to the next. */
function section(md: string, heading: string): string {
  const start = md.indexOf(`${heading}\n`);
  expect(start, heading).toBeGreaterThanOrEqual(0);
  const next = md.indexOf('\n## ', start + heading.length);
  return md.slice(start, next < 0 ? undefined : next);
}

/** The ×floor cell of a subject's row in the first table under a `### ` heading. */
function timesFloor(text: string, cell: string, subject: string): number {
  const table = text.slice(text.indexOf(`### ${cell}\n`));
  const row = table.split('\n').find((line) => line.startsWith(`| \`${subject}\``)) as string;
  return Number.parseFloat(row.split(' | ')[9] as string);
}

describe('a suite on several file systems', () => {
  it('renders and gates bench once per file system, each table against the floor measured on it', async () => {
    // On xfs, write-file-atomic is 3× slower and the floor twice as slow as on ext4.
    const { outcome, md } = await run('two', [
      ...envRows(),
      ...benchOn('ext4'),
      ...benchOn('xfs', { 'write-file-atomic': 3, floor: 2 }),
    ]);
    const ext4 = section(md, '## Bench — micro I/O — on ext4');
    const xfs = section(md, '## Bench — micro I/O — on xfs');
    expect(md.indexOf('## Bench — micro I/O — on ext4')).toBeLessThan(md.indexOf('## Bench — micro I/O — on xfs'));
    expect(md).not.toMatch(/^## Bench — micro I\/O$/m);
    expect(timesFloor(xfs, '1 KiB · durable', 'reference')).toBeCloseTo(
      timesFloor(ext4, '1 KiB · durable', 'reference') / 2,
      1,
    );

    const gate = (fsName: string) =>
      outcome.gates.filter(
        (g) => g.id === 'bench.durable_vs_reference' && g.subject === 'write-file-atomic' && g.fs === fsName,
      );
    expect(gate('ext4').map((g) => g.status)).toEqual(['pass', 'pass', 'pass']);
    expect(gate('xfs').map((g) => g.status)).toEqual(['fail', 'fail', 'fail']);
    expect(gate('xfs').map((g) => g.instance)).toEqual([
      'write-file-atomic · 1 KiB · on xfs',
      'write-file-atomic · 128 KiB · on xfs',
      'write-file-atomic · 8 MiB · on xfs',
    ]);
    expect(gate('xfs')[0]?.detail).toMatch(/^write-file-atomic · 1 KiB · on xfs: [\d.]+× /);
    // Every bench instance names its file system; the gate table shows it.
    expect(outcome.gates.filter((g) => g.suite === 'bench').every((g) => g.fs === 'ext4' || g.fs === 'xfs')).toBe(true);
    expect(md).toContain('| durable p50 vs reference · `write-file-atomic · 1 KiB · on xfs` |');
    // Each part marks only its own failures.
    expect(xfs).toContain('`write-file-atomic` ❌');
    expect(ext4).not.toContain('❌');
    expect(outcome.verdict).toBe('fail');
    // GitHub annotations name the file system too.
    expect(errorAnnotations(outcome.gates).join('\n')).toContain('failing: write-file-atomic · 1 KiB · on xfs 3.');
    expect(outcome.sections.bench).toEqual({
      file_systems: [expect.objectContaining({ fs: 'ext4' }), expect.objectContaining({ fs: 'xfs' })],
    });
  });

  it("names the workspace's own file system by its type when it is one of the parts", async () => {
    const { outcome, md } = await run('workspace', [...envRows(), ...benchOn(''), ...benchOn('btrfs')]);
    expect(md).toContain("## Bench — micro I/O — on the workspace's file system (ext4)\n");
    expect(md).toContain('## Bench — micro I/O — on btrfs\n');
    const instances = outcome.gates
      .filter((g) => g.id === 'bench.unchanged_p50' && g.subject === 'reference')
      .map((g) => [g.fs, g.instance]);
    expect(instances).toEqual([
      ['', "reference · 1 KiB · on the workspace's file system"],
      ['', "reference · 128 KiB · on the workspace's file system"],
      ['btrfs', 'reference · 1 KiB · on btrfs'],
      ['btrfs', 'reference · 128 KiB · on btrfs'],
    ]);
  });

  it('reports a gate disabled by a thresholds file once, not once per file system', async () => {
    const thresholds = path.join(cli.dir, 'thresholds.json');
    fs.writeFileSync(
      thresholds,
      JSON.stringify({ gates: { 'bench.fast_vs_durable': { disabled: 'no fast mode here' } } }),
    );
    const outcome = await analyze({
      inputs: [writeCsv('disabled.csv', [...envRows(), ...benchOn('ext4'), ...benchOn('xfs')])],
      outDir: path.join(cli.dir, 'out-disabled'),
      thresholdsFile: thresholds,
      githubStepSummary: null,
    });
    const disabled = outcome.gates.filter((g) => g.id === 'bench.fast_vs_durable');
    expect(disabled.map((g) => [g.status, g.instance, g.fs])).toEqual([['disabled', '', undefined]]);
  });

  it('names the file system in what could not be judged', async () => {
    const notJudged = (fsName: string) =>
      makeRow('r1', {
        suite: 'crash',
        scenario: 'kill_at_step',
        subject: 'iou',
        mode: 'durable',
        size_bytes: 1024,
        metric: METRICS.notJudged,
        value: 1,
        detail: 'io_uring',
        fs: fsName,
      });
    const { outcome, md } = await run('unjudged', [notJudged('ext4'), notJudged('xfs')]);
    expect(outcome.notJudged.map(notJudgedLabel)).toEqual(['iou · 1 KiB · on ext4', 'iou · 1 KiB · on xfs']);
    expect(md).toContain(
      'not judged: `iou · 1 KiB · on ext4` (4 gates) (`io_uring`); `iou · 1 KiB · on xfs` (4 gates) (`io_uring`)',
    );
  });
});

describe('a suite on one file system', () => {
  it('is reported as before, and a named one only adds its name to the section heading', async () => {
    const plain = await run('plain', [...envRows(), ...benchOn('')]);
    const named = await run('named', [...envRows(), ...benchOn('xfs')]);
    expect(plain.md).toMatch(/^## Bench — micro I\/O$/m);
    expect(plain.md).not.toContain('on the workspace');
    expect(plain.outcome.gates.some((g) => 'fs' in g)).toBe(false);
    // pass.csv without the column reads as fs '' too: the same report.
    const original = await analyze({
      inputs: [PASS],
      outDir: path.join(cli.dir, 'out-original'),
      githubStepSummary: null,
      inputNames: ['results_raw.csv'],
    });
    expect(fs.readFileSync(original.reportPath, 'utf8')).toBe(plain.md);
    expect(original.gates).toEqual(plain.outcome.gates);
    expect(original.sections).toEqual(plain.outcome.sections);

    expect(named.md).toBe(plain.md.replace(/^## Bench — micro I\/O$/m, '## Bench — micro I/O — on xfs'));
    expect(named.outcome.gates).toEqual(plain.outcome.gates);
  });
});

describe('the environment table', () => {
  it('shows how each fresh file system was made, when the run made any', async () => {
    const made = makeRow('20250101T000000Z-a1a1a1', {
      suite: 'env',
      scenario: 'environment',
      subject: '',
      metric: 'fs_made',
      detail: 'xfs: mkfs.xfs -f /dev/loop3; mount -o defaults; kernel 6.8',
    });
    const { md } = await run('made', [...envRows(), made, ...benchOn('xfs')]);
    expect(md).toContain(
      '| Fresh file systems (--fs) | `xfs: mkfs.xfs -f /dev/loop3; mount -o defaults; kernel 6.8` |',
    );
  });
});
