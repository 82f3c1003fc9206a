/**
 * The representative outcomes of one file's unsynced data after a crash. Every subset of 4 KiB
 * blocks of an 8 MiB payload is 2^2048 states, so this enumerates a fixed, documented set:
 *
 *  1. everything issued persisted;
 *  2. a prefix of the unsynced data ops in program order: all of them when there are at most
 *     EXHAUSTIVE_LIMIT, else none, the first one, the first half, all but the last;
 *  3. (posix only) the final size persisted with every unsynced block zero-filled;
 *  4. torn: each unsynced block either new or old. Every proper mix when at most EXHAUSTIVE_LIMIT
 *     blocks can tear, else the two alternating mixes (even blocks new / odd blocks new).
 *
 * Under ext4-ordered only blocks inside the file's size before the unsynced ops can tear (an
 * overwrite in place); appended blocks arrive as a prefix, since data=ordered never exposes a
 * size that covers unwritten blocks.
 */
import { BLOCK_SIZE } from './content.js';
import type { BlockFate, FileOutcome } from './state.js';
import type { InodeId, PowerLossInput } from './types.js';

/** At or below this many unsynced ops (or tearable blocks) every combination is enumerated. */
export const EXHAUSTIVE_LIMIT = 4;

export interface OutcomePolicy {
  /** May a persisted size expose zeros where unsynced data was not written? (posix: yes) */
  zeroFill: boolean;
  /** Which unsynced blocks may tear: any, or only overwrites inside the earlier size (ext4). */
  tear: 'any-block' | 'in-place-only';
}

export function fileOutcomes(
  input: PowerLossInput,
  ino: InodeId,
  /** Data ops of this file that are on disk whatever happens (synced, or forced by the model). */
  forced: readonly number[],
  /** Data ops of this file that may be lost, in program order. */
  optional: readonly number[],
  policy: OutcomePolicy,
): FileOutcome[] {
  const all = [...forced, ...optional].sort((a, b) => a - b);
  const outcomes: FileOutcome[] = [
    { ino, label: 'all its issued data persisted', lost: [], recipe: { kind: 'ops', ops: all } },
  ];
  const count = optional.length;
  if (count === 0) return outcomes;

  for (const kept of prefixLengths(count)) {
    const ops = [...forced, ...optional.slice(0, kept)];
    const label =
      kept === 0
        ? `none of its ${count} unsynced data op${count === 1 ? '' : 's'} persisted`
        : `only the first ${kept} of its ${count} unsynced data ops persisted`;
    outcomes.push({ ino, label, lost: optional.slice(kept), recipe: { kind: 'ops', ops } });
  }

  const touched = touchedBlocks(input, ino, forced, optional);
  const lost = [...optional];
  if (policy.zeroFill && touched.length > 0) {
    outcomes.push({
      ino,
      label: 'its new size persisted but its unsynced blocks read as zeros',
      lost,
      recipe: { kind: 'mix', oldOps: [...forced], newOps: all, blocks: touched, fates: 'all-zero' },
    });
  }

  const sizeBefore = sizeAfter(input, ino, forced);
  const tearable = policy.tear === 'any-block' ? touched : touched.filter((block) => block * BLOCK_SIZE < sizeBefore);
  for (const fates of tornMixes(tearable.length)) {
    outcomes.push({
      ino,
      label: `torn: ${describeMix(tearable, fates)}`,
      lost,
      recipe: { kind: 'mix', oldOps: [...forced], newOps: all, blocks: tearable, fates },
    });
  }
  return outcomes;
}

/** How many of the unsynced ops persist, as a prefix, most first (all of them is outcome 1). */
function prefixLengths(count: number): number[] {
  if (count <= EXHAUSTIVE_LIMIT) return Array.from({ length: count }, (_, i) => count - 1 - i);
  return [...new Set([count - 1, Math.floor(count / 2), 1, 0])];
}

function tornMixes(blocks: number): (BlockFate[] | 'even-new' | 'odd-new')[] {
  if (blocks < 2) return [];
  if (blocks > EXHAUSTIVE_LIMIT) return ['even-new', 'odd-new'];
  const mixes: BlockFate[][] = [];
  // Masks 1..2^n-2: at least one block new and one old (all-new and all-old are prefixes above).
  for (let mask = 1; mask < (1 << blocks) - 1; mask++) {
    mixes.push(Array.from({ length: blocks }, (_, bit) => ((mask >> bit) & 1 ? 'new' : 'old')));
  }
  return mixes;
}

function describeMix(blocks: readonly number[], fates: BlockFate[] | 'even-new' | 'odd-new'): string {
  if (fates === 'even-new')
    return `every other 4 KiB block of ${blocks.length} persisted (first, third, …), the rest not`;
  if (fates === 'odd-new')
    return `every other 4 KiB block of ${blocks.length} persisted (second, fourth, …), the rest not`;
  const persisted = blocks.filter((_, i) => fates[i] === 'new');
  const missing = blocks.filter((_, i) => fates[i] !== 'new');
  return `4 KiB block${persisted.length === 1 ? '' : 's'} ${persisted.join(', ')} persisted, ${missing.join(', ')} not`;
}

/** Blocks whose bytes the unsynced ops may change: written ranges, and what a truncate cuts or grows. */
function touchedBlocks(
  input: PowerLossInput,
  ino: InodeId,
  forced: readonly number[],
  optional: readonly number[],
): number[] {
  const blocks = new Set<number>();
  let size = sizeAfter(input, ino, forced);
  for (const index of optional) {
    const op = input.ops[index]!;
    if (op.kind === 'write' && op.data.length > 0) {
      const end = op.offset + op.data.length;
      addRange(blocks, op.offset, end);
      size = Math.max(size, end);
    } else if (op.kind === 'truncate') {
      addRange(blocks, Math.min(size, op.size), Math.max(size, op.size));
      size = op.size;
    }
  }
  return [...blocks].sort((a, b) => a - b);
}

function addRange(blocks: Set<number>, start: number, end: number): void {
  if (end <= start) return;
  for (let block = Math.floor(start / BLOCK_SIZE); block * BLOCK_SIZE < end; block++) blocks.add(block);
}

/** The file's size after its initial bytes and these ops (program order), without building bytes. */
export function sizeAfter(input: PowerLossInput, ino: InodeId, ops: readonly number[]): number {
  let size = input.initial.files.get(ino)?.length ?? 0;
  for (const index of [...ops].sort((a, b) => a - b)) {
    const op = input.ops[index]!;
    if (op.kind === 'write') size = Math.max(size, op.offset + op.data.length);
    else if (op.kind === 'truncate') size = op.size;
  }
  return size;
}
