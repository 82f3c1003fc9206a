import fs from 'node:fs';
import path from 'node:path';
import { RESULTS_ENV } from './schema.js';

/**
 * How `results_raw.csv` and `results_env.txt` stay a pair. They are two files and cannot be renamed
 * into place as one step, so the CSV is the commit point: `commitResults` writes the CSV first (its
 * first rows are the committing run's `suite=env` rows) and then `results_env.txt`, whose first line
 * is `run_id=<that run>`. A kill between the two leaves an env file naming another run; readers check
 * the ids (`pairMismatch`), `analyze` flags a mismatch, and the next run's start rewrites the env file
 * from the CSV's own env rows (core/sweep.ts), so a new CSV is never read with an old environment.
 */
export const ENV_RUN_ID_KEY = 'run_id';

/** The run id named by an env file's `run_id=` line; undefined when absent (older files). */
export function envFileRunId(text: string): string | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${ENV_RUN_ID_KEY}=`));
  return line?.slice(ENV_RUN_ID_KEY.length + 1).trim() || undefined;
}

/**
 * The run that last committed a results CSV: the run id of its first data row. Reads only the head of
 * the file; run ids never hold commas or quotes.
 */
export function csvCommitRunId(csvPath: string): string | undefined {
  let head: string;
  const fd = fs.openSync(csvPath, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    head = buffer.subarray(0, fs.readSync(fd, buffer, 0, buffer.length, 0)).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
  const [header, first] = head.replace(/^\uFEFF/, '').split(/\r?\n/);
  const column = header?.split(',').indexOf('run_id') ?? -1;
  if (column < 0 || !first) return undefined;
  return first.split(',')[column]?.replace(/^"|"$/g, '') || undefined;
}

export interface PairMismatch {
  csvPath: string;
  envPath: string;
  csvRunId: string | undefined;
  envRunId: string | undefined;
}

/**
 * A `results_env.txt` beside `csvPath` that does not describe the run that last wrote the CSV, or
 * undefined when they agree (or there is no env file to disagree).
 */
export function pairMismatch(csvPath: string): PairMismatch | undefined {
  const envPath = path.join(path.dirname(csvPath), RESULTS_ENV);
  let envText: string;
  try {
    envText = fs.readFileSync(envPath, 'utf8');
  } catch {
    return undefined;
  }
  let csvRunId: string | undefined;
  try {
    csvRunId = csvCommitRunId(csvPath);
  } catch {
    return undefined; // The CSV loader reports an unreadable CSV itself.
  }
  const envRunId = envFileRunId(envText);
  return csvRunId !== undefined && envRunId === csvRunId ? undefined : { csvPath, envPath, csvRunId, envRunId };
}
