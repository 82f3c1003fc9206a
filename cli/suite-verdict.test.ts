/**
 * A suite command ends with the verdict of its own gates on its own rows: its figures, the verdict
 * line, exit 1 when a gate fails. End to end on real writers, kept small (1 KiB, a few samples).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../core/self-script.js';
import { straceAvailable } from '../core/tools.js';
import { CRASH_FIXTURES, PYTHON } from '../test/support/crash-harness.js';
import { useCliHarness } from '../test/support/cli-harness.js';
import { main } from './main.js';

const cli = useCliHarness({ prefix: 'wg-suite-verdict-', chdir: true });

const BATCH_WRITER = path.join(packageRoot, 'test', 'fixtures', 'bench', 'batch-writer.py');
const SMALL_BENCH = ['--sizes', '1KiB', '--modes', 'durable', '--samples', '3', '--trace-writes', '0', '--out', 'out'];

/** A writer that says why it fails, on stderr, and exits 3. */
function loudFailingWriter(): string {
  const file = path.join(cli.dir, 'loud-writer.sh');
  fs.writeFileSync(file, '#!/bin/sh\necho "cannot write $2: disk on fire" >&2\nexit 3\n', { mode: 0o755 });
  return file;
}

describe('bench judges its own rows', () => {
  it('a writer whose writes fail fails the run, named with its exit code and its stderr', async () => {
    const loud = loudFailingWriter();
    const code = await main([
      'bench',
      '--writer-cmd',
      'f=/bin/false {source} {target}',
      '--writer-cmd',
      `loud=${loud} {source} {target}`,
      '--subjects',
      'f,loud',
      ...SMALL_BENCH,
    ]);
    expect(code, cli.stderr).toBe(1);
    expect(cli.stderr).toMatch(/^FAIL: /m);
    expect(cli.stderr).toMatch(/failed bench\.writes_correct: f · (durable · )?1 KiB: .*exit 1, nothing on stderr/);
    expect(cli.stderr).toMatch(
      /failed bench\.writes_correct: loud · (durable · )?1 KiB: .*exit 3: cannot write \S+: disk on fire/,
    );
    // The table shows the failed writers without a timing, beside the yardsticks that have one.
    expect(cli.stderr).toMatch(/^ {2}f +1 KiB +durable +— +— +— +no timing; failed: writes correct$/m);
    expect(cli.stderr).toMatch(/^ {2}reference +1 KiB +durable +\d[\d.]* +\d[\d.]* +\d[\d.]*$/m);
    expect(fs.existsSync(path.join(cli.dir, 'out', 'RESULTS.md'))).toBe(true);
  }, 60_000);

  it('a passing run prints p50 and p95 in ms for each writer, then PASS, and exits 0', async () => {
    const code = await main(['bench', '--subjects', 'reference', ...SMALL_BENCH]);
    expect(code, cli.stderr).toBe(0);
    expect(cli.stderr).toMatch(/^ {2}writer +size +mode +p50 ms +p95 ms +MiB\/s$/m);
    for (const writer of ['floor', 'reference'])
      expect(cli.stderr).toMatch(
        new RegExp(`^ {2}${writer} +1 KiB +durable +\\d[\\d.]* +\\d[\\d.]* +\\d[\\d.]*$`, 'm'),
      );
    expect(cli.stderr).toMatch(/^PASS: \d+ pass, 0 fail, .*; report: .*RESULTS\.md$/m);
  }, 60_000);

  it('--no-verdict only measures: the rows line, no verdict, exit 0, even for a failing writer', async () => {
    const code = await main([
      'bench',
      '--writer-cmd',
      'f=/bin/false {source} {target}',
      '--subjects',
      'f',
      '--no-verdict',
      ...SMALL_BENCH,
    ]);
    expect(code, cli.stderr).toBe(0);
    expect(cli.stderr).toMatch(/^bench: \d+ rows → .*results_raw\.csv$/m);
    expect(cli.stderr).not.toMatch(/^(PASS|FAIL): /m);
    expect(cli.stderr).not.toContain('p50 ms');
    expect(fs.existsSync(path.join(cli.dir, 'out', 'results_raw.csv'))).toBe(true);
    expect(fs.existsSync(path.join(cli.dir, 'out', 'RESULTS.md'))).toBe(false);
  }, 60_000);

  it('--no-verdict with --readiness is refused: readiness is a verdict', async () => {
    expect(await main(['parity', '--readiness', '--no-verdict', '--out', 'out'])).toBe(2);
    expect(cli.stderr).toMatch(/^writegate: --no-verdict: --readiness is a verdict/);
    expect(fs.existsSync(path.join(cli.dir, 'out'))).toBe(false);
  });
});

