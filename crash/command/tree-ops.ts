/**
 * The directory-tree bridge: a command's fault-free trace → logical operations on every file and
 * directory under its work directory, the directories it makes on the way included (git's
 * `.git/objects/ab/`). crash/powerloss/from-trace.ts does the same for one writer's target
 * directory and $TMPDIR; here the watched set is a whole tree that grows while the command runs.
 */
import path from 'node:path';
import { resolveTrace, succeeded, type PathCall } from '../../core/trace/files.js';
import type { ParsedTrace } from '../../core/trace/strace.js';
import { allocatedWrite, syncTranslation, type PendingOp } from '../powerloss/call-ops.js';
import type { InitialState, InodeId, LogicalOp, PowerLossInput } from '../powerloss/types.js';
import type { TreeSnapshot } from './tree.js';

export interface TreeRun {
  trace: ParsedTrace;
  before: TreeSnapshot;
  after: TreeSnapshot;
  /** The command exited 0. */
  reportedSuccess: boolean;
  /** For each file a syncfs was called on: whether it lives on the work directory's file system. */
  fileSystems?: ReadonlyMap<string, boolean>;
}

export interface TreeTranslation {
  input: PowerLossInput;
  /** Per op, the trace position (`seq`) of the call it came from. */
  seqs: number[];
  /** Where each directory of the initial tree sits, relative to the work directory ('' is the root). */
  root: string;
  /** Bytes of writes the trace could not give (overwritten later, or in a file that is gone). */
  unknownBytes: number;
  notes: string[];
  /** Calls on a watched file whose effect the model does not follow: a command with any is not judged. */
  unmodelled: string[];
  /** Calls whose I/O strace cannot see (io_uring, Linux AIO), by name, once each. */
  unseen: string[];
}

/** Bytes standing for data the trace did not carry: never equal to a real content. */
const UNKNOWN_FILL = 0xa5;

/** The root of the tree is inode 1; the rest are numbered in path order, hard links sharing one number. */
const ROOT_INO = 1;

interface Carrier {
  pc: PathCall;
  ino: number;
  offset: number;
  length: number | undefined;
}

/**
 * Turns a command's trace into logical operations on the tree under `before.root`: creates, links,
 * unlinks, renames, mkdirs, writes (with their bytes from the files as the command left them),
 * truncates, syncs and closes, each file followed by identity. Everything outside the tree is left
 * out; a call on a file of the tree that the model does not follow is listed in `unmodelled`.
 */
