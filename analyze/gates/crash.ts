import { METRICS, type CrashScenarioId, type FreshFileSystem } from '../../core/schema.js';
import type { ConfiguredBy, GateSpec } from '../types.js';
import { FLOOR, NATIVE_UNSAFE } from './bench.js';

/**
 * Not gated by default: floor (a timing baseline with no cleanup; crash does not even run it) and
 * native-unsafe (writes in place by design: the yardstick that shows what a torn file looks like).
 * The npm peers, the reference writer and every user writer are gated alike.
 */
export const CRASH_YARDSTICKS = [FLOOR, NATIVE_UNSAFE] as const;

const NO_DAMAGE = 'default target: no crash ever leaves a damaged target';
const POWER_LOSS_SOURCE = 'ALICE (OSDI 2014): crash states from the trace under a persistence model';
const IMAGE_SOURCE =
  'real crash images: the writer frozen at each step and right after it exits, the device copied and mounted';

/**
 * On tmpfs a power loss empties the file system: no success there can be durable, so durability is shown, not gated.
 */
const TMPFS: FreshFileSystem = 'tmpfs';
const NOT_DURABLE_ON_TMPFS = {
  fs: [TMPFS],
  reason: 'a power loss empties a tmpfs, so no write on it survives one, whatever the writer does',
};

/** A zero-violation rate gate on one scenario's writers in durable mode, the yardsticks left out. */
function zeroRateGate(
  scenario: CrashScenarioId,
  id: string,
  title: string,
  metric: string,
  description: string,
  source: string,
  extra: Partial<GateSpec>,
): GateSpec {
  return {
    id,
    suite: 'crash',
    title,
    metric,
    selector: { scenario: [scenario], mode: ['durable'], excludeSubjects: [...CRASH_YARDSTICKS] },
    comparison: '==',
    threshold: 0,
    unit: 'fraction',
    source,
    description,
    ...extra,
  };
}

/**
 * The power-loss gates: zero violating crash states under the model of the file system the rows were
 * made on (posix on the workspace's own; a fresh file system's own model, core/schema.ts
 * `judgingModel`), durable mode.
 */
function powerLossGate(
  id: string,
  title: string,
  metric: string,
  description: string,
  source = POWER_LOSS_SOURCE,
  extra: Partial<GateSpec> = {},
): GateSpec {
  return zeroRateGate('power_loss', id, title, metric, description, source, extra);
}

/**
 * A power-loss gate that judges a writer's batch form too (batch_power_loss, every file of the batch on
 * its own): one instance per scenario, so a batch's violation is never hidden behind its single write's pass.
 */
function withBatches(gate: GateSpec): GateSpec {
  const scenarios: CrashScenarioId[] = ['power_loss', 'batch_power_loss'];
  return { ...gate, selector: { ...gate.selector, scenario: scenarios } };
}

/** Crash images need a file system made fresh for the run: without --fs the crash_image gates are not configured. */
const IMAGES_BY: ConfiguredBy = {
  option: '--fs ext4',
  what: 'real crash images of a file system made fresh for the run (xfs and btrfs too)',
};

/**
 * The crash-image gates (crash_image, on a fresh file system made with --fs): what real images of the
 * device kept. Left out when the scenario did not run (no --fs, or a file system it cannot image).
 */
function imageGate(
  id: string,
  title: string,
  metric: string,
  description: string,
  extra: Partial<GateSpec> = {},
): GateSpec {
  return zeroRateGate('crash_image', id, title, metric, description, IMAGE_SOURCE, {
    leftOutWhenNotRun: true,
    configuredBy: IMAGES_BY,
    ...extra,
  });
}

/**
 * The durability and crash targets, with the hostile-environment rules (errors reported, temps cleaned
 * up) and the concurrency checks (CAS, locked read-modify-write). Every gate reads the per writer × scenario × size
 * rates the
 * crash section pools across shards (trials summed, then divided); rates are over the trials that
 * reached their step, so a trial whose fault never hit cannot pass anything.
 */
