/** Metric names and environment keys: what a row's `metric` column may say. */

/**
 * Metric names shared by producers and the analyzer: every metric a suite writes is here, and each
 * has its unit and the schema of its detail in details.ts.
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
  /**
   * bench calibration: one run of the transport's noop (`sample` = order taken), so a reader can tell its spread from
   * the writer's.
   */
  spawnOverheadSample: 'spawn_overhead_sample_ms',
  // bench: per line (subject × mode × size × engine).
  samples: 'samples',
  /**
   * p50 − the noop's p50; empty, with the reason in detail, when the noop is not clearly below the writer
   * (core/stats.ts netLatency).
   */
  latencyNetP50: 'latency_net_p50_ms',
  engineDisagreement: 'engine_disagreement_ratio',
  /**
   * 1 when the target held what each write should have left, read back after writes spread over the run (first, pairs,
   * last); else 0.
   */
  contentOk: 'content_ok',
  /** A write the subject reported as failed; the line's timings are dropped. */
  writeErrors: 'write_errors',
  // bench batch: per subject (mode durable, size = one file's), the two ways of writing N files across K
  // directories: one batch call (`batch_`) and the subject's single write file after file (`per_file_`).
  /** One repetition's wall time for all N files (`sample` = repetition, in the order taken). */
  batchTotalMs: 'batch_total_ms',
  perFileTotalMs: 'per_file_total_ms',
  /** Syncs the traced one-shot made of the batch's files and directories; detail: the batch's shape. */
  batchFsyncCount: 'batch_fsync_count',
  perFileFsyncCount: 'per_file_fsync_count',
  batchRenameCount: 'batch_rename_count',
  perFileRenameCount: 'per_file_rename_count',
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
  /**
   * crash --command-wrapper: per wrapped command × persistence model, 1 when the command run through the
   * wrapper leaves a larger share of violating crash states than the native command (detail: JSON, both shares).
   */
  wrapperCrashParity: 'wrapper_crash_parity',
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
  /**
   * One row per finding (detail: JSON of the finding) and per file read (value: lines; detail: JSON {path, kind,
   * malformed}).
   */
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
/** Every name a row's `metric` column may hold: a suite's metric or an environment key. */
export type MetricName = (typeof METRICS)[keyof typeof METRICS] | EnvKey;
