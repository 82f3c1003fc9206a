import fs from 'node:fs';
import path from 'node:path';
import { quote } from 'shell-quote';
import { PROBE } from '../../analyze/regression/validation-report.js';
import type { SeriesKey } from '../../analyze/regression/keys.js';
import { METRICS, type ResultRow } from '../../core/schema.js';
import { selfScriptArgv } from '../../core/self-script.js';
import { percentile } from '../../core/stats.js';
import type { Workspace } from '../../core/workspace.js';
import { benchInOwnProcess } from '../bench-process.js';
import type { Settings } from './settings.js';

/** The slowed probe's driver, run as a self script (bundled once per validate-gate run from source). */
export const PROBE_DRIVER = 'cli/validate-gate/slowed-probe.ts';

/** One bench run in its own process, as CI runs it; returns its rows. */
export async function benchRun(
  settings: Settings,
  workspace: Workspace,
  label: string,
  driverArgs: string[],
): Promise<ResultRow[]> {
  const dir = workspace.dir('runs', label);
  const config = path.join(dir, 'writegate.config.json');
  const driver = quote(selfScriptArgv(PROBE_DRIVER, ['--writer', settings.subject, ...driverArgs]));
  fs.writeFileSync(config, JSON.stringify({ writers: { [PROBE]: { driver } } }));
  return benchInOwnProcess('validate-gate', label, dir, [
    '--config',
    config,
    '--subjects',
    PROBE,
    '--sizes',
    String(settings.sizeBytes),
    '--modes',
    settings.mode,
    '--samples',
    String(settings.samples),
    '--trace-writes',
    '0',
    '--profile',
    'quick',
  ]);
}

/** The driver's round trip as the bench calibrated it in these runs (median; 0 when none was recorded). */
export function transportOverhead(rows: readonly ResultRow[]): number {
  const values = rows
    .filter((r) => r.metric === METRICS.spawnOverhead && r.subject === PROBE && r.value !== null)
    .map((r) => r.value as number);
  return values.length ? percentile(values, 50) : 0;
}

export function probeP50(rows: readonly ResultRow[], key: SeriesKey): number {
  const figure = rows.find(
    (row) =>
      row.metric === METRICS.latencyP50 &&
      row.sample === null &&
      row.subject === PROBE &&
      row.mode === key.mode &&
      row.size_bytes === key.size_bytes,
  );
  if (!figure || figure.value === null)
    throw new Error(`validate-gate: the calibration run has no ${PROBE} p50 for ${key.mode} ${key.size_bytes} B`);
  return figure.value;
}
