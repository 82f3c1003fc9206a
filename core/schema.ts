import { z } from 'zod';

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
 * its skipped row carries it). Within `write`, a line is one subject × mode × size.
 */
export const BENCH_SCENARIOS = { write: 'write', calibration: 'calibration', accounting: 'accounting' } as const;
/** The timing engines bench can sample with, as its rows' `engine` names them. */
export const BENCH_ENGINES = ['tinybench', 'mitata'] as const;
export type BenchEngine = (typeof BENCH_ENGINES)[number];
/** The engine bench samples with by default and whose samples the gates read when several engines timed a line. */
export const PRIMARY_ENGINE: BenchEngine = 'tinybench';
/** crash's scenarios, in run order (crash/cases.ts says what each does). */
export const CRASH_SCENARIOS = ['kill_at_step', 'inject_error', 'fault_point', 'tiny_fs', 'random_kill', 'concurrent', 'power_loss', 'crash_image', 'cas_stale', 'concurrent_cas', 'lock_rev'] as const;
export type CrashScenarioId = (typeof CRASH_SCENARIOS)[number];
/** crash rows about a subject's observed write path (`profile`) or the whole run (`all`), not one scenario. */
export const CRASH_MARKERS = { profile: 'profile', all: 'all' } as const;
/**
 * Built-in subjects other modules treat by their role: the timing floor and the reference writer are
 * yardsticks beside the writers under test, native-unsafe is the known-unsafe yardstick; parity's
 * rows about git itself carry `native`, and its control wrapper (which must score 100%) `passthrough`.
 */
export const SUBJECT_ROLES = { floor: 'floor', reference: 'reference', nativeUnsafe: 'native-unsafe', parityNative: 'native', parityControl: 'passthrough' } as const;
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

/**
 * Metric names shared by producers and the analyzer. A suite may add its own; these are the ones
 * other modules rely on by name.
 */
