/**
 * Representative writers, built call by call: the shapes the persistence models are tested on (a
 * correct atomic replace and its one-call-short twins, an in-place rewrite), and what the
 * models allow the target to hold at each crash point. For tests and what-ifs.
 */
import { MODELS } from './models/index.js';
import { RunBuilder } from './run-builder.js';
import { StateSpace } from './space.js';
import { ContentCache } from './state.js';
import { viewTarget, type TargetView } from './target-view.js';
import type { ModelId, PowerLossInput } from './types.js';

export const SHAPE_OLD = Buffer.from('old line\n'.repeat(1200)); // 10800 bytes: 3 blocks
export const SHAPE_FRESH = Buffer.from('NEW LINE\n'.repeat(1500)); // 13500 bytes: 4 blocks
const CHUNK = 4096;

export interface ShapeOptions {
  /** fsync (or fdatasync) the temp before the rename. */
  fsyncTemp?: boolean | 'fdatasync';
  /** fsync the directory after the rename. */
  fsyncDir?: boolean;
  /** fsync (or fdatasync) the renamed file after the rename. */
  fsyncAfterRename?: boolean | 'fdatasync';
  /** The target exists before the run (default true). */
  old?: boolean;
  /** The temp lives in a staging directory, renamed across into the target's. */
  crossDir?: boolean;
}

/**
 * create temp → 4 writes → [fsync temp] → close → rename onto the target → [fsync renamed file]
 * → [fsync dir].
 */
export function tempRename(options: ShapeOptions = {}): PowerLossInput {
  const run = new RunBuilder();
  const dir = run.dir('/data');
  const staging = options.crossDir ? run.dir('/staging') : dir;
  if (options.old !== false) run.existingFile(dir, 'target.dat', SHAPE_OLD);
  const tmp = run.create(staging, '.x.tmp');
  run.writeInChunks(tmp, SHAPE_FRESH, CHUNK);
  if (options.fsyncTemp) run.fsync(tmp, options.fsyncTemp === 'fdatasync');
  run.close(tmp).rename(staging, '.x.tmp', dir, 'target.dat');
  if (options.fsyncAfterRename) run.fsync(tmp, options.fsyncAfterRename === 'fdatasync');
  if (options.fsyncDir) run.fsync(dir);
  return run.build({ target: { dir, name: 'target.dat' }, fresh: SHAPE_FRESH });
}

/** The target opened O_TRUNC and rewritten in place: → 4 writes → [fsync] → close. */
export function inPlaceRewrite(options: { fsync?: boolean } = {}): PowerLossInput {
  const run = new RunBuilder();
  const dir = run.dir('/data');
  const target = run.existingFile(dir, 'target.dat', SHAPE_OLD);
  run.truncate(target, 0).writeInChunks(target, SHAPE_FRESH, CHUNK);
  if (options.fsync) run.fsync(target);
  run.close(target);
  return run.build({ target: { dir, name: 'target.dat' }, fresh: SHAPE_FRESH });
}

/** Temp written with O_DSYNC, renamed, directory fsynced; or with sync() before and after the rename. */
export function syncedWriter(how: 'O_DSYNC' | 'sync()'): PowerLossInput {
  const run = new RunBuilder();
  const dir = run.dir('/data');
  run.existingFile(dir, 'target.dat', SHAPE_OLD);
  const tmp = run.create(dir, '.x.tmp');
  for (let offset = 0; offset < SHAPE_FRESH.length; offset += CHUNK) {
    run.write(
      tmp,
      offset,
      SHAPE_FRESH.subarray(offset, offset + CHUNK),
      how === 'O_DSYNC' ? { syncedBy: 'O_DSYNC' } : {},
    );
  }
  if (how === 'sync()') run.syncAll();
  run.close(tmp).rename(dir, '.x.tmp', dir, 'target.dat');
  if (how === 'sync()') run.syncAll();
  else run.fsync(dir);
  return run.build({ target: { dir, name: 'target.dat' }, fresh: SHAPE_FRESH });
}

/** What a target view is, in the four kinds a crash image is compared in. */
export type HeldKind = 'old' | 'new' | 'missing' | 'other';

export function heldKind(view: TargetView): HeldKind {
  return view.kind === 'absent' ? 'missing' : view.kind === 'fresh' ? 'new' : view.kind === 'old' ? 'old' : 'other';
}

/**
 * Every state `model` allows, walked in full: for each crash point (-1 … n-1), the kinds the target
 * may hold and the exact views (shape and size). Throws past `limit` states: these are small runs.
 */
export function allowedViews(
  input: PowerLossInput,
  model: ModelId,
  limit = 200_000,
): Map<number, { kinds: Set<HeldKind>; views: TargetView[] }> {
  const space = new StateSpace(input, MODELS[model]);
  if (space.size > limit) throw new Error(`${space.size} states under ${model}: more than ${limit}`);
  const cache = new ContentCache(input);
  const byPoint = new Map<number, { kinds: Set<HeldKind>; views: TargetView[]; keys: Set<string> }>();
  for (let n = 0; n < space.size; n++) {
    const state = space.state(n);
    const { view } = viewTarget(input, state, cache);
    let entry = byPoint.get(state.crashAfter);
    if (!entry) byPoint.set(state.crashAfter, (entry = { kinds: new Set(), views: [], keys: new Set() }));
    entry.kinds.add(heldKind(view));
    const key = JSON.stringify(view);
    if (!entry.keys.has(key)) {
      entry.keys.add(key);
      entry.views.push(view);
    }
  }
  return new Map([...byPoint].map(([point, { kinds, views }]) => [point, { kinds, views }]));
}