export function treeOps(run: TreeRun): TreeTranslation {
  const root = run.before.root;
  const inoByIdentity = new Map<string, InodeId>();
  const existing = new Map<string, InodeId>();
  let next = ROOT_INO;
  const number = (file: string): InodeId => {
    const identity = run.before.identity.get(file) ?? `path:${file}`;
    let ino = inoByIdentity.get(identity);
    if (ino === undefined) inoByIdentity.set(identity, (ino = next++));
    existing.set(file, ino);
    return ino;
  };
  for (const dir of run.before.dirs) number(dir);
  for (const file of [...run.before.files.keys(), ...run.before.links.keys()].sort()) number(file);
  const initialDirs = new Set(run.before.dirs.map((dir) => existing.get(dir) as InodeId));

  // Directories of the tree by their path as the trace goes: made, moved and removed by the command.
  const dirByPath = new Map<string, InodeId>(run.before.dirs.map((dir) => [dir, existing.get(dir) as InodeId]));
  const dirIno = (dir: string): InodeId | undefined => dirByPath.get(dir);
  const inTree = (file: string | undefined): boolean => file !== undefined && dirIno(path.dirname(file)) !== undefined;
  const under = (file: string): boolean => file === root || file.startsWith(`${root}${path.sep}`);
  const onWatchedFileSystem = (file: string): boolean | undefined => (under(file) ? true : run.fileSystems?.get(file));

  const sizesByPath = new Map([...run.before.files].map(([file, bytes]) => [file, bytes.length] as const));
  const { calls, names } = resolveTrace(run.trace, {
    existing,
    firstIno: next,
    sizes: sizesByPath,
    cwd: root,
    onWatchedFileSystem,
  });

  const watched = new Set<number>(existing.values());
  for (const pc of calls) {
    if (pc.ino === undefined || !succeeded(pc)) continue;
    const touches = [pc.fdPath, ...pc.paths, pc.call.resultPath].some((file) => file !== undefined && under(file));
    if (touches) watched.add(pc.ino);
  }
  const finalByIno = new Map<number, Buffer>();
  for (const [file, bytes] of run.after.files) {
    const ino = names.get(file);
    if (ino !== undefined) finalByIno.set(ino, bytes);
  }
  const carriers = carriersOf(calls, watched);
  const carrierOf = new Map(carriers.map((carrier) => [carrier.pc, carrier] as const));
  const directories = new Set<number>(initialDirs);

  const ops: LogicalOp[] = [];
  /** The trace position of the call each op came from (what a fault aimed at that step counts to). */
  const seqs: number[] = [];
  let currentSeq = -1;
  const notes: string[] = [];
  const unmodelled: string[] = [];
  const unseen = new Set<string>();
  let unknownBytes = 0;
  const sizes = new Map<number, number>(
    [...run.before.files].map(([file, bytes]) => [existing.get(file) as number, bytes.length] as const),
  );
  const push = (op: PendingOp): void => {
    ops.push({ ...op, index: ops.length } as LogicalOp);
    seqs.push(currentSeq);
    if (op.kind === 'write') sizes.set(op.ino, Math.max(sizes.get(op.ino) ?? 0, op.offset + op.data.length));
    if (op.kind === 'truncate') sizes.set(op.ino, op.size);
  };
  const label = (pc: PathCall): string => describeCall(pc, root);
  const entry = (file: string): { dir: InodeId; name: string } => ({
    dir: dirIno(path.dirname(file)) as InodeId,
    name: path.basename(file),
  });

  for (const pc of calls) {
    currentSeq = pc.call.seq;
    if (pc.family === 'unseen') unseen.add(pc.call.name);
    if (!succeeded(pc) || pc.ino === undefined) {
      if (succeeded(pc)) syncOp(pc);
      continue;
    }
    const ino = pc.ino;
    if (pc.unmodelled && watched.has(ino)) unmodelled.push(`${label(pc)}: ${pc.unmodelled}`);
    switch (pc.family) {
      case 'open': {
        const file = pc.paths[0] ?? pc.call.resultPath;
        if (pc.created) sizes.set(ino, 0);
        if (pc.anonymous || !inTree(file)) break;
        if (pc.created) push({ kind: 'create', ...entry(file as string), ino, call: label(pc) });
        else if (pc.truncated) push({ kind: 'truncate', ino, size: 0, call: label(pc) });
        break;
      }
      case 'mkdir':
      case 'symlink': {
        const file = pc.paths[0];
        if (!inTree(file)) break;
        const where = { ...entry(file as string), ino, call: label(pc) };
        if (pc.family === 'mkdir') {
          push({ kind: 'mkdir', ...where });
          dirByPath.set(file as string, ino);
          directories.add(ino);
        } else push({ kind: 'symlink', ...where, ...(pc.linkText !== undefined ? { text: pc.linkText } : {}) });
        break;
      }
      case 'write':
      case 'map':
      case 'clone': {
        const carrier = carrierOf.get(pc);
        if (!carrier) break;
        const data = bytesOf(carrier, finalByIno.get(carrier.ino), carriers, tracedBytes(pc));
        if (data.unknown) unknownBytes += data.bytes.length;
        if (data.bytes.length === 0) break;
        const via = pc.family === 'map' ? 'mapping' : pc.family === 'clone' ? 'clone' : undefined;
        push({
          kind: 'write',
          ino: carrier.ino,
          offset: carrier.offset,
          data: data.bytes,
          ...(pc.synchronous ? { syncedBy: pc.synchronous } : {}),
          ...(via ? { via } : {}),
          call: label(pc),
        });
        break;
      }
      case 'allocate':
        if (watched.has(ino) && pc.allocated) allocateOp(ino, pc);
        break;
      case 'truncate':
        if (watched.has(ino) && pc.size !== undefined) push({ kind: 'truncate', ino, size: pc.size, call: label(pc) });
        break;
      case 'sync':
      case 'range_sync':
        syncOp(pc);
        break;
      case 'close':
        if (watched.has(ino) && !directories.has(ino)) push({ kind: 'close', ino, call: label(pc) });
        break;
      case 'rename':
      case 'link':
        nameOp(pc, ino);
        break;
      case 'unlink': {
        const file = pc.paths[0];
        if (!inTree(file)) break;
        push({ kind: 'unlink', ...entry(file as string), ino, call: label(pc) });
        if (directories.has(ino)) forgetDir(file as string);
        break;
      }
    }
  }

  const initial: InitialState = { dirs: new Map(), files: new Map() };
  for (const dir of run.before.dirs) {
    const entries = new Map<string, InodeId>();
    initial.dirs.set(existing.get(dir) as InodeId, {
      path: dir,
      ...(dir === root ? { label: 'the work directory' } : {}),
      entries,
    });
  }
  const parentEntries = (file: string): Map<string, InodeId> | undefined =>
    initial.dirs.get(existing.get(path.dirname(file)) as InodeId)?.entries;
  for (const dir of run.before.dirs) if (dir !== root) parentEntries(dir)?.set(path.basename(dir), existing.get(dir)!);
  for (const [file, bytes] of run.before.files) {
    const ino = existing.get(file) as InodeId;
    parentEntries(file)?.set(path.basename(file), ino);
    initial.files.set(ino, bytes);
  }
  // A symlink of the initial tree is an entry whose text the model learns from a symlink op only:
  // an initial one is carried as a create with no data, so materialized states keep a file there.
  for (const file of run.before.links.keys()) parentEntries(file)?.set(path.basename(file), existing.get(file)!);

  return {
    input: commandInput(ops, initial, run.reportedSuccess),
    seqs,
    root,
    unknownBytes,
    notes: [...new Set(notes)],
    unmodelled: [...new Set(unmodelled)],
    unseen: [...unseen],
  };

  function forgetDir(dir: string): void {
    for (const known of [...dirByPath.keys()])
      if (known === dir || known.startsWith(`${dir}${path.sep}`)) dirByPath.delete(known);
  }

  function syncOp(pc: PathCall): void {
    const translated = syncTranslation(pc, watched, label(pc), "the work directory's");
    if (translated === undefined) return;
    if ('op' in translated) push(translated.op);
    else if ('note' in translated) notes.push(translated.note);
    else unmodelled.push(translated.unmodelled);
  }

  function allocateOp(ino: number, pc: PathCall): void {
    const op = allocatedWrite(ino, pc, sizes.get(ino) ?? finalByIno.get(ino)?.length ?? 0, label(pc));
    if (op) push(op);
  }

  function nameOp(pc: PathCall, ino: number): void {
    const [from, to] = pc.paths as [string, string];
    if (from === undefined || to === undefined) return;
    const fromIn = inTree(from);
    const toIn = inTree(to);
    if (!fromIn && !toIn) return;
    if (pc.exchangedIno !== undefined) {
      if (!fromIn || !toIn) unmodelled.push(`${label(pc)}: an exchange with a name outside the work directory`);
      else {
        const a = entry(from);
        const b = entry(to);
        push({
          kind: 'exchange',
          fromDir: a.dir,
          fromName: a.name,
          toDir: b.dir,
          toName: b.name,
          ino,
          other: pc.exchangedIno,
          call: label(pc),
        });
      }
      return;
    }
    if (pc.family === 'link' || !fromIn) {
      if (toIn) push({ kind: 'link', ...entry(to), ino, call: label(pc) });
      return;
    }
    if (!toIn) {
      push({ kind: 'unlink', ...entry(from), ino, call: label(pc) });
      if (directories.has(ino)) forgetDir(from);
      return;
    }
    const a = entry(from);
    const b = entry(to);
    push({
      kind: 'rename',
      fromDir: a.dir,
      fromName: a.name,
      toDir: b.dir,
      toName: b.name,
      ino,
      ...(pc.replacedIno !== undefined ? { replaced: pc.replacedIno } : {}),
      call: label(pc),
    });
    if (directories.has(ino)) {
      // A directory moved: every path under it moves with it.
      for (const [known, dir] of [...dirByPath]) {
        if (known !== from && !known.startsWith(`${from}${path.sep}`)) continue;
        dirByPath.delete(known);
        dirByPath.set(to + known.slice(from.length), dir);
      }
    }
  }
}