export const METRICS = {
  latencySample: 'latency_ms',
  latencyP50: 'latency_p50_ms',
  latencyP95: 'latency_p95_ms',
  latencyP99: 'latency_p99_ms',
  throughput: 'throughput_mib_s',
  writeAmplification: 'write_amplification',
  fsyncCount: 'fsync_count',
  renameCount: 'rename_count',
  bytesWritten: 'bytes_written',
  spawnOverhead: 'spawn_overhead_ms',
  /** bench calibration: one run of the transport's noop (`sample` = order taken), so a reader can tell its spread from the writer's. */
  spawnOverheadSample: 'spawn_overhead_sample_ms',
  // bench: per line (subject × mode × size × engine).
  samples: 'samples',
  /** p50 − the noop's p50; empty, with the reason in detail, when the noop is not clearly below the writer (core/stats.ts netLatency). */
  latencyNetP50: 'latency_net_p50_ms',
  engineDisagreement: 'engine_disagreement_ratio',
  /** 1 when the target held what each write should have left, read back after writes spread over the run (first, pairs, last); else 0. */
  contentOk: 'content_ok',
  /** A write the subject reported as failed; the line's timings are dropped. */
  writeErrors: 'write_errors',
  // parity: per case and wrapper (0/1 flags and raw exit codes), per case for native git.
  exitCodeMatch: 'exit_code_match',
  sideEffectMatch: 'side_effect_match',
  stderrSignalMatch: 'stderr_signal_match',
  nativeExitCode: 'native_exit_code',
  wrapperExitCode: 'wrapper_exit_code',
  durationMs: 'duration_ms',
  nativeAsExpected: 'native_as_expected',
  keySignals: 'key_signals',
  commandLine: 'command',
  // parity: per run (scenario `(matrix)`), so analyze knows how much of the matrix ran.
  casesInMatrix: 'cases_in_matrix',
  casesRun: 'cases_run',
  // parity: per wrapper, computed by analyze from the per-case flags.
  exitCodeMatchRate: 'exit_code_match_rate',
  sideEffectMatchRate: 'side_effect_match_rate',
  stderrKeySignalMatchRate: 'stderr_key_signal_match_rate',
  // crash: per subject × scenario × size; rates are over the trials that reached their step.
  trials: 'trials',
  notReached: 'not_reached',
  notReachedRate: 'not_reached_rate',
  notApplicable: 'not_applicable',
  /**
   * crash: per subject × scenario × size that cannot be judged because the trace does not show how
   * the writer reached its files (io_uring, a call the model does not follow); detail is the reason.
   * Never a pass, never a fail: analyze counts it apart.
   */
  notJudged: 'not_judged',
  corruptionRate: 'corruption_rate',
  orphanTempRate: 'orphan_temp_rate',
  falseSuccessRate: 'false_success_rate',
  recoveryRate: 'recovery_rate',
  staleTempRate: 'stale_temp_rate',
  tempAfterKillRate: 'temp_after_kill_rate',
  conflictDetectedRate: 'conflict_detected_rate',
  killLandedRate: 'kill_landed_rate',
  finalRev: 'final_rev',
  lostUpdateRate: 'lost_update_rate',
  /** lock_rev: the slowest worker's wall time over all its locked increments. */
  msPerWrite: 'ms_per_write',
  // crash power_loss: per subject × size × persistence model (the model in `engine`).
  powerlossStates: 'powerloss_states',
  powerlossAtomicityViolationRate: 'powerloss_atomicity_violation_rate',
  powerlossDurabilityViolationRate: 'powerloss_durability_violation_rate',
  powerlossCheckerViolationRate: 'powerloss_checker_violation_rate',
  /** One row per explained violation (detail: `check=…; after=…; held=…; why=…`). */
  powerlossViolation: 'powerloss_violation',
  // crash crash_image (with --fs): per subject × size × fs, real crash images of the device taken with
  // the writer frozen at each aimed point and right after it exited; the model in `engine`.
  imageStates: 'image_states',
  imageAtomicityViolationRate: 'image_atomicity_violation_rate',
  imageDurabilityViolationRate: 'image_durability_violation_rate',
  /** Images whose target the file system's persistence model does not allow: a defect of the model. */
  imageUnsoundStates: 'image_unsound_states',
  /** One row per image (detail: JSON, imageObservationSchema). */
  imageObservation: 'image_observation',
  // crash: per subject, from two fault-free traces in two directories: 1 when its temp file had the
  // same name in both (two writers of one target would share it), else 0; detail names the temp.
  fixedTempName: 'fixed_temp_name',
  // crash: per subject, from every traced run: how many files outside its trial's directory and
  // $TMPDIR it created, wrote, renamed or removed (a writer must not touch files it was not given);
  // detail names them.
  writesOutside: 'writes_outside',
  // crash: per subject × size, concurrent rounds that ran without the writers being held so they
  // overlap (no strace, or no call to hold them at); detail says why.
  overlapNotForced: 'overlap_not_forced',
  // crash: one row per failing or not-reached trial (detail says which), per subject's observed
  // syscall sequence, per skipped scenario, and the run's pace.
  failedTrial: 'failed_trial',
  notReachedTrial: 'not_reached_trial',
  syscallProfile: 'syscall_profile',
  skipped: 'skipped',
  trialsPerSecond: 'trials_per_second',
  wallSeconds: 'wall_seconds',
  // parity: per wrapper (scenario `(matrix)`), the template as configured, so a join by prefix can find it.
  wrapperTemplate: 'wrapper_template',
  // hook policy run: per hook × env set, scenario `policy` (subject = hook, mode = env set). Rates are
  // over cases (a case counts when either of its two calls did it); the value is empty when no case
  // of that kind ran, and the detail says k/n.
  hookCommand: 'hook_command',
  hookEnvVars: 'hook_env',
  hookCorpusCases: 'corpus_cases',
  hookCases: 'cases',
  hookCalls: 'calls',
  mutatingRewriteRate: 'mutating_rewrite_rate',
  readOnlyRewriteRate: 'read_only_rewrite_rate',
  unknownRewriteRate: 'unknown_rewrite_rate',
  argsPreservedRate: 'args_preserved_rate',
  translatedRewrites: 'translated_rewrites',
  invalidOutputRate: 'invalid_output_rate',
  blockedRate: 'blocked_rate',
  deterministicRate: 'deterministic_rate',
  hookLatencyP50: 'hook_latency_p50_ms',
  hookLatencyP95: 'hook_latency_p95_ms',
  /**
   * The floor timed beside the hook's latency, in the same pass: a no-op on the hook's runtime
   * (hook/floor.ts). Runtime and command in `detail`; p50/p95 empty, with why in `detail`, when
   * there is none (a runtime writegate cannot name, or a no-op that did not pass the call through).
   */
  hookFloorRuntime: 'hook_floor_runtime',
  hookFloorCommand: 'hook_floor_command',
  hookFloorSamples: 'hook_floor_samples',
  hookFloorP50: 'hook_floor_p50_ms',
  hookFloorP95: 'hook_floor_p95_ms',
  /** One row per wrapper prefix the hook rewrote to (detail: the prefix, e.g. `mytool git`; value: cases). */
  rewritePrefix: 'rewrite_prefix',
  // hook policy run: one row per case and fault (scenario = case id); detail is a JSON object
  // {command, class, returned, why} so commands with quotes and semicolons survive intact.
  mutatingRewrite: 'mutating_rewrite',
  argsLost: 'args_lost',
  invalidOutput: 'invalid_output',
  nondeterministic: 'nondeterministic',
  blockedCommand: 'blocked_command',
  translatedRewrite: 'translated_rewrite',
  // hook audit of recorded sessions: scenario `audit`, subject `sessions`.
  auditBashCalls: 'bash_calls',
  auditJoinedCalls: 'joined_calls',
  rewrittenCalls: 'rewritten_calls',
  rewrittenRetries: 'rewritten_retries',
  rewrittenFailures: 'rewritten_failures',
  nativeCalls: 'native_calls',
  nativeRetries: 'native_retries',
  nativeFailures: 'native_failures',
  postRewriteRetryRate: 'post_rewrite_retry_rate',
  postRewriteFailureRate: 'post_rewrite_failure_rate',
  nativeRetryRate: 'native_retry_rate',
  nativeFailureRate: 'native_failure_rate',
  /** Per command class (mode = class): Bash calls seen, and how many of them were rewritten. */
  auditClassCalls: 'class_calls',
  auditClassRewritten: 'class_rewritten',
  /** One row per finding (detail: JSON of the finding) and per file read (value: lines; detail: JSON {path, kind, malformed}). */
  auditFinding: 'audit_finding',
  auditFile: 'audit_file',
  // hook audit: computed by analyze (one-sided exact test, rewritten above native).
  postRewriteRetryPValue: 'post_rewrite_retry_p_value',
  postRewriteFailurePValue: 'post_rewrite_failure_p_value',
} as const;

