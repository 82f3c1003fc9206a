import fs from 'node:fs';
import path from 'node:path';
import { takeCrashImage, type CrashImage } from '../../core/fs/crash-image.js';
import { safeFileName } from '../../core/names.js';
import { judgingModel, type ImageHeld, type ImageObservation } from '../../core/schema.js';
import type { WriterSubject } from '../../core/subjects/types.js';
import { parseTrace } from '../../core/trace/strace.js';
import type { Content } from '../contents.js';
import { checkDirectory } from '../checker.js';
import { recordedRunOf, type CrashRun } from '../context.js';
import { runOneShot } from '../one-shot.js';
import { allowedAt } from '../powerloss/allowed.js';
import { logicalOps, type RecordedRun } from '../powerloss/from-trace.js';
import type { ModelId } from '../powerloss/types.js';
import { imageRows, type ImageResult } from '../rows.js';
import { TrialDir } from '../sandbox.js';
import { aimAt, injectArgs } from '../strace/aim.js';
import { POINTS, type PointId } from '../strace/points.js';
import { confirmHeld, drive, poll, STOPPED, type Held } from './overlap.js';

/**
 * Real crash images (`--fs`, root): the writer is frozen right after each step of its own write path
 * (a SIGSTOP injected by strace, aimed from two fault-free recordings like every injected fault), the
 * device is copied as it is at that instant and the copy mounted (its journal replays, as at the next
 * boot), and what the target holds there is compared with what the file system's persistence model
 * allows at that point. One more image is taken right after the writer exits 0: a reported success
 * the disk did not keep is *observed*, not modelled. An image the model forbids is a defect of the
 * model; it is kept for a person to inspect.
 */

/** Where the writer is frozen: right after each of these calls returns (crash/strace/points.ts). */
export const IMAGE_POINTS: readonly PointId[] = [
  'temp_create',
  'first_write',
  'mid_payload',
  'before_fsync',
  'before_rename',
  'before_dir_fsync',
];

/** What the frozen writer had just done, for the report. */
const AFTER: Partial<Record<PointId, string>> = {
  temp_create: 'the temp file was created',
  first_write: 'the first payload write',
  mid_payload: 'a write in the middle of the payload',
  before_fsync: 'the fsync of the file',
  before_rename: 'the rename onto the target',
  before_dir_fsync: 'the fsync of the directory',
};

const STOP_TIMEOUT_MS = 20_000;
const POLL_MS = 5;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The model this pass's images are held to: the file system's own. */
function imageModel(run: CrashRun): ModelId {
  return run.settings.imageModel ?? judgingModel(run.ctx.trials.fsName);
}

/** Why crash_image cannot run in this pass, or undefined when it can. */
export function imageUnavailable(run: CrashRun): string | undefined {
  const mounted = run.ctx.trials.fs;
  if (!mounted) return 'crash_image needs --fs: it copies the device of a file system made fresh for the run';
  if (!mounted.image)
    return `${mounted.name} has no device to copy: a power loss empties it, so there is no image to read`;
  if (run.straceMissing !== undefined) return `it freezes the writer with strace: ${run.straceMissing}`;
  return undefined;
}

export async function crashImage(run: CrashRun, subject: WriterSubject, size: number): Promise<void> {
  const recordings = await run.recordings(subject, size);
  if ('error' in recordings) {
    run.trials.add({
      subject: subject.name,
      scenario: 'crash_image',
      size,
      engine: 'strace',
      step: '(recording)',
      fault: 'crash image',
      notReached: `not run: ${recordings.error}`,
      held: '',
      reported: '',
      problems: [],
    });
    return;
  }
  if ('notJudged' in recordings) {
    run.markNotJudged('crash_image', subject, size, recordings.notJudged);
    return;
  }
  const old = run.contents.get(size, 'old');
  const fresh = run.contents.get(size, 'new');
  const model = imageModel(run);
  const observations: ImageObservation[] = [];
  const missed: { step: string; reason: string }[] = [];
  const absent: { step: string; reason: string }[] = [];
  for (const point of IMAGE_POINTS) {
    const aimed = aimAt(point, recordings.first, recordings.second, recordings.expect);
    if (aimed.kind !== 'aimed') {
      (aimed.kind === 'unaimable' ? missed : absent).push({ step: point, reason: aimed.reason });
      continue;
    }
    const observed = await frozenImage(run, subject, old, fresh, point, {
      forced: true,
      aim: aimed.aim,
      expect: recordings.expect,
    });
    if ('miss' in observed) missed.push({ step: point, reason: observed.miss });
    else observations.push(observed.observation);
  }
  const atExit = await exitImage(run, subject, old, fresh);
  if ('miss' in atExit) missed.push({ step: 'exit', reason: atExit.miss });
  else observations.push(atExit.observation);
  const result: ImageResult = {
    subject: subject.name,
    size,
    model,
    fs: run.ctx.trials.fsName,
    observations,
    absent,
    missed,
  };
  run.ctx.sink.addAll(imageRows(result));
  run.ctx.progress.tick();
}

