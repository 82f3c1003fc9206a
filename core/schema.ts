import { z } from 'zod';
import type { EnvKey } from './schema/metrics.js';

export { METRICS, ENV_KEYS, type EnvKey, type MetricName } from './schema/metrics.js';
export * from './schema/details.js';

/**
 * The one row type every suite writes and `analyze` reads: long format, one measurement per row.
 * `value` is empty only for rows whose meaning is in `detail` (the environment record, trial notes).
 */
export const RESULT_COLUMNS = [
  'run_id',
  'suite',
  'scenario',
  'subject',
  'mode',
  'size_bytes',
  'metric',
  'value',
  'unit',
  'sample',
  'engine',
  'detail',
  'fs',
] as const;
export type ResultColumn = (typeof RESULT_COLUMNS)[number];
/**
 * Columns a results file written before they existed may lack: read as empty. `fs` names the file
 * system a run made fresh for the row (`--fs`); empty means the workspace's own, which the
 * environment's `fs_type` names.
 */
export const OPTIONAL_COLUMNS: readonly ResultColumn[] = ['fs'];

/** The files a run writes into `--out`. */
export const RESULTS_CSV = 'results_raw.csv';
export const RESULTS_ENV = 'results_env.txt';
export const RESULTS_MD = 'RESULTS.md';
/** The analyzer's trend figures, beside RESULTS.md. */
export const TREND_JSON = 'trend.json';

export const SUITES = ['env', 'bench', 'crash', 'parity', 'hook'] as const;

/**
 * bench's scenarios: timed writes, the transport's overhead calibration, and the strace accounting (only
 * its skipped row carries it). Within `write`, a line is one subject × mode × size. `batch`: N files
 * across K directories, one batch call against the single write file after file (`--scenarios batch`).
 */
export const BENCH_SCENARIOS = {
  write: 'write',
  calibration: 'calibration',
  accounting: 'accounting',
  batch: 'batch',
} as const;
/** The timing engines bench can sample with, as its rows' `engine` names them. */
export const BENCH_ENGINES = ['tinybench', 'mitata'] as const;
export type BenchEngine = (typeof BENCH_ENGINES)[number];
/** The engine bench samples with by default and whose samples the gates read when several engines timed a line. */
export const PRIMARY_ENGINE: BenchEngine = 'tinybench';
/** crash's scenarios, in run order (crash/cases.ts says what each does). */
export const CRASH_SCENARIOS = [
  'kill_at_step',
  'inject_error',
  'fault_point',
  'tiny_fs',
  'random_kill',
  'concurrent',
  'power_loss',
  'crash_image',
  'cas_stale',
  'concurrent_cas',
  'lock_rev',
  'batch_kill_at_step',
  'batch_inject_error',
  'batch_power_loss',
] as const;
/** The scenarios of writers' batch forms: run only when asked for, or when a writer was given one (crash/plan.ts). */
export const BATCH_CRASH_SCENARIOS = ['batch_kill_at_step', 'batch_inject_error', 'batch_power_loss'] as const;
export type CrashScenarioId = (typeof CRASH_SCENARIOS)[number];
/** crash rows about a subject's observed write path (`profile`) or the whole run (`all`), not one scenario. */
export const CRASH_MARKERS = { profile: 'profile', all: 'all' } as const;
/**
 * Built-in subjects other modules treat by their role: the timing floor and the reference writer are
 * yardsticks beside the writers under test, native-unsafe is the known-unsafe yardstick; parity's
 * rows about git itself carry `native`, and its control wrapper (which must score 100%) `passthrough`.
 */
export const SUBJECT_ROLES = {
  floor: 'floor',
  reference: 'reference',
  nativeUnsafe: 'native-unsafe',
  /** The batch yardstick: the reference's single write file after file, so it does not batch on purpose. */
  batchPerFile: 'reference-per-file',
  parityNative: 'native',
  parityControl: 'passthrough',
} as const;
/** parity's per-run rows (how much of the matrix ran) carry this scenario, not a case id. */
export const PARITY_MATRIX_SCENARIO = '(matrix)';
/**
 * hook's scenarios: `policy` carries the per hook × env set figures of the policy run, `audit` the
 * figures of recorded sessions; a row about one command carries its case id instead.
 */
