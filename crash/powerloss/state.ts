/**
 * A crash state: what is on disk after power is lost right after op `crashAfter`. It is the
 * persisted directory-entry changes plus, for each file the run wrote, one outcome of its data;
 * everything else is the initial state. `resolve*` turn it into entries and bytes.
 */
import { Content, BLOCK_SIZE } from './content.js';
import path from 'node:path';
import { symlinkTexts, type EntryChange } from './op-facts.js';
import type { InodeId, JudgedTarget, PowerLossInput } from './types.js';

/** Which directory changes (and, for ext4, journaled truncates) a model lets persist. */
export interface MetadataChoice {
  /** Entry changes on disk, in program order. */
  entries: EntryChange[];
  /** Truncates committed through ext4's journal (posix treats truncates as file data instead). */
  journaledTruncates: number[];
  /** Issued metadata ops that did not persist (a cross-directory rename counts if either half is lost). */
  lost: number[];
}

/** How the bytes of one block of a torn file came out. */
export type BlockFate = 'new' | 'old' | 'zero';

/**
 * How one file's bytes are built. 'ops': the persisted ops applied in program order to the
 * initial content. 'mix': per 4 KiB block of the file, either the bytes of `newOps` applied, of
 * `oldOps` applied, or zeros, over the size `newOps` gives (a torn or zero-filled file).
 */
export type ContentRecipe =
  | { kind: 'ops'; ops: number[] }
  | {
      kind: 'mix';
      oldOps: number[];
      newOps: number[];
      blocks: number[];
      fates: BlockFate[] | 'even-new' | 'odd-new' | 'all-zero';
    };

export interface FileOutcome {
  ino: InodeId;
  /** In words, for explanations: "none of its 3 unsynced writes", "blocks 0, 2 new, 1 old". */
  label: string;
  /** The issued data ops of this file that are not (or not wholly) on disk. */
  lost: number[];
  recipe: ContentRecipe;
}

export interface CrashState {
  /** The last issued op: -1 = crash before the first op. */
  crashAfter: number;
  meta: MetadataChoice;
  /** One outcome per file that has issued data ops (files not listed keep their initial bytes). */
  files: Map<InodeId, FileOutcome>;
}

/** All ops of the state that did not persist (metadata and data), sorted. */
export function lostOps(state: CrashState): number[] {
  const lost = new Set(state.meta.lost);
  for (const outcome of state.files.values()) for (const op of outcome.lost) lost.add(op);
  return [...lost].sort((a, b) => a - b);
}

/** Directory entries on disk in this state: initial entries with the persisted changes applied. */
export function resolveEntries(input: PowerLossInput, state: CrashState): Map<InodeId, Map<string, InodeId>> {
  const dirs = new Map<InodeId, Map<string, InodeId>>();
  for (const [ino, dir] of input.initial.dirs) dirs.set(ino, new Map(dir.entries));
  const dirOf = (ino: InodeId): Map<string, InodeId> => {
    let entries = dirs.get(ino);
    if (!entries) dirs.set(ino, (entries = new Map()));
    return entries;
  };
  const persisted = [...state.meta.entries].sort((a, b) => a.op - b.op || halfOrder(a) - halfOrder(b));
  for (const change of persisted) {
    const op = input.ops[change.op]!;
    switch (op.kind) {
      case 'create':
      case 'link':
      case 'mkdir':
      case 'symlink':
        dirOf(op.dir).set(op.name, op.ino);
        if (op.kind === 'mkdir') dirOf(op.ino);
        break;
      case 'unlink':
        if (dirOf(op.dir).get(op.name) === op.ino) dirOf(op.dir).delete(op.name);
        break;
      case 'rename':
        // Remove the source name only if it still names the moved inode, so a lost earlier
        // change cannot make a later rename delete someone else's entry.
        if (change.half !== 'add' && dirOf(op.fromDir).get(op.fromName) === op.ino)
          dirOf(op.fromDir).delete(op.fromName);
        if (change.half !== 'remove') dirOf(op.toDir).set(op.toName, op.ino);
        break;
      case 'exchange':
        if (change.half !== 'remove') dirOf(op.toDir).set(op.toName, op.ino);
        if (change.half !== 'add') dirOf(op.fromDir).set(op.fromName, op.other);
        break;
      default:
        break;
    }
  }
  return dirs;
}

function halfOrder(change: EntryChange): number {
  return change.half === 'remove' ? 1 : 0;
}

/** How many symlinks are followed before a target counts as unresolvable (as the kernel's ELOOP). */
const SYMLINK_DEPTH = 8;

/**
 * The file the target's name leads to in this state: its entry, followed through symlinks the run
 * made (a relative text names an entry of the same directory; an absolute one, or one with a
 * directory part, an entry of the initial directory with that path). Undefined when absent or dangling.
 */