export const CRASH_GATES: readonly GateSpec[] = [
  {
    id: 'crash.corruption',
    suite: 'crash',
    title: 'corruption rate',
    metric: METRICS.corruptionRate,
    selector: { excludeSubjects: [...CRASH_YARDSTICKS] },
    comparison: '==',
    threshold: 0,
    unit: 'fraction',
    source: NO_DAMAGE,
    description:
      'After every trial the target is exactly the old or exactly the new content ' +
      '(sha256, not size); during concurrent rounds a polling reader ' +
      'must see only complete contents too; after an injected error it must still be the old bytes. ' +
      `Not gated: ${CRASH_YARDSTICKS.join(', ')} (yardsticks, shown in the table).`,
  },
  {
    id: 'crash.false_success',
    suite: 'crash',
    title: 'false success rate',
    metric: METRICS.falseSuccessRate,
    selector: { excludeSubjects: [...CRASH_YARDSTICKS] },
    comparison: '==',
    threshold: 0,
    unit: 'fraction',
    source: 'default target: zero silent failures',
    description:
      'A writer never reports success (exit 0) after a failed or short write, ' +
      'after a rename that cannot succeed, or for content that is not ' +
      'what the target holds, whatever the file ends up holding. In a concurrent ' +
      'round, a final content whose own writer reported failure ' +
      'means another writer reported success for bytes that were not its own.',
  },
  {
    id: 'crash.orphan_temp',
    suite: 'crash',
    title: 'orphan temp rate',
    metric: METRICS.orphanTempRate,
    selector: { excludeSubjects: [...CRASH_YARDSTICKS] },
    comparison: '==',
    threshold: 0,
    unit: 'fraction',
    source: 'default target: temp files cleaned up on failure',
    description:
      'A writer that exits on its own (a reported failure after an injected ' +
      'or real I/O error, or any exit of a concurrent round) leaves ' +
      'nothing but the target in the directory. Temp files left by a killed ' +
      'writer are counted separately (temps after kill) and not gated: ' +
      'a SIGKILLed process cannot clean up.',
  },
  {
    id: 'crash.recovery',
    suite: 'crash',
    title: 'recovery rate',
    metric: METRICS.recoveryRate,
    selector: { excludeSubjects: [...CRASH_YARDSTICKS] },
    comparison: '==',
    threshold: 1,
    unit: 'fraction',
    source: NO_DAMAGE,
    description:
      'After every crash (kill at a step, random kill, in-process kill point) ' +
      'one normal write succeeds and leaves the target holding exactly ' +
      'its content. Stale temp files of the crashed run that survive it are counted (stale temps), not gated.',
  },
  {
    id: 'crash.conflict_detected',
    suite: 'crash',
    title: 'conflict detected rate',
    metric: METRICS.conflictDetectedRate,
    selector: { excludeSubjects: [...CRASH_YARDSTICKS] },
    comparison: '==',
    threshold: 1,
    unit: 'fraction',
    source: 'default target: a stale compare-and-swap is always a conflict',
    description:
      'Compare-and-swap with a stale expected sha256 is rejected as a conflict ' +
      'and leaves the target alone; of K locked writers expecting the ' +
      'same hash exactly one wins and K−1 get a conflict. Only writers with ' +
      'a CAS option (the reference) have these figures.',
  },
  {
    id: 'crash.lost_updates',
    suite: 'crash',
    title: 'lost update rate',
    metric: METRICS.lostUpdateRate,
    selector: { excludeSubjects: [...CRASH_YARDSTICKS] },
    comparison: '==',
    threshold: 0,
    unit: 'fraction',
    source: 'default target: 100 rapid locked writes end at rev 100',
    description:
      'Workers incrementing a revision counter under the advisory lock end at ' +
      'exactly the number of increments: the lock serializes read-modify-write.',
  },
  withBatches(
    powerLossGate(
      'crash.powerloss_atomicity',
      'power loss: target torn or lost',
      METRICS.powerlossAtomicityViolationRate,
      "At every point of the writer's fault-free run, every state the file system's " +
        'persistence model allows after a power loss must leave the target ' +
        "exactly the old or exactly the new content. On the workspace's own file " +
        'system that model is a conservative POSIX one (unsynced file data ' +
        'lost, torn or zero-filled; a directory entry not followed by a directory ' +
        "fsync lost); on a file system made fresh with --fs, that file system's own " +
        '(ext4-ordered, xfs, btrfs, tmpfs). A writer that renames a file it never ' +
        'fsynced fails here under POSIX: the rename can reach the disk before the data. ' +
        'The other models are reported beside it. When a writer writes a batch (many files ' +
        'in one call), every file of the batch is held to the same rule on its own.',
    ),
  ),
  withBatches(
    powerLossGate(
      'crash.powerloss_durability',
      'power loss: success not durable',
      METRICS.powerlossDurabilityViolationRate,
      'Once a writer has reported success (exit 0) in durable mode, every state ' +
        'a power loss can leave must hold exactly the new content, under the ' +
        "file system's model as above. A writer that never fsyncs the directory " +
        'after its rename fails here: the rename itself can be lost and the old ' +
        'content come back. A batch must leave every one of its files new: one that ' +
        'renames every file but fsyncs none of their directories fails here. ' +
        `Not gated on tmpfs (the figure is reported): ${NOT_DURABLE_ON_TMPFS.reason}.`,
      POWER_LOSS_SOURCE,
      { notGatedOn: NOT_DURABLE_ON_TMPFS },
    ),
  ),
  powerLossGate(
    'crash.powerloss_checker',
    'power loss: your checker rejects a state',
    METRICS.powerlossCheckerViolationRate,
    'Every crash state a power loss can leave passes your own consistency ' +
      'check (exit 0), so an application with its own recovery is judged by its own rules.',
    'your --crash-checker',
    // Without a checker the power-loss rows carry no checker rate: not configured, not no data.
    {
      configuredBy: {
        option: '--crash-checker <command>',
        what: 'your own consistency check of every power-loss crash state',
        ranWith: METRICS.powerlossAtomicityViolationRate,
      },
    },
  ),
  {
    id: 'crash.wrapper_crash_parity',
    suite: 'crash',
    title: 'wrapper loses crash safety',
    metric: METRICS.wrapperCrashParity,
    selector: { scenario: ['power_loss' satisfies CrashScenarioId] },
    comparison: '==',
    threshold: 0,
    unit: 'count',
    source: 'the same command natively and through the wrapper (crash --command-wrapper)',
    description:
      'A command run through a wrapper (same setup, same checker) must not leave a larger share of ' +
      'violating crash states than the native command under the persistence model that judges the run: a ' +
      'wrapper that drops an fsync the native command makes fails here. A difference the checker budget ' +
      'leaves unproven is not judged, never a pass.',
    // Only runs with --command-wrapper make these rows; other runs leave the gate out, unchanged.
    leftOutWhenNotRun: true,
  },
  {
    id: 'crash.model_sound',
    suite: 'crash',
    title: 'crash image the model says cannot happen',
    metric: METRICS.imageUnsoundStates,
    selector: { scenario: ['crash_image' satisfies CrashScenarioId] },
    comparison: '==',
    threshold: 0,
    unit: 'count',
    source: IMAGE_SOURCE,
    description:
      "⚠ A failure here is a defect of writegate's own persistence model, not " +
      'of the writer: a real disk image kept a state of the target that the file ' +
      "system's model says cannot happen after a crash, so the power-loss verdicts " +
      'of that model cannot be trusted on that file system until it is fixed. ' +
      "Gated for every writer, the native-unsafe yardstick included (any writer's " +
      'image can show the model wrong); the image is kept under --out for a person to inspect.',
    leftOutWhenNotRun: true,
    configuredBy: IMAGES_BY,
  },
  imageGate(
    'crash.image_atomicity',
    'crash image: target torn or lost',
    METRICS.imageAtomicityViolationRate,
    'On a file system made fresh with --fs, the writer is frozen right after ' +
      'each step of its write path, the device is copied as it is and the copy ' +
      'mounted (its journal replayed) and read, as after a crash at that moment: ' +
      'the target must be exactly the old or exactly the new content in every image.',
  ),
  imageGate(
    'crash.image_durability',
    'crash image: success not durable',
    METRICS.imageDurabilityViolationRate,
    'Every image taken right after the writer reported success (exit 0) in ' +
      'durable mode holds exactly the new content. ' +
      `Not gated on tmpfs, where there are no images to take anyway: ${NOT_DURABLE_ON_TMPFS.reason}.`,
    { notGatedOn: NOT_DURABLE_ON_TMPFS },
  ),
  {
    id: 'crash.fixed_temp_name',
    suite: 'crash',
    title: 'fixed temp file name',
    metric: METRICS.fixedTempName,
    selector: { excludeSubjects: [...CRASH_YARDSTICKS] },
    comparison: '==',
    threshold: 0,
    unit: 'count',
    source: 'writegate (two fault-free traces in two directories)',
    description:
      'The writer puts its payload in a temp file whose name was the same in ' +
      'two fault-free runs made in two different directories, so two ' +
      'writers of one target share one temp file: each truncates and overwrites ' +
      "what the other wrote, and one renames the other's bytes into " +
      'place. Read from the traces alone, whether or not a race was caught. ' +
      'A writer that writes the target in place has no temp file and is ' +
      'not counted here (its crashes show up as corruption).',
  },
  {
    id: 'crash.writes_outside',
    suite: 'crash',
    title: 'files changed outside its box',
    metric: METRICS.writesOutside,
    selector: { excludeSubjects: [...CRASH_YARDSTICKS] },
    comparison: '==',
    threshold: 0,
    unit: 'count',
    source: 'writegate (every traced run of the writer)',
    description:
      "A writer is given its target's directory and its own $TMPDIR, and runs " +
      "in a directory of its own inside writegate's workspace. " +
      'Any file it creates, writes, renames or removes anywhere else — a relative ' +
      "path, a fixed name in /tmp, a file in the user's project — " +
      'is a file it was not given: counted from every traced run and named; ' +
      'what it left inside the workspace is removed.',
  },
  {
    id: 'crash.step_reached',
    suite: 'crash',
    title: 'trials not reaching their step',
    metric: METRICS.notReachedRate,
    selector: { excludeSubjects: [...CRASH_YARDSTICKS] },
    comparison: '<=',
    threshold: 0.5,
    unit: 'fraction',
    source: 'writegate (a trial that never reached its step proves nothing)',
    description:
      'Every injected trial is checked against its own trace; one whose fault ' +
      'did not hit the intended call on the intended file is not_reached ' +
      'and left out of the rates. When most of a writer × scenario × size missed, ' +
      'its rates rest on too little, so it fails loudly instead of passing quietly.',
  },
];
