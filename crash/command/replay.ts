/**
 * Whether a command's trace accounts for what it did: the run replayed with every op persisted must
 * leave exactly the tree the command left, name for name and byte for byte. A mismatch means some of
 * its I/O went where the tracer cannot see (or a call the model does not follow, e.g. rmdir): such a
 * command is not judged, never passed.
 */
import path from 'node:path';
import { MODELS } from '../powerloss/models/index.js';
import { directoryInodes, symlinkTexts } from '../powerloss/op-facts.js';
import { StateSpace } from '../powerloss/space.js';
import { ContentCache, resolveEntries, type CrashState } from '../powerloss/state.js';
import type { InodeId, PowerLossInput } from '../powerloss/types.js';
import type { TreeSnapshot } from './tree.js';

/** The state where everything the run issued is on disk: the command's own result. */
export function fullyPersisted(input: PowerLossInput): CrashState {
  const space = new StateSpace(input, MODELS.posix);
  const last = input.ops.length - 1;
  const block = space.blocks.find((candidate) => candidate.crashAfter === last) ?? space.blocks[0]!;
  return space.state(block.first);
}

export type TreeEntry = { kind: 'dir' } | { kind: 'link'; text: string } | { kind: 'file'; ino: InodeId };

/** Every path of a state's tree, relative to the work directory (the root inode is the one labelled so). */
export function stateTree(input: PowerLossInput, state: CrashState, rootIno: InodeId): Map<string, TreeEntry> {
  const entries = resolveEntries(input, state);
  const directories = directoryInodes(input);
  const links = symlinkTexts(input);
  const tree = new Map<string, TreeEntry>();
  const seen = new Set<InodeId>();
  const walk = (ino: InodeId, relative: string): void => {
    if (seen.has(ino)) return;
    seen.add(ino);
    for (const [name, child] of entries.get(ino) ?? []) {
      const childPath = relative ? path.join(relative, name) : name;
      if (directories.has(child)) {
        tree.set(childPath, { kind: 'dir' });
        walk(child, childPath);
      } else {
        const text = links.get(child);
        tree.set(childPath, text !== undefined ? { kind: 'link', text } : { kind: 'file', ino: child });
      }
    }
  };
  walk(rootIno, '');
  return tree;
}

/** The first difference between the fully persisted replay and the tree the command left, in words. */
export function replayMismatch(input: PowerLossInput, after: TreeSnapshot, rootIno: InodeId): string | undefined {
  const state = fullyPersisted(input);
  const modelled = stateTree(input, state, rootIno);
  const cache = new ContentCache(input);
  const real = new Map<string, TreeEntry | { kind: 'real-file'; bytes: Buffer }>();
  const rel = (full: string): string => path.relative(after.root, full);
  for (const dir of after.dirs) if (dir !== after.root) real.set(rel(dir), { kind: 'dir' });
  for (const [file, bytes] of after.files) real.set(rel(file), { kind: 'real-file', bytes });
  for (const [link, text] of after.links) real.set(rel(link), { kind: 'link', text });
  if (after.special.length > 0)
    return `it left ${rel(after.special[0] as string)}, which is not a file, directory or symlink`;
  for (const [name, entry] of real) {
    const model = modelled.get(name);
    if (!model) return `${name} is there after the run, but its traced calls never made it`;
    if (entry.kind === 'real-file') {
      if (model.kind !== 'file') return `${name} is a file, but its traced calls made a ${model.kind}`;
      if (!cache.contentOf(state, model.ino).equals(entry.bytes))
        return `${name} does not hold the bytes its traced calls wrote`;
    } else if (
      entry.kind !== model.kind ||
      (entry.kind === 'link' && model.kind === 'link' && entry.text !== model.text)
    )
      return `${name} is a ${entry.kind} after the run, but its traced calls made a ${model.kind}`;
  }
  for (const name of modelled.keys())
    if (!real.has(name)) return `${name} is gone after the run, but no traced call removed it`;
  return undefined;
}
