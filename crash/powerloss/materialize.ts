/**
 * Crash states on disk, for an application's own checker (`node check.mjs {dir}`): `materialize`
 * writes one state's directory tree under a scratch directory; `distinctStates` walks the states
 * the explorer would check and yields each distinct tree once, so a checker runs once per tree.
 * Running the checker is the caller's job.
 */
import { createHash } from 'node:crypto';
import { mkdir, open, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { MODELS } from './models/index.js';
import { directoryInodes, symlinkTexts } from './op-facts.js';
import { DEFAULT_MAX_STATES, DEFAULT_SEED, selectStates } from './selection.js';
import { StateSpace } from './space.js';
import { ContentCache, resolveEntries, type CrashState } from './state.js';
import type { ExploreOptions } from './explore.js';
import type { InodeId, ModelId, PowerLossInput } from './types.js';

/**
 * Where each initial directory lands under the scratch directory: its path relative to the
 * deepest directory that contains every initial directory (so `/tmp/run/a` and `/tmp/run/b`
 * become `a` and `b`; a single directory becomes the scratch directory itself).
 */
export function relativeDirPaths(input: PowerLossInput): Map<InodeId, string> {
  const paths = [...input.initial.dirs].map(([ino, dir]) => [ino, path.resolve('/', dir.path)] as const);
  const split = paths.map(([, full]) => full.split(path.sep).filter(Boolean));
  let common = split[0] ?? [];
  for (const parts of split) {
    let same = 0;
    while (same < common.length && same < parts.length && common[same] === parts[same]) same++;
    common = common.slice(0, same);
  }
  return new Map(paths.map(([ino], i) => [ino, split[i]!.slice(common.length).join('/')]));
}

/** Write `state`'s tree under `dir` (which is emptied first). Files hold exactly their persisted bytes. */
export async function materialize(
  input: PowerLossInput,
  state: CrashState,
  dir: string,
  cache = new ContentCache(input),
): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const entries = resolveEntries(input, state);
  const directories = directoryInodes(input);
  const placed = relativeDirPaths(input);
  const links = symlinkTexts(input);
  const written = new Set<InodeId>();

  const writeDir = async (ino: InodeId, relative: string): Promise<void> => {
    if (written.has(ino)) return; // a directory reached twice (crossed rename halves) is written once
    written.add(ino);
    const where = path.join(dir, relative);
    await mkdir(where, { recursive: true });
    for (const [name, child] of [...(entries.get(ino) ?? [])].sort(([a], [b]) => a.localeCompare(b))) {
      const childPath = path.join(relative, name);
      if (directories.has(child)) {
        // Initial directories go where their own path says; only ones made by the run nest here.
        if (!placed.has(child)) await writeDir(child, childPath);
        continue;
      }
      const text = links.get(child);
      if (text !== undefined) await symlink(text, path.join(dir, childPath));
      else await writeFile(path.join(dir, childPath), cache.contentOf(state, child));
    }
  };
  for (const [ino, relative] of placed) await writeDir(ino, relative);
}

async function writeFile(file: string, content: ReturnType<ContentCache['contentOf']>): Promise<void> {
  const handle = await open(file, 'w');
  try {
    // Pieces straight from the ops' buffers; holes stay holes and read as zeros.
    for (const piece of content.allPieces()) await handle.write(piece.data, 0, piece.data.length, piece.offset);
    await handle.truncate(content.size);
  } finally {
    await handle.close();
  }
}

/** A key equal for two states exactly when their materialized trees are byte-for-byte equal. */
export function treeKey(input: PowerLossInput, state: CrashState, cache: ContentCache): string {
  const entries = resolveEntries(input, state);
  const directories = directoryInodes(input);
  const links = symlinkTexts(input);
  const lines: string[] = [];
  for (const [dirIno, names] of [...entries].sort(([a], [b]) => a - b)) {
    for (const [name, child] of [...names].sort(([a], [b]) => a.localeCompare(b))) {
      const link = links.get(child);
      const what = directories.has(child)
        ? `dir:${child}`
        : link !== undefined
          ? `link:${link}`
          : cache.memo(state, child, 'digest', (content) => content.digest());
      lines.push(`${dirIno}/${name}=${what}`);
    }
  }
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

export interface DistinctState {
  /** Equal trees, equal keys. */
  key: string;
  /** The first (smallest-numbered) state with this tree. */
  state: CrashState;
  /** How many checked states share this tree. */
  sharedBy: number;
}

/** The distinct trees among the states `explore` would check with the same options, in state order. */
export function distinctStates(input: PowerLossInput, model: ModelId, options: ExploreOptions = {}): DistinctState[] {
  const space = new StateSpace(input, MODELS[model]);
  const selection = selectStates(space, options.maxStates ?? DEFAULT_MAX_STATES, options.seed ?? DEFAULT_SEED);
  const cache = new ContentCache(input);
  const byKey = new Map<string, DistinctState>();
  for (const number of selection.numbers) {
    const state = space.state(number);
    const key = treeKey(input, state, cache);
    const seen = byKey.get(key);
    if (seen) seen.sharedBy++;
    else byKey.set(key, { key, state, sharedBy: 1 });
  }
  return [...byKey.values()];
}
