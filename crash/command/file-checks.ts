/**
 * The built-in per-file checks of a command, judged in every crash state whatever the user's checker
 * says, wherever they apply: a file the command put in place by rename or link (the atomic-replace
 * idiom) must hold, under that name, its earlier content or one the command renamed there — never a
 * torn or empty one (atomicity); and a file the command fsynced before renaming it into place, in a
 * run that exited 0, must be there with its final bytes once the command has exited (durability).
 * A checker that says "consistent" about a state that lost such a file does not hide it.
 */
import { durableDataOps, isDataOp, issuedAt } from '../powerloss/op-facts.js';
import type { ContentCache, CrashState } from '../powerloss/state.js';
import { resolveEntries } from '../powerloss/state.js';
import type { InodeId, PowerLossInput } from '../powerloss/types.js';
import { fullyPersisted } from './replay.js';

/** A name the command published by rename or link and that still names that file when it exits. */
export interface PlacedFile {
  dir: InodeId;
  name: string;
  /** The path relative to the work directory, for explanations. */
  label: string;
  /** The contents the name may hold in any crash state: before the run, or what each rename put there. */
  allowed: Buffer[];
  /** The name may be absent (it did not exist before the run). */
  mayBeAbsent: boolean;
  /** Its file was fsynced before it was put in place (and the command exited 0): it must be there at the end. */
  durable: boolean;
  /** Its final bytes. */
  final: Buffer;
  /** The op that last put it in place. */
  placedBy: number;
}

export type FileCheckName = 'atomicity' | 'durability';

export interface FileViolation {
  check: FileCheckName;
  file: PlacedFile;
  /** What the name held: absent, or how many bytes that are none of the allowed contents. */
  held: string;
}

/** The placed files of a run, with what each may hold (labels from `pathOf`: inode of a directory → its path). */
export function placedFiles(
  input: PowerLossInput,
  cache: ContentCache,
  pathOf: (dir: InodeId) => string,
): PlacedFile[] {
  const final = fullyPersisted(input);
  const finalEntries = resolveEntries(input, final);
  const placed = new Map<string, PlacedFile>();
  for (const op of input.ops) {
    if (op.kind !== 'rename' && op.kind !== 'link') continue;
    const dir = op.kind === 'rename' ? op.toDir : op.dir;
    const name = op.kind === 'rename' ? op.toName : op.name;
    if (finalEntries.get(dir)?.get(name) !== op.ino) continue;
    const key = `${dir}/${name}`;
    const initialIno = input.initial.dirs.get(dir)?.entries.get(name);
    const earlier = placed.get(key);
    const atRename = contentAt(input, cache, op.ino, op.index);
    const dataOps = input.ops.filter((other) => isDataOp(other) && other.ino === op.ino && other.index < op.index);
    const durable = durableDataOps(issuedAt(input, op.index), op.ino);
    const synced = input.ops.some((other) => other.kind === 'sync' && other.ino === op.ino && other.index < op.index);
    placed.set(key, {
      dir,
      name,
      label: `${pathOf(dir)}${pathOf(dir) ? '/' : ''}${name}`,
      allowed: [
        ...(earlier?.allowed ??
          (initialIno !== undefined ? [input.initial.files.get(initialIno) ?? Buffer.alloc(0)] : [])),
        atRename,
      ],
      mayBeAbsent: earlier?.mayBeAbsent ?? initialIno === undefined,
      durable: input.reportedSuccess && synced && dataOps.every((data) => durable.has(data.index)),
      final: cache.contentOf(final, op.ino).toBuffer(),
      placedBy: op.index,
    });
  }
  return [...placed.values()];
}

/** A file's bytes once the ops before `before` are applied, as built by the model's own content code. */
function contentAt(input: PowerLossInput, cache: ContentCache, ino: InodeId, before: number): Buffer {
  const ops = input.ops.filter((op) => isDataOp(op) && op.ino === ino && op.index < before).map((op) => op.index);
  const state: CrashState = {
    crashAfter: before,
    meta: { entries: [], journaledTruncates: [], lost: [] },
    files: new Map([[ino, { ino, label: 'as renamed', lost: [], recipe: { kind: 'ops', ops } }]]),
  };
  return cache.contentOf(state, ino).toBuffer();
}

/** The per-file violations of one state (durability only at the last crash point of a run that exited 0). */
export function fileViolations(
  input: PowerLossInput,
  state: CrashState,
  cache: ContentCache,
  files: readonly PlacedFile[],
): FileViolation[] {
  if (files.length === 0) return [];
  const entries = resolveEntries(input, state);
  const atEnd = state.crashAfter === input.ops.length - 1;
  const found: FileViolation[] = [];
  for (const file of files) {
    const ino = entries.get(file.dir)?.get(file.name);
    const content = ino === undefined ? undefined : cache.contentOf(state, ino);
    const held =
      content === undefined
        ? 'nothing (the name is absent)'
        : content.size > 0 && content.isAllZero()
          ? `${content.size} zero bytes`
          : `${content.size} bytes`;
    const atomic = content === undefined ? file.mayBeAbsent : file.allowed.some((bytes) => content.equals(bytes));
    if (!atomic) found.push({ check: 'atomicity', file, held: `${held}, neither its earlier nor a renamed content` });
    if (file.durable && atEnd && !content?.equals(file.final))
      found.push({
        check: 'durability',
        file,
        held:
          content === undefined
            ? held
            : atomic
              ? `${held}: its earlier content`
              : `${held} that are not its final bytes`,
      });
  }
  return found;
}
