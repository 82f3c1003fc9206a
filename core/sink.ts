import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { readResultsCsv, rowsToCsv } from './csv.js';
import { InputError } from './errors.js';
import { ENV_RUN_ID_KEY } from './results-pair.js';
import {
  ENV_KEYS,
  envFromRows,
  makeRow,
  rowContractProblem,
  RESULTS_CSV,
  RESULTS_ENV,
  type EnvRecord,
  type ResultRow,
  type RowInput,
  type SuiteName,
} from './schema.js';
import { OutputCommit } from './out-commit.js';

export { RESULTS_CSV, RESULTS_ENV, RESULTS_MD } from './schema.js';

export function newRunId(now = new Date()): string {
  return `${now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;
}

/** Collects one run's rows in memory; nothing reaches disk until `commitResults`. */
export class RowSink {
  readonly runId: string;
  private readonly collected: ResultRow[];
  /** The fresh file system every row added through this sink was made on (`--fs`); '' for the workspace's own. */
  readonly fs: string;

  constructor(runId = newRunId(), collected: ResultRow[] = [], fs = '') {
    this.runId = runId;
    this.collected = collected;
    this.fs = fs;
  }

  /** The same run's rows, each added through the returned sink marked as made on `fs`. */
  onFileSystem(fs: string): RowSink {
    return new RowSink(this.runId, this.collected, fs);
  }

  /** Refuses a row outside the CSV contract (core/schema/details.ts): a suite's bug, caught before it is written. */
  add(input: RowInput): void {
    const row = makeRow(this.runId, this.fs ? { ...input, fs: this.fs } : input);
    const problem = rowContractProblem(row);
    if (problem) throw new Error(`${row.suite} wrote a row outside the CSV contract: ${problem}`);
    this.collected.push(row);
  }

  addAll(inputs: Iterable<RowInput>): void {
    for (const input of inputs) this.add(input);
  }

  get rows(): readonly ResultRow[] {
    return this.collected;
  }
}

export function envRows(runId: string, env: EnvRecord): ResultRow[] {
  return ENV_KEYS.filter((key) => env[key] !== undefined).map((key) =>
    makeRow(runId, { suite: 'env', scenario: 'environment', subject: '', metric: key, detail: env[key] ?? '' }),
  );
}

/** results_env.txt: `run_id=<run>` first (what pairs it with the CSV, core/results-pair.ts), then the keys. */
export function formatEnvText(runId: string, env: EnvRecord): string {
  return `${ENV_RUN_ID_KEY}=${runId}\n${ENV_KEYS.filter((key) => env[key] !== undefined)
    .map((key) => `${key}=${env[key]}\n`)
    .join('')}`;
}

/** results_env.txt rebuilt from a CSV's own env rows for `runId`. */
export function formatEnvFromRows(runId: string, rows: readonly ResultRow[]): string {
  return formatEnvText(runId, envFromRows(rows).get(runId) ?? {});
}

/**
 * Writes this run's rows into `<out>/results_raw.csv`, replacing earlier rows of the same suites
 * and keeping other suites' rows, so `writegate bench` then `writegate crash` build one file.
 * Every file is written with the reference writer: a killed run never leaves a torn results file.
 * The CSV is written first and is the commit point; results_env.txt follows and names the same run
 * id, so a kill between the two is detectable and repaired by the next run (core/results-pair.ts).
 */
export function commitResults(
  outDir: string,
  suites: readonly SuiteName[],
  rows: readonly ResultRow[],
  env: EnvRecord,
): string {
  const commit = new OutputCommit();
  try {
    const { csvPath } = stageResults(commit, outDir, suites, rows, env);
    commit.commit();
    return csvPath;
  } finally {
    void commit.dispose();
  }
}

/**
 * The results pair as `commitResults` would write it, staged in `commit` (CSV first, then the env
 * file): where it will land, and the staged CSV to read until the commit.
 */
export function stageResults(
  commit: OutputCommit,
  outDir: string,
  suites: readonly SuiteName[],
  rows: readonly ResultRow[],
  env: EnvRecord,
): { csvPath: string; stagedCsv: string } {
  const csvPath = path.join(outDir, RESULTS_CSV);
  const runId = rows[0]?.run_id ?? newRunId();
  let kept: ResultRow[] = [];
  if (fs.existsSync(csvPath)) {
    let previous: ResultRow[];
    try {
      previous = readResultsCsv(csvPath);
    } catch (error) {
      throw new InputError(
        `${csvPath} exists but is not a writegate results file (${(error as Error).message}); ` +
          `move it away or pick another --out`,
      );
    }
    kept = previous.filter((row) => row.suite !== 'env' && !suites.includes(row.suite));
    const keptRuns = new Set(kept.map((row) => row.run_id));
    kept.push(...previous.filter((row) => row.suite === 'env' && keptRuns.has(row.run_id) && row.run_id !== runId));
  }
  const all = [...envRows(runId, env), ...kept, ...rows];
  const stagedCsv = commit.file(csvPath, rowsToCsv(all));
  commit.file(path.join(outDir, RESULTS_ENV), formatEnvText(runId, env));
  return { csvPath, stagedCsv };
}
