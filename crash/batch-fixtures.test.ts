/**
 * End to end through the CLI: `writegate crash` on three batch writers (test/fixtures/crash, Python,
 * real fsync and rename under strace), then `writegate analyze` on its rows. The batch that never
 * fsyncs a directory fails power-loss durability only; the batch that renames one file without
 * syncing its data fails atomicity, naming that file; the reference batch passes both, and every
 * batch survives the kills and the injected EIO.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeDetail, METRICS, type ResultRow } from '../core/schema.js';
import { readResultsCsv } from '../core/csv.js';
import { useCliHarness } from '../test/support/cli-harness.js';
import { CRASH_FIXTURES, PYTHON } from '../test/support/crash-harness.js';
import { main } from '../cli/main.js';

const cli = useCliHarness({ prefix: 'wg-crash-batch-', chdir: true });

const WRITERS = {
  'batch-ref': 'batch-reference-writer.py',
  'batch-nodir': 'batch-no-dir-fsync-writer.py',
  'batch-torn': 'batch-torn-writer.py',
} as const;

interface JsonGate {
  id: string;
  instance: string;
  status: string;
}

let rows: ResultRow[] = [];
let gates: JsonGate[] = [];

function failing(subject: string): string[] {
  return [
    ...new Set(gates.filter((gate) => gate.status === 'fail' && gate.instance.startsWith(subject)).map((g) => g.id)),
  ].sort();
}

function rate(subject: string, metric: string): number | null | undefined {
  return rows.find(
    (row) =>
      row.subject === subject && row.scenario === 'batch_power_loss' && row.engine === 'posix' && row.metric === metric,
  )?.value;
}

describe('writegate crash on batch writers, then analyze', () => {
  it('the reference batch passes, the no-directory-fsync batch fails durability, the torn batch atomicity', async () => {
    const args = ['crash'];
    for (const [name, script] of Object.entries(WRITERS)) {
      // The single-file form is the correct writer: only the batch scenarios run here.
      const single = path.join(CRASH_FIXTURES, 'correct-writer.py');
      args.push('--writer-cmd', `${name}=${PYTHON} '${single}' {source} {target}`);
      args.push('--batch-cmd', `${name}=${PYTHON} '${path.join(CRASH_FIXTURES, script)}' {pairs}`);
    }
    args.push('--subjects', Object.keys(WRITERS).join(','));
    args.push('--crash-scenarios', 'batch_power_loss,batch_kill_at_step,batch_inject_error');
    args.push('--sizes', '1KiB', '--out', 'out');
    // Two known-bad batches: the crash command's own verdict fails.
    expect(await main(args), cli.stderr).toBe(1);
    rows = readResultsCsv(path.join(cli.dir, 'out', 'results_raw.csv'));
    cli.clear();
    expect(await main(['analyze', path.join('out', 'results_raw.csv'), '--out', 'analyzed', '--json'])).toBe(1);
    gates = (JSON.parse(cli.stdout) as { gates: JsonGate[] }).gates;

    referencePasses();
    noDirectoryFsyncFailsDurability();
    tornFileFailsAtomicity();
  }, 300_000);
});

function trials(subject: string, scenario: string): number | null | undefined {
  return rows.find((row) => row.subject === subject && row.scenario === scenario && row.metric === METRICS.trials)
    ?.value;
}

/** The reference batch passes every gate: power loss, kills at every step, the injected EIO. */
function referencePasses(): void {
  expect(failing('batch-ref')).toEqual([]);
  expect(rate('batch-ref', METRICS.powerlossAtomicityViolationRate)).toBe(0);
  expect(rate('batch-ref', METRICS.powerlossDurabilityViolationRate)).toBe(0);
  expect(trials('batch-ref', 'batch_kill_at_step')).toBeGreaterThanOrEqual(4);
  expect(trials('batch-ref', 'batch_inject_error')).toBe(1);
}

/** No directory fsynced: power-loss durability fails (and only it), explained by the directory. */
function noDirectoryFsyncFailsDurability(): void {
  expect(failing('batch-nodir')).toEqual(['crash.powerloss_durability']);
  expect(rate('batch-nodir', METRICS.powerlossAtomicityViolationRate)).toBe(0);
  expect(rate('batch-nodir', METRICS.powerlossDurabilityViolationRate)).toBeGreaterThan(0);
  const why = rows
    .filter((row) => row.subject === 'batch-nodir' && row.metric === METRICS.powerlossViolation)
    .map((row) => decodeDetail(METRICS.powerlossViolation, row.detail)?.why ?? '');
  expect(why.some((text) => /the batch's directory batch\/d\d was never fsynced after it/.test(text))).toBe(true);
  // No directory fsync to be killed at: not applicable, never a pass.
  const notApplicable = rows.find(
    (row) =>
      row.subject === 'batch-nodir' && row.scenario === 'batch_kill_at_step' && row.metric === METRICS.notApplicable,
  );
  expect(notApplicable?.detail).toContain('before_dir_fsync');
}

/** The last file renamed without a sync of its data: atomicity fails, and every violation names that file. */
function tornFileFailsAtomicity(): void {
  expect(failing('batch-torn')).toContain('crash.powerloss_atomicity');
  expect(rate('batch-torn', METRICS.powerlossAtomicityViolationRate)).toBeGreaterThan(0);
  const atomicity = rows
    .filter((row) => row.subject === 'batch-torn' && row.metric === METRICS.powerlossViolation)
    .map((row) => decodeDetail(METRICS.powerlossViolation, row.detail))
    .filter((detail) => detail?.check === 'atomicity');
  expect(atomicity.length).toBeGreaterThan(0);
  // The last file of the batch is batch/d1/f3.dat (file i lives in d{i mod 2}).
  for (const detail of atomicity) expect(detail?.why).toContain('the target batch/d1/f3.dat');
}
