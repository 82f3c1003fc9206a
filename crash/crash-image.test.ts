/**
 * crash_image end to end on a real ext4 (root only: a loop device, mkfs, mount). A real writer is
 * frozen by strace at each step of its write path, the device is copied and mounted, and what the
 * disk kept is read: the durable reference keeps every success, a writer that never fsyncs loses its
 * success on the image taken right after it exits 0, and the soundness check convicts a model that
 * forbids what a real disk kept. Without root vitest reports these skipped, never passed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mountFresh } from '../core/fs/mount.js';
import { SilentProgress } from '../core/progress.js';
import { decodeDetail, METRICS, type ResultRow } from '../core/schema.js';
import { RowSink } from '../core/sink.js';
import { parseOptions } from '../core/suite-options.js';
import { TrialPlace } from '../core/trial-place.js';
import { Workspace } from '../core/workspace.js';
import { CrashRun } from './context.js';
import { crashOptionsSchema } from './index.js';
import { resolveCrashSettings } from './plan.js';
import { crashImage } from './scenarios/crash-image.js';
import { builtin, CRASH_FIXTURES, fixture } from '../test/support/crash-harness.js';
import type { WriterSubject } from '../core/subjects/types.js';
import type { ModelId } from './powerloss/types.js';

const isRoot = process.getuid?.() === 0;
const SIZE = 128 * 1024;

let workspace: Workspace;
let kept: string;
beforeEach(() => {
  workspace = Workspace.create('wg-image-test-');
  kept = fs.mkdtempSync('/tmp/wg-image-kept-');
});
afterEach(async () => {
  await workspace.dispose();
  fs.rmSync(kept, { recursive: true, force: true });
});

/** crash_image for one writer on a fresh ext4, its rows. */
async function imagesOf(subject: WriterSubject, imageModel?: ModelId, withChecker = false): Promise<ResultRow[]> {
  const mounted = mountFresh(workspace, 'ext4');
  const sink = new RowSink('test-run').onFileSystem('ext4');
  const keep = (file: string, name: string): string => {
    fs.renameSync(file, path.join(kept, name));
    return name;
  };
  const ctx = {
    workspace,
    trials: TrialPlace.on(workspace, mounted),
    keep,
    sink,
    profile: 'quick' as const,
    config: { fs: ['ext4' as const] },
    subjects: [subject],
    sizes: [SIZE],
    seed: 7,
    progress: new SilentProgress(),
  };
  const sources = (label: string) => workspace.path('crash', 'sources', `${SIZE}-${label}`);
  // The user's checker on each image: the target must be the old or the new content (it reads both sources).
  const checker = {
    template: 'checker',
    argv: [
      process.execPath,
      path.join(CRASH_FIXTURES, 'checker-old-or-new.mjs'),
      '{dir}',
      sources('old'),
      sources('new'),
    ],
    timeoutMs: 30_000,
  };
  const settings = {
    ...resolveCrashSettings('quick', parseOptions(crashOptionsSchema, { crashScenarios: 'crash_image' }), ['ext4']),
    ...(imageModel ? { imageModel } : {}),
    ...(withChecker ? { checker } : {}),
  };
  try {
    await crashImage(new CrashRun(ctx, settings, undefined), subject, SIZE);
  } finally {
    mounted.release();
  }
  return [...sink.rows];
}

const valueOf = (rows: readonly ResultRow[], metric: string) => rows.find((row) => row.metric === metric)?.value;
const observations = (rows: readonly ResultRow[]) =>
  rows
    .filter((row) => row.metric === METRICS.imageObservation)
    .map((row) => decodeDetail(METRICS.imageObservation, row.detail));

describe.runIf(isRoot)('crash_image on a real ext4', () => {
  it('the durable reference: every point imaged, each image old or new as the ' +
    'model allows, the success kept', async () => {
    const rows = await imagesOf(builtin('reference'));
    const seen = observations(rows);
    expect(seen.map((image) => image?.point)).toEqual(
      expect.arrayContaining(['temp_create', 'before_fsync', 'before_rename', 'before_dir_fsync', 'exit']),
    );
    expect(seen.every((image) => image && (image.held === 'old' || image.held === 'new') && !image.unsound)).toBe(true);
    expect(seen.find((image) => image?.point === 'exit')?.held).toBe('new');
    expect(valueOf(rows, METRICS.imageAtomicityViolationRate)).toBe(0);
    expect(valueOf(rows, METRICS.imageDurabilityViolationRate)).toBe(0);
    expect(valueOf(rows, METRICS.imageUnsoundStates)).toBe(0);
    expect(rows.every((row) => row.fs === 'ext4' && row.engine === 'ext4-ordered')).toBe(true);
  }, 120_000);

  it('a writer that never fsyncs: right after it exits 0 the real disk still ' +
    'holds the old content, which the model allows', async () => {
    const rows = await imagesOf(fixture('no-fsync', 'no-fsync-writer.py'));
    const exit = observations(rows).find((image) => image?.point === 'exit');
    expect(exit).toMatchObject({ held: 'old', unsound: false });
    expect(exit?.allowed).toContain('old');
    expect(valueOf(rows, METRICS.imageDurabilityViolationRate)).toBe(1);
    expect(valueOf(rows, METRICS.imageUnsoundStates)).toBe(0);
  }, 120_000);

  it("--crash-checker runs on each image's copy of the trial and agrees with the built-in check", async () => {
    const seen = observations(await imagesOf(fixture('no-fsync', 'no-fsync-writer.py'), undefined, true));
    expect(seen.length).toBeGreaterThan(3);
    for (const image of seen) expect(image?.checker).toBe(image?.held === 'old' || image?.held === 'new');
  }, 120_000);

  it('held to a model that keeps nothing (tmpfs), the reference exiting 0 with ' +
    'its content on disk is an unsound state, and its image is kept', async () => {
    const rows = await imagesOf(builtin('reference'), 'tmpfs');
    const unsound = observations(rows).filter((image) => image?.unsound);
    expect(unsound.map((image) => image?.point)).toContain('exit');
    expect(valueOf(rows, METRICS.imageUnsoundStates)).toBeGreaterThan(0);
    for (const image of unsound) expect(fs.existsSync(path.join(kept, image?.kept ?? 'missing'))).toBe(true);
  }, 120_000);
});