/**
 * The power-loss input of a command: no file is judged as a writer's target (the checker and the
 * per-file checks judge the whole tree).
 */
function commandInput(ops: LogicalOp[], initial: InitialState, reportedSuccess: boolean): PowerLossInput {
  return { ops, initial, targets: [], reportedSuccess };
}

function carriersOf(calls: readonly PathCall[], watched: ReadonlySet<number>): Carrier[] {
  const carriers: Carrier[] = [];
  for (const pc of calls) {
    if (!succeeded(pc) || pc.ino === undefined || !watched.has(pc.ino)) continue;
    if (pc.family === 'write' && pc.offset !== undefined && pc.length)
      carriers.push({ pc, ino: pc.ino, offset: pc.offset, length: pc.length });
    else if (pc.mapped && pc.mapped.length > 0)
      carriers.push({ pc, ino: pc.ino, offset: pc.mapped.offset, length: pc.mapped.length });
    else if (pc.cloned) carriers.push({ pc, ino: pc.ino, offset: pc.cloned.offset, length: pc.cloned.length });
  }
  return carriers;
}

/**
 * The bytes a write or pwrite64 call carried, when the trace printed them whole (`-xx` with a string
 * limit above the write's size: every byte as \xNN): a temp file the command deletes, or a range it
 * writes twice, is then known exactly (SQLite's rollback journal is both).
 */