describe('crash judges its own rows', () => {
  it('a writer that rewrites its target in place: its failed gate per writer, FAIL, exit 1', async () => {
    const writer = `bad=${PYTHON} '${path.join(CRASH_FIXTURES, 'in-place-writer.py')}' {source} {target}`;
    const code = await main([
      'crash',
      '--writer-cmd',
      writer,
      '--subjects',
      'bad',
      '--sizes',
      '1KiB',
      '--crash-scenarios',
      'kill_at_step',
      '--out',
      'out',
    ]);
    expect(code, cli.stderr).toBe(1);
    expect(cli.stderr).toMatch(/^ {2}bad +failed crash\.corruption$/m);
    expect(cli.stderr).toMatch(/^ {2}reference +all gates pass$/m);
    expect(cli.stderr).toMatch(/^FAIL: /m);
    expect(cli.stderr).toMatch(/^ {2}failed crash\.corruption: bad · 1 KiB: /m);
  }, 120_000);
});

// The batch fsync gate through the CLI, on real writers under strace: a known-bad batch (every directory
// synced again after every file) fails with its counts; the reference's and a correct command batch pass.
describe.skipIf(!straceAvailable())('bench --scenarios batch judges every batch by its fsyncs', () => {
  it('fails the batch that syncs every directory after every file, passes the reference and a correct one', async () => {
    const writer = (name: string, form: string) => [
      ...['--writer-cmd', `${name}=${PYTHON} ${BATCH_WRITER} single {source} {target}`],
      ...['--batch-cmd', `${name}=${PYTHON} ${BATCH_WRITER} ${form} {pairs}`],
    ];
    const code = await main([
      'bench',
      ...['--scenarios', 'batch', '--batch-files', '12', '--batch-dirs', '3', '--samples', '3'],
      ...writer('dir-every-file', 'batch-dir-every-file'),
      ...writer('good', 'batch'),
      ...['--out', 'out', '--json'],
    ]);
    expect(code, cli.stderr).toBe(1);
    type Gate = { id: string; subject?: string; status: string; detail: string };
    const gates = (JSON.parse(cli.stdout) as { gates: Gate[] }).gates;
    const batchGate = (subject: string) => gates.find((g) => g.id === 'bench.batch_fsyncs' && g.subject === subject);
    expect(batchGate('dir-every-file')?.status).toBe('fail');
    // 12 files × (the file + 3 directories) = 48 syncs, where 12 files + 3 directories need 15.
    expect(batchGate('dir-every-file')?.detail).toMatch(
      /^dir-every-file · 1 KiB: 3\.20×, needs ≤ 1× \(48 fsyncs for 12 files \+ 3 parent directories \(at most 15\)/,
    );
    expect(batchGate('reference')?.status).toBe('pass');
    expect(batchGate('good')?.status).toBe('pass');
    // The per-file yardstick is shown, not gated; the write scenario did not run, so nothing of it passes.
    expect(batchGate('reference-per-file')).toBeUndefined();
    expect(gates.filter((g) => g.id === 'bench.writes_correct').map((g) => g.status)).toEqual(['no_data']);
    // The command's own figures: each writer's two ways, counted by strace.
    type BatchLine = { writer: string; way: string; fsync_count: number | null; dir_fsync_count: number | null };
    const [part] = (JSON.parse(cli.stdout) as { summary: { parts: { batch?: BatchLine[] }[] } }).summary.parts;
    const counts = (writer: string, way: string) => {
      const line = part?.batch?.find((l) => l.writer === writer && l.way === way);
      return [line?.fsync_count, line?.dir_fsync_count];
    };
    expect(counts('reference', 'batch')).toEqual([15, 3]);
    expect(counts('good', 'batch')).toEqual([15, 3]);
    expect(counts('dir-every-file', 'batch')).toEqual([48, 36]);
    expect(counts('reference-per-file', 'batch')).toEqual([24, 12]);
    expect(counts('reference', 'per_file')).toEqual([24, 12]);
    const report = fs.readFileSync(path.join(cli.dir, 'out', 'RESULTS.md'), 'utf8');
    expect(report).toMatch(/### batch · many files in one call/);
    expect(report).toMatch(/\| `reference-per-file` \| single write, file after file \|/);
  }, 180_000);
});