type Observed = { observation: ImageObservation } | { miss: string };

/** The target's content before the writer ran, and what it was asked to write. */
interface Contents {
  old: Content;
  fresh: Content;
}

/** One trial: the writer held right after `point`'s call, an image taken, then let go to its end. */
async function frozenImage(
  run: CrashRun,
  subject: WriterSubject,
  old: Content,
  fresh: Content,
  point: PointId,
  plan: Parameters<typeof confirmHeld>[2],
): Promise<Observed> {
  const trial = durableTrial(run, subject, old);
  const traceFile = run.traceFile(subject, `crash_image-${point}`);
  const writer: Held = { index: 0, traceFile, stops: [], continued: 0, renamed: false, offset: 0, partial: '' };
  const extra = injectArgs(plan.aim, trial.dir, { signal: 'SIGSTOP' });
  const running = runOneShot({
    subject,
    source: fresh.source,
    target: trial.target,
    tmpDir: trial.tmp,
    strace: run.traced(traceFile, extra),
    onSpawn: (pid) => {
      writer.stracePid = pid;
    },
  }).then((shot) => {
    writer.shot = shot;
    return shot;
  });
  let observed: Observed | undefined;
  try {
    const deadline = Date.now() + STOP_TIMEOUT_MS;
    while (poll(writer) === 0 && writer.shot === undefined && Date.now() < deadline) await sleep(POLL_MS);
    if (writer.stops.length === 0) {
      observed = {
        miss: writer.shot
          ? `the writer ended (${writer.shot.ending}) without being held at ${POINTS[point]}`
          : `not held within ${STOP_TIMEOUT_MS / 1000} s`,
      };
    } else {
      // Everything the writer did up to the stop, as the model will replay it: its trace so far and its files as it
      // sees them.
      const recorded = recordedRunOf(
        trial,
        parseTrace(upToFirstStop(fs.readFileSync(traceFile, 'utf8'))),
        old,
        fresh,
        false,
      );
      observed = await observe(
        run,
        subject,
        trial,
        { old, fresh },
        recorded,
        point,
        `after ${AFTER[point] ?? POINTS[point]}`,
      );
    }
  } finally {
    await drive([writer], () => writer.shot !== undefined);
  }
  const shot = await running;
  fs.rmSync(traceFile, { force: true });
  trial.remove();
  if ('miss' in observed) return observed;
  const why = confirmHeld(shot.trace ?? '', { target: trial.target, tmpDir: trial.tmp }, plan, { renameAllowed: true });
  return why === undefined ? observed : { miss: why };
}

/** One trial run to its end: the image taken right after it exited 0. */
async function exitImage(run: CrashRun, subject: WriterSubject, old: Content, fresh: Content): Promise<Observed> {
  const trial = durableTrial(run, subject, old);
  const traceFile = run.traceFile(subject, 'crash_image-exit');
  try {
    const shot = await runOneShot({
      subject,
      source: fresh.source,
      target: trial.target,
      tmpDir: trial.tmp,
      strace: run.traced(traceFile, ['-f']),
    });
    if (shot.reported !== 'success') return { miss: `its fault-free write did not succeed (${shot.ending})` };
    return await observe(
      run,
      subject,
      trial,
      { old, fresh },
      recordedRunOf(trial, parseTrace(shot.trace ?? ''), old, fresh, true),
      'exit',
      'the writer exited 0',
    );
  } finally {
    fs.rmSync(traceFile, { force: true });
    trial.remove();
  }
}