function tracedBytes(pc: PathCall): Buffer | undefined {
  if (pc.call.name !== 'write' && pc.call.name !== 'pwrite64') return undefined;
  const match = /^"((?:\\x[0-9a-f]{2})*)"$/.exec(pc.call.args[1] ?? '');
  if (!match) return undefined;
  const bytes = Buffer.from((match[1] as string).replaceAll('\\x', ''), 'hex');
  // A short write printed the whole buffer it was given; what reached the file is its first `length` bytes.
  return pc.length !== undefined && bytes.length >= pc.length ? bytes.subarray(0, pc.length) : undefined;
}

/**
 * A carrier's bytes: from the file's final content when no later carrier covered any of its range,
 * else from the trace when it printed them whole, else marked unknown.
 */
function bytesOf(
  carrier: Carrier,
  final: Buffer | undefined,
  carriers: readonly Carrier[],
  traced: Buffer | undefined,
): { bytes: Buffer; unknown: boolean } {
  const start = carrier.offset;
  const bounded = carrier.pc.family === 'map' || carrier.pc.family === 'clone';
  const wanted = carrier.length === undefined ? (final?.length ?? 0) - start : carrier.length;
  const end = bounded && final !== undefined ? Math.min(start + wanted, final.length) : start + wanted;
  if (end <= start) return { bytes: Buffer.alloc(0), unknown: false };
  const overwritten = carriers.some(
    (later) =>
      later.pc.call.seq > carrier.pc.call.seq &&
      later.ino === carrier.ino &&
      later.offset < end &&
      (later.length === undefined || later.offset + later.length > start),
  );
  if (final !== undefined && !overwritten && final.length >= end)
    return { bytes: final.subarray(start, end), unknown: false };
  if (traced !== undefined && traced.length === end - start) return { bytes: traced, unknown: false };
  return { bytes: Buffer.alloc(end - start, UNKNOWN_FILL), unknown: true };
}

/** `rename(.git/index.lock → .git/index)`: a call with paths relative to the work directory. */
export function describeCall(pc: PathCall, root: string): string {
  const show = (file: string | undefined): string => {
    if (file === undefined) return '?';
    if (file === root) return '.';
    if (file.startsWith(`${root}${path.sep}`)) return path.relative(root, file);
    return file;
  };
  const two = pc.family === 'rename' || pc.family === 'link';
  const files = two
    ? `${show(pc.paths[0])} → ${show(pc.paths[1])}`
    : pc.family === 'sync' && pc.call.name === 'sync'
      ? ''
      : show(pc.fdPath ?? pc.paths[0] ?? pc.call.resultPath);
  const how = (() => {
    if (pc.family === 'write')
      return `, ${pc.length} bytes at ${pc.offset}${pc.synchronous ? `, ${pc.synchronous}` : ''}`;
    if (pc.mapped) return `, shared mapping of ${pc.mapped.length} bytes at ${pc.mapped.offset}`;
    if (pc.exchangedIno !== undefined) return ', RENAME_EXCHANGE';
    if (pc.reach?.scope === 'range') return `, MS_SYNC of ${pc.reach.length} bytes at ${pc.reach.offset}`;
    return '';
  })();
  return `${pc.call.name}(${files}${how})`;
}