export const HOOK_SCENARIOS = { policy: 'policy', audit: 'audit' } as const;
/** The env set a hook runs in when no opt-in variable is set: the one the mutating-rewrite gate judges. */
export const HOOK_DEFAULT_ENV_SET = 'default';
/** The subject of the audit's rows: recorded sessions, not one hook. */
export const HOOK_AUDIT_SUBJECT = 'sessions';
export type SuiteName = (typeof SUITES)[number];

export const resultRowSchema = z.object({
  run_id: z.string().min(1),
  suite: z.enum(SUITES),
  scenario: z.string(),
  subject: z.string(),
  mode: z.string(),
  size_bytes: z.number().int().nonnegative().nullable(),
  metric: z.string().min(1),
  value: z.number().nullable(),
  unit: z.string(),
  sample: z.number().int().nonnegative().nullable(),
  engine: z.string(),
  detail: z.string(),
  fs: z.string(),
});
export type ResultRow = z.infer<typeof resultRowSchema>;

/** A row as a suite builds it: the optional columns default to empty. */
export type RowInput = Pick<ResultRow, 'suite' | 'scenario' | 'subject' | 'metric'> &
  Partial<Omit<ResultRow, 'suite' | 'scenario' | 'subject' | 'metric'>>;

export function makeRow(runId: string, input: RowInput): ResultRow {
  return {
    run_id: runId,
    suite: input.suite,
    scenario: input.scenario,
    subject: input.subject,
    mode: input.mode ?? '',
    size_bytes: input.size_bytes ?? null,
    metric: input.metric,
    value: input.value ?? null,
    unit: input.unit ?? '',
    sample: input.sample ?? null,
    engine: input.engine ?? '',
    detail: input.detail ?? '',
    fs: input.fs ?? '',
  };
}

export type EnvRecord = Partial<Record<EnvKey, string>>;

export function envFromRows(rows: readonly ResultRow[]): Map<string, EnvRecord> {
  const byRun = new Map<string, EnvRecord>();
  for (const row of rows) {
    if (row.suite !== 'env') continue;
    const record = byRun.get(row.run_id) ?? {};
    record[row.metric as EnvKey] = row.detail;
    byRun.set(row.run_id, record);
  }
  return byRun;
}

/** The file systems a run can make fresh (`--fs`), in the order a list of them runs. */
export const FRESH_FILE_SYSTEMS = ['ext4', 'xfs', 'btrfs', 'tmpfs'] as const;
export type FreshFileSystem = (typeof FRESH_FILE_SYSTEMS)[number];

/** The scenario of a suite's `skipped` row saying a file system asked for was not made (--skip-unavailable). */
export const FS_SKIPPED_SCENARIO = 'fs';

/** crash power_loss's persistence models (the `engine` of its rows). */
export const PERSISTENCE_MODELS = ['posix', 'ext4-ordered', 'xfs', 'btrfs', 'tmpfs'] as const;
export type PersistenceModelId = (typeof PERSISTENCE_MODELS)[number];
/**
 * The model that judges a row made on a fresh file system; rows on the workspace's own file system
 * (empty `fs`) are judged by `posix`, the conservative one.
 */
export const FS_PERSISTENCE_MODEL: Readonly<Record<FreshFileSystem, PersistenceModelId>> = {
  ext4: 'ext4-ordered',
  xfs: 'xfs',
  btrfs: 'btrfs',
  tmpfs: 'tmpfs',
};
export const CONSERVATIVE_MODEL: PersistenceModelId = 'posix';

/** The persistence model that judges rows on `fs` (a row's `fs` column). */
export function judgingModel(fs: string): PersistenceModelId {
  return (FS_PERSISTENCE_MODEL as Record<string, PersistenceModelId>)[fs] ?? CONSERVATIVE_MODEL;
}