/** Environment keys, written as `suite=env` rows (metric = key, detail = value) and to results_env.txt. */
export const ENV_KEYS = [
  'time',
  'profile',
  'writegate_version',
  'commit',
  'repo_commit',
  'subject_versions',
  'node',
  'os',
  'kernel',
  'cpu_model',
  'cpu_count',
  'memory_gib',
  'fs_type',
  'fs_made',
  'git',
  'strace',
  'machine_class',
  'ci',
] as const;
export type EnvKey = (typeof ENV_KEYS)[number];
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
export const FS_PERSISTENCE_MODEL: Readonly<Record<FreshFileSystem, PersistenceModelId>> = { ext4: 'ext4-ordered', xfs: 'xfs', btrfs: 'btrfs', tmpfs: 'tmpfs' };
export const CONSERVATIVE_MODEL: PersistenceModelId = 'posix';

/** The persistence model that judges rows on `fs` (a row's `fs` column). */
export function judgingModel(fs: string): PersistenceModelId {
  return (FS_PERSISTENCE_MODEL as Record<string, PersistenceModelId>)[fs] ?? CONSERVATIVE_MODEL;
}

/** What a crash image's target held: the contents the check knows, or neither. */
export const IMAGE_HELD = ['old', 'new', 'missing', 'other'] as const;
export type ImageHeld = (typeof IMAGE_HELD)[number];

/** The detail of one `image_observation` row: one real crash image, observed beside what the model allows. */
export const imageObservationSchema = z.object({
  /** Where the writer was frozen ('exit' = right after it exited 0), and the call it had just made. */
  point: z.string(),
  after: z.string(),
  held: z.enum(IMAGE_HELD),
  /** What the file system's model allows the target to hold at that point. */
  allowed: z.array(z.enum(IMAGE_HELD)),
  unsound: z.boolean(),
  /** Leftover names in the target's directory besides the target. */
  leftovers: z.array(z.string()),
  /** The user's checker on the image: true = consistent; absent when none was given. */
  checker: z.boolean().optional(),
  /** Where the image was kept for a person to inspect (an unsound one, under --out). */
  kept: z.string().optional(),
});
export type ImageObservation = z.infer<typeof imageObservationSchema>;

export function encodeImageObservation(observation: ImageObservation): string {
  return JSON.stringify(imageObservationSchema.parse(observation));
}

/** The parsed detail, or undefined when it is not one (a hand-edited file). */
export function decodeImageObservation(detail: string): ImageObservation | undefined {
  try {
    const parsed = imageObservationSchema.safeParse(JSON.parse(detail));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