export function resolveTarget(
  input: PowerLossInput,
  state: CrashState,
  target: Pick<JudgedTarget, 'dir' | 'name'> = firstTarget(input),
  entries: Map<InodeId, Map<string, InodeId>> = resolveEntries(input, state),
): InodeId | undefined {
  const texts = symlinkTexts(input);
  let dir = target.dir;
  let ino = entries.get(dir)?.get(target.name);
  for (let depth = 0; ino !== undefined && texts.has(ino); depth++) {
    if (depth >= SYMLINK_DEPTH) return undefined;
    const text = texts.get(ino) as string;
    const base = input.initial.dirs.get(dir)?.path ?? '/';
    const full = path.resolve(base, text);
    const parent = [...input.initial.dirs].find(([, known]) => known.path === path.dirname(full))?.[0];
    if (parent === undefined) return undefined;
    dir = parent;
    ino = entries.get(dir)?.get(path.basename(full));
  }
  return ino;
}

/** The first judged file: the only one of a single write, and what one-target views (crash images) look at. */
export function firstTarget(input: PowerLossInput): JudgedTarget {
  const target = input.targets[0];
  if (!target) throw new Error('a power-loss input needs at least one judged target');
  return target;
}

/**
 * Builds file contents for states and remembers them by recipe: the many states that share the
 * target's outcome share one Content and one comparison.
 */
export class ContentCache {
  private readonly byKey = new Map<string, Content>();
  private readonly verdicts = new Map<string, unknown>();

  constructor(private readonly input: PowerLossInput) {}

  /** The bytes of `ino` in `state`. */
  contentOf(state: CrashState, ino: InodeId): Content {
    const outcome = state.files.get(ino);
    if (!outcome) return this.initialOf(ino);
    const key = recipeKey(ino, outcome.recipe);
    let content = this.byKey.get(key);
    if (!content) {
      content = this.build(ino, outcome.recipe);
      this.byKey.set(key, content);
    }
    return content;
  }

  /** A per-outcome memo for verdicts about a file's bytes (compare once per distinct outcome). */
  memo<T>(state: CrashState, ino: InodeId, what: string, compute: (content: Content) => T): T {
    const outcome = state.files.get(ino);
    const key = `${what}|${outcome ? recipeKey(ino, outcome.recipe) : `initial:${ino}`}`;
    if (this.verdicts.has(key)) return this.verdicts.get(key) as T;
    const value = compute(this.contentOf(state, ino));
    this.verdicts.set(key, value);
    return value;
  }

  private initialOf(ino: InodeId): Content {
    const bytes = this.input.initial.files.get(ino);
    return bytes ? Content.of(bytes) : Content.EMPTY;
  }

  private applyOps(ino: InodeId, ops: readonly number[]): Content {
    let content = this.initialOf(ino);
    for (const index of [...ops].sort((a, b) => a - b)) {
      const op = this.input.ops[index]!;
      if (op.kind === 'write') content = content.write(op.offset, op.data);
      else if (op.kind === 'truncate') content = content.truncate(op.size);
    }
    return content;
  }

  private build(ino: InodeId, recipe: ContentRecipe): Content {
    if (recipe.kind === 'ops') return this.applyOps(ino, recipe.ops);
    const older = this.applyOps(ino, recipe.oldOps);
    const newer = this.applyOps(ino, recipe.newOps);
    const fateOf = blockFates(recipe);
    const ranges: { start: number; end: number; from: Content | 'zero' }[] = [];
    // Untouched blocks read the same in both; take them from the newer content.
    let cursor = 0;
    recipe.blocks.forEach((block, position) => {
      const start = block * BLOCK_SIZE;
      if (start >= newer.size) return;
      if (start > cursor) ranges.push({ start: cursor, end: start, from: newer });
      const fate = fateOf(position);
      ranges.push({ start, end: start + BLOCK_SIZE, from: fate === 'new' ? newer : fate === 'old' ? older : 'zero' });
      cursor = start + BLOCK_SIZE;
    });
    if (cursor < newer.size) ranges.push({ start: cursor, end: newer.size, from: newer });
    return Content.assemble(newer.size, ranges);
  }
}

function blockFates(recipe: Extract<ContentRecipe, { kind: 'mix' }>): (position: number) => BlockFate {
  const fates = recipe.fates;
  if (fates === 'even-new') return (position) => (position % 2 === 0 ? 'new' : 'old');
  if (fates === 'odd-new') return (position) => (position % 2 === 1 ? 'new' : 'old');
  if (fates === 'all-zero') return () => 'zero';
  return (position) => fates[position] ?? 'new';
}

export function recipeKey(ino: InodeId, recipe: ContentRecipe): string {
  if (recipe.kind === 'ops') return `${ino}:ops:${ranges(recipe.ops)}`;
  const fates = typeof recipe.fates === 'string' ? recipe.fates : recipe.fates.join(',');
  return `${ino}:mix:${ranges(recipe.oldOps)}:${ranges(recipe.newOps)}:${ranges(recipe.blocks)}:${fates}`;
}

/** "0-127,130": a compact, order-insensitive key for a set of indices. */
function ranges(indices: readonly number[]): string {
  const sorted = [...indices].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}
