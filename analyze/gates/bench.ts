import { BENCH_SCENARIOS, METRICS, SUBJECT_ROLES } from '../../core/schema.js';
import type { GateSpec } from '../types.js';

/**
 * Built-in subjects by role (names as core/subjects/builtins declares them). The analyzer reads only
 * CSVs, so it knows them by name: these are yardsticks or comparators, not writers under evaluation.
 */
export const FLOOR = SUBJECT_ROLES.floor;
export const REFERENCE = SUBJECT_ROLES.reference;
export const NATIVE_UNSAFE = SUBJECT_ROLES.nativeUnsafe;
/**
 * Peers whose `unchanged` is a plain durable write (no write-if-changed): holding them to 2 ms would judge a feature
 * they do not claim.
 */
export const WITHOUT_WRITE_IF_CHANGED = [NATIVE_UNSAFE, 'write-file-atomic', 'atomically', 'steno'] as const;
/** steno never fsyncs, so its fast and durable modes are the same code path. */
export const WITHOUT_FAST_MODE = ['steno'] as const;

export const BENCH_SCENARIO = BENCH_SCENARIOS.write;
export const BATCH_SCENARIO = BENCH_SCENARIOS.batch;
/** The batch yardstick that writes file after file on purpose: shown beside the batches, not gated. */
export const BATCH_PER_FILE = SUBJECT_ROLES.batchPerFile;
/**
 * Per batch subject: the traced batch's fsyncs ÷ (files + unique parent directories), the most a batch
 * needs (the batch section derives it from the batch_fsync_count row and its detail).
 */
export const BATCH_FSYNC_RATIO_METRIC = 'batch_fsync_ratio';
/** Per line: 1 when every write succeeded and every read-back of the target matched (the bench section derives it). */
export const WRITES_CORRECT_METRIC = 'writes_correct';
export const KIB = 1024;

/**
 * The micro-I/O targets (the default thresholds and why each is what it is: README, "Default gates").
 * Every gate reads the p50 the analyzer
 * computes from the raw `latency_ms` samples (net of the transport's spawn overhead for per-op
 * command and driver subjects, whose samples include starting a process or a round trip).
 */
export const BENCH_GATES: readonly GateSpec[] = [
  {
    id: 'bench.writes_correct',
    suite: 'bench',
    title: 'writes correct',
    metric: WRITES_CORRECT_METRIC,
    selector: { scenario: [BENCH_SCENARIO] },
    comparison: '==',
    threshold: 1,
    unit: 'count',
    source: 'writegate (timings of wrong writes are no evidence)',
    description:
      'Every timed line wrote what it was asked to: no write reported an error, ' +
      'and the target, read back after writes spread over the run ' +
      '(the first, pairs across it, the last), held what each of those writes ' +
      'should have left (bench checks both). A failing line has no trustworthy ' +
      'timing, so this fails rather than leaving the timing gates without data.',
  },
  {
    id: 'bench.unchanged_p50',
    suite: 'bench',
    title: 'unchanged p50',
    metric: METRICS.latencyP50,
    selector: {
      scenario: [BENCH_SCENARIO],
      mode: ['unchanged'],
      sizes: [1 * KIB, 128 * KIB],
      excludeSubjects: [FLOOR, ...WITHOUT_WRITE_IF_CHANGED],
    },
    comparison: '<',
    threshold: 2,
    unit: 'ms',
    source: 'default target: skipping identical content costs almost nothing',
    description:
      'Writing content identical to the target (write-if-changed skip) takes ' +
      'under 2 ms at p50 for small (1 KiB) and medium (128 KiB) files, ' +
      'for every subject that implements the skip. Not gated: floor (the yardstick) ' +
      'and the peers without write-if-changed ' +
      `(${WITHOUT_WRITE_IF_CHANGED.join(', ')}), whose "unchanged" is an ordinary write.`,
  },
  {
    id: 'bench.durable_vs_reference',
    suite: 'bench',
    title: 'durable p50 vs reference',
    metric: METRICS.latencyP50,
    selector: { scenario: [BENCH_SCENARIO], mode: ['durable'], excludeSubjects: [FLOOR, REFERENCE, NATIVE_UNSAFE] },
    relativeTo: { subject: REFERENCE },
    comparison: '<=',
    threshold: 1.25,
    unit: 'x',
    baseUnit: 'ms',
    source: 'default target: durable safety costs at most 25% over a safe baseline',
    description:
      'A changed durable write costs at most 1.25× the native safe baseline ' +
      '— the reference writer (temp, write, fdatasync, rename, fsync dir) — ' +
      'at the same size, for every subject and size in the input. Only being ' +
      'slower fails. floor (raw syscalls, the lower bound) and ' +
      'native-unsafe (in-place, not atomic) are yardsticks shown in the tables, ' +
      'not gated: a safe writer is not held to them.',
  },
  {
    id: 'bench.fast_vs_durable',
    suite: 'bench',
    title: 'fast vs durable p50',
    metric: METRICS.latencyP50,
    selector: {
      scenario: [BENCH_SCENARIO],
      mode: ['fast'],
      sizes: [1 * KIB],
      excludeSubjects: [FLOOR, NATIVE_UNSAFE, ...WITHOUT_FAST_MODE],
    },
    relativeTo: { mode: 'durable' },
    comparison: '<=',
    threshold: 0.8,
    unit: 'x',
    baseUnit: 'ms',
    source: 'default target: fast mode is noticeably faster than durable',
    description:
      "Fast mode (no syncs) is noticeably faster than the same subject's durable " +
      'mode on small files; writegate reads "noticeably" ' +
      'as at least 20% less time: fast p50 at most 0.8× durable p50 at 1 KiB. ' +
      'On a filesystem where fsync costs nothing (tmpfs) this cannot hold; the ' +
      'environment table shows the filesystem. ' +
      `Not gated: floor and native-unsafe (yardsticks) and ${WITHOUT_FAST_MODE.join(', ')} (no fsync in any mode).`,
  },
  {
    id: 'bench.batch_fsyncs',
    suite: 'bench',
    title: 'batch fsyncs',
    metric: BATCH_FSYNC_RATIO_METRIC,
    selector: { scenario: [BATCH_SCENARIO], excludeSubjects: [BATCH_PER_FILE] },
    comparison: '<=',
    threshold: 1,
    unit: 'x',
    source: 'writegate: a durable batch needs one sync per file and one per unique parent directory',
    description:
      'A batch of files written durably in one call makes at most one fsync per file plus one per unique ' +
      'parent directory (each directory synced once, after its renames), counted by strace on the batch ' +
      "scenario's traced batch (`--scenarios batch`). More means syncs repeated for nothing: a directory " +
      'synced after every file, or a file synced twice. Not gated: ' +
      `${BATCH_PER_FILE} (the yardstick that writes file after file on purpose). Not judged when the ` +
      'strace pass did not run; left out when the batch scenario did not run.',
    leftOutWhenNotRun: true,
  },
];