/**
 * A trial whose old target is on the disk before the writer starts: a crash image must start from
 * the state the model starts from, not from a target still in the page cache.
 */
function durableTrial(run: CrashRun, subject: WriterSubject, old: Content): TrialDir {
  const trial = TrialDir.create(run.trialDir(subject, 'crash_image'), old);
  for (const file of [trial.target, trial.dir, trial.tmp, path.dirname(trial.dir)]) {
    const fd = fs.openSync(file, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  }
  return trial;
}

/** The trace text up to and including the first stop: what was issued before the freeze. */
export function upToFirstStop(text: string): string {
  const stop = [...text.matchAll(STOPPED)][0];
  if (!stop || stop.index === undefined) return text;
  return text.slice(0, stop.index + stop[0].length + 1);
}

/**
 * The device as it is now, with the writer held still or just exited: copied, mounted, read, checked
 * and held to the model, then unmounted. An image the model forbids is kept for a person to inspect
 * (under --out, with the results), named by writer, file system, point and trial.
 */
async function observe(
  run: CrashRun,
  subject: WriterSubject,
  trial: TrialDir,
  contents: Contents,
  recorded: RecordedRun,
  point: string,
  after: string,
): Promise<Observed> {
  const mounted = run.ctx.trials.fs;
  if (!mounted) throw new Error('crash_image without a fresh file system');
  const name = `${safeFileName(subject.name)}-${mounted.name}-${point}-${path.basename(trial.root)}`;
  const image = takeCrashImage(mounted, run.ctx.workspace.dir('crash', 'images', name));
  let observation: ImageObservation | undefined;
  try {
    const seen = readImage(run, image, trial, contents);
    const checker = await runChecker(run, subject, image, trial);
    observation = judge(run, point, after, seen, recorded, checker);
  } finally {
    image.release({ keep: observation?.unsound === true });
  }
  if (observation.unsound) observation.kept = run.ctx.keep(image.image, `${name}.img`);
  return { observation };
}

/** The trial as the image holds it: the same path under the image's mount. */
function imageTrial(run: CrashRun, image: CrashImage, trial: TrialDir): TrialDir {
  const mounted = run.ctx.trials.fs as NonNullable<CrashRun['ctx']['trials']['fs']>;
  return new TrialDir(path.join(image.dir, path.relative(mounted.dir, trial.root)));
}

function readImage(
  run: CrashRun,
  image: CrashImage,
  trial: TrialDir,
  contents: Contents,
): { held: ImageHeld; leftovers: string[] } {
  const onImage = imageTrial(run, image, trial);
  const held = onImage.held(contents.old, contents.fresh);
  const kind: ImageHeld = held.kind === 'old' || held.kind === 'new' || held.kind === 'missing' ? held.kind : 'other';
  let leftovers: string[] = [];
  try {
    leftovers = onImage.leftovers();
  } catch {
    // The trial's directories themselves are not on the image: nothing left in them.
  }
  return { held: kind, leftovers };
}

/**
 * The user's --crash-checker on the image's copy of the trial (dir/ and tmp/), as power_loss runs it on a modelled
 * state.
 */
async function runChecker(
  run: CrashRun,
  subject: WriterSubject,
  image: CrashImage,
  trial: TrialDir,
): Promise<boolean | undefined> {
  const checker = run.settings.checker;
  if (!checker) return undefined;
  const { consistent } = await checkDirectory(
    checker,
    imageTrial(run, image, trial).root,
    `--crash-checker on a crash image of ${subject.name}`,
  );
  return consistent;
}

/** The image beside the model: what the model allows once every call before the freeze was issued. */
function judge(
  run: CrashRun,
  point: string,
  after: string,
  seen: { held: ImageHeld; leftovers: string[] },
  recorded: RecordedRun,
  checker: boolean | undefined,
): ImageObservation {
  const { input } = logicalOps(recorded);
  const allowed = allowedAt(input, imageModel(run), input.ops.length - 1);
  // A kind not reached within the limit is not called forbidden: only a complete answer can convict the model.
  const unsound = allowed.complete && !allowed.held.includes(seen.held);
  return {
    point,
    after,
    held: seen.held,
    allowed: allowed.held,
    unsound,
    leftovers: seen.leftovers,
    ...(checker === undefined ? {} : { checker }),
  };
}
