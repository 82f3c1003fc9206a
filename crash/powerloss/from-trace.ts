import path from 'node:path';
import { resolveTrace, succeeded, type PathCall } from '../../core/trace/files.js';
import type { ParsedTrace } from '../../core/trace/strace.js';
import { allocatedWrite, syncTranslation, type PendingOp } from './call-ops.js';
import type { InitialState, InodeId, LogicalOp, PowerLossInput } from './types.js';

/** One fault-free run of a writer, as the power-loss model needs it. */
export interface RecordedRun {
  trace: ParsedTrace;
  /** The target's directory and the writer's $TMPDIR: the only places whose state is modelled. */
  dir: string;
  tmpDir: string;
  target: string;
  /** The target's content before the run (undefined: absent). */
  old: Buffer | undefined;
  /** What the writer was asked to write. */
  fresh: Buffer;
  reportedSuccess: boolean;
  /** Regular files in the watched directories after the run, by path: the source of their written bytes. */
  finalContents: ReadonlyMap<string, Buffer>;
  /** Symlinks in the watched directories after the run, by path: their text. */
  finalLinks?: ReadonlyMap<string, string>;
  /**
   * For each file a syncfs was called on: whether it lives on the watched directories' file system (asked while the
   * run's files existed).
   */
  fileSystems?: ReadonlyMap<string, boolean>;
}

/** One file of a batch, as judged: where it is, what it held before the run and what the writer was asked to write. */
export interface RecordedTarget {
  path: string;
  old: Buffer | undefined;
  fresh: Buffer;
}

/**
 * A fault-free run of a writer that wrote several files in one call (a batch): the same record as
 * a single write, with every judged file instead of one. Their directories and $TMPDIR are watched.
 */
export interface RecordedBatchRun extends Omit<RecordedRun, 'dir' | 'target' | 'old' | 'fresh'> {
  targets: RecordedTarget[];
}

/** What the bridge could not know exactly, or saw and set aside, said in the report beside the figures. */
export interface Translation {
  input: PowerLossInput;
  /** Writes whose bytes were not recoverable (overwritten later, or their file is gone): filled with a marker. */
  unknownBytes: number;
  /** Calls that looked like syncs but persist nothing here, in words ("sync_file_range(…) persists no metadata"). */
  notes: string[];
  /** Calls on a watched file whose effect the model does not follow: a writer with any is not judged. */
  unmodelled: string[];
  /** Calls whose I/O strace cannot see (io_uring, Linux AIO), by name, once each. */
  unseen: string[];
}

/** Bytes standing for data the trace did not carry: never equal to a real content. */
const UNKNOWN_FILL = 0xa5;

const DIR_INO = 1;
const TMP_INO = 2;
const TARGET_INO = 3;

/**
 * Where the judged files live and how their inodes are numbered. One target keeps the numbers a
 * single write always had (its directory 1, $TMPDIR 2, the target 3); a batch numbers its first
 * directory 1, $TMPDIR 2, its targets from 3, then its other directories.
 */
interface Layout {
  tmpDir: string;
  /** Watched directories (not $TMPDIR): path → inode, label. */
  dirs: Map<string, { ino: InodeId; label: string; show: string }>;
  targets: { path: string; ino: InodeId; dir: InodeId; old: Buffer | undefined; fresh: Buffer; label?: string }[];
  firstFreeIno: InodeId;
}

function singleLayout(run: RecordedRun): Layout {
  return {
    tmpDir: run.tmpDir,
    dirs: new Map([[run.dir, { ino: DIR_INO, label: "the target's directory", show: '' }]]),
    targets: [{ path: run.target, ino: TARGET_INO, dir: DIR_INO, old: run.old, fresh: run.fresh }],
    firstFreeIno: TARGET_INO + 1,
  };
}

function batchLayout(run: RecordedBatchRun): Layout {
  if (run.targets.length === 0) throw new Error('a batch run needs at least one target');
  if (new Set(run.targets.map((target) => target.path)).size !== run.targets.length)
    throw new Error('a batch run names one of its targets twice');
  const paths = [...new Set(run.targets.map((target) => path.dirname(target.path)))];
  const root = commonParent([run.tmpDir, ...paths]);
  const shown = (dir: string): string => path.relative(root, dir) || '.';
  let next = TARGET_INO + run.targets.length;
  const dirs = new Map(
    paths.map((dir, i) => [
      dir,
      { ino: i === 0 ? DIR_INO : next++, label: `the batch's directory ${shown(dir)}`, show: shown(dir) },
    ]),
  );
  const targets = run.targets.map((target, i) => ({
    ...target,
    ino: TARGET_INO + i,
    dir: dirs.get(path.dirname(target.path))!.ino,
    label: path.relative(root, target.path),
  }));
  return { tmpDir: run.tmpDir, dirs, targets, firstFreeIno: next };
}

/** The deepest directory containing every one of `dirs`. */
function commonParent(dirs: readonly string[]): string {
  let common = dirs[0] as string;
  while (!dirs.every((dir) => dir === common || dir.startsWith(common.endsWith('/') ? common : `${common}/`)))
    common = path.dirname(common);
  return common;
}

/** A call that put bytes into a file (a write, a mapping, a clone): where, and how many when the trace says. */
interface Carrier {
  pc: PathCall;
  ino: number;
  offset: number;
  /** Undefined: to the end of the file's final content (a whole-file clone). */
  length: number | undefined;
}

/**
 * Turns a fault-free trace into logical operations on inodes and directory entries, the way ALICE
 * does: only what touched the target's directory or the writer's $TMPDIR, with each file followed
 * by identity (a temp renamed into place keeps its number). The bytes of a write, of a shared
 * mapping and of a clone come from the file's content after the run where that range was written
 * once; anything else is marked unknown. Every way of reaching the disk in core/trace's table
 * becomes an op here; a call the model cannot follow is listed in `unmodelled`, never guessed.
 */
export function logicalOps(run: RecordedRun): Translation {
  return translate(run, singleLayout(run));
}

/**
 * The same translation for a batch: every judged file's directory and $TMPDIR are watched, and
 * each file is judged on its own (crash/powerloss/explore.ts).
 */
export function batchLogicalOps(run: RecordedBatchRun): Translation {
  return translate(run, batchLayout(run));
}

function translate(run: Omit<RecordedRun, 'dir' | 'target' | 'old' | 'fresh'>, layout: Layout): Translation {
  const present = layout.targets.filter((target) => target.old !== undefined);
  const existing = new Map<string, number>([
    ...[...layout.dirs].map(([dir, { ino }]) => [dir, ino] as const),
    [run.tmpDir, TMP_INO],
  ]);
  for (const target of present) existing.set(target.path, target.ino);
  const dirInos = new Set<number>([...[...layout.dirs.values()].map(({ ino }) => ino), TMP_INO]);
  const dirIno = (dir: string): InodeId | undefined => (dir === run.tmpDir ? TMP_INO : layout.dirs.get(dir)?.ino);
  const watchedPath = (file: string | undefined): boolean =>
    file !== undefined && dirIno(path.dirname(file)) !== undefined;
  const onWatchedFileSystem = (file: string): boolean | undefined =>
    dirIno(file) !== undefined || watchedPath(file) ? true : run.fileSystems?.get(file);
  const { calls, names } = resolveTrace(run.trace, {
    existing,
    firstIno: layout.firstFreeIno,
    sizes: present.length > 0 ? new Map(present.map((target) => [target.path, target.old!.length])) : undefined,
    onWatchedFileSystem,
  });

  const watched = new Set<number>([...dirInos, ...layout.targets.map((target) => target.ino)]);
  for (const pc of calls) {
    if (pc.ino === undefined || !succeeded(pc)) continue;
    if (watchedPath(pc.fdPath) || pc.paths.some(watchedPath) || watchedPath(pc.call.resultPath)) watched.add(pc.ino);
  }
  const finalByIno = finalContentsByIno(names, run);
  const carriers = carriersOf(calls, watched);
  const carrierOf = new Map(carriers.map((carrier) => [carrier.pc, carrier] as const));

  const ops: LogicalOp[] = [];
  const notes: string[] = [];
  const unmodelled: string[] = [];
  const unseen = new Set<string>();
  let unknownBytes = 0;
  const sizes = new Map<number, number>(present.map((target) => [target.ino, target.old!.length]));
  const push = (op: PendingOp): void => {
    ops.push({ ...op, index: ops.length } as LogicalOp);
    if (op.kind === 'write') sizes.set(op.ino, Math.max(sizes.get(op.ino) ?? 0, op.offset + op.data.length));
    if (op.kind === 'truncate') sizes.set(op.ino, op.size);
  };
  const label = (pc: PathCall): string => describe(pc, layout);
  const pushBytes = (
    carrier: Carrier,
    extra: { syncedBy?: PathCall['synchronous']; via?: 'mapping' | 'clone' },
  ): void => {
    const data = bytesOf(carrier, finalByIno.get(carrier.ino), carriers);
    if (data.unknown) unknownBytes += data.bytes.length;
    if (data.bytes.length === 0) return;
    push({
      kind: 'write',
      ino: carrier.ino,
      offset: carrier.offset,
      data: data.bytes,
      ...(extra.syncedBy ? { syncedBy: extra.syncedBy } : {}),
      ...(extra.via ? { via: extra.via } : {}),
      call: label(carrier.pc),
    });
  };

  for (const pc of calls) {
    if (pc.family === 'unseen') unseen.add(pc.call.name);
    if (!succeeded(pc) || pc.ino === undefined) {
      if (succeeded(pc)) syncOp(pc);
      continue;
    }
    const ino = pc.ino;
    if (pc.unmodelled && watched.has(ino)) unmodelled.push(`${label(pc)}: ${pc.unmodelled}`);
    switch (pc.family) {
      case 'open': {
        const file = pc.paths[0];
        if (pc.created) sizes.set(ino, 0);
        if (pc.anonymous || !watchedPath(file)) break;
        const dir = dirIno(path.dirname(file as string)) as InodeId;
        if (pc.created) push({ kind: 'create', dir, name: path.basename(file as string), ino, call: label(pc) });
        else if (pc.truncated) push({ kind: 'truncate', ino, size: 0, call: label(pc) });
        break;
      }
      case 'mkdir':
      case 'symlink': {
        const file = pc.paths[0];
        if (!watchedPath(file)) break;
        const where = {
          dir: dirIno(path.dirname(file as string)) as InodeId,
          name: path.basename(file as string),
          ino,
          call: label(pc),
        };
        push(
          pc.family === 'mkdir'
            ? { kind: 'mkdir', ...where }
            : { kind: 'symlink', ...where, ...(pc.linkText !== undefined ? { text: pc.linkText } : {}) },
        );
        break;
      }
      case 'write':
      case 'map':
      case 'clone': {
        const carrier = carrierOf.get(pc);
        if (carrier)
          pushBytes(carrier, {
            syncedBy: pc.synchronous,
            via: pc.family === 'map' ? 'mapping' : pc.family === 'clone' ? 'clone' : undefined,
          });
        break;
      }
      case 'allocate':
        if (watched.has(ino) && pc.allocated) allocateOps(ino, pc);
        break;
      case 'truncate':
        if (watched.has(ino) && pc.size !== undefined) push({ kind: 'truncate', ino, size: pc.size, call: label(pc) });
        break;
      case 'sync':
      case 'range_sync':
        syncOp(pc);
        break;
      case 'close':
        if (watched.has(ino) && !dirInos.has(ino)) push({ kind: 'close', ino, call: label(pc) });
        break;
      case 'rename':
      case 'link':
        nameOp(pc, ino);
        break;
      case 'unlink': {
        const file = pc.paths[0];
        if (watchedPath(file))
          push({
            kind: 'unlink',
            dir: dirIno(path.dirname(file as string)) as InodeId,
            name: path.basename(file as string),
            ino,
            call: label(pc),
          });
        break;
      }
    }
  }

  const initial: InitialState = {
    dirs: new Map([
      ...[...layout.dirs].map(([dir, { ino, label }]) => {
        const inDir = present.filter((target) => target.dir === ino);
        const entries = new Map(inDir.map((target) => [path.basename(target.path), target.ino] as const));
        return [ino, { path: dir, label, entries }] as const;
      }),
      [TMP_INO, { path: run.tmpDir, label: '$TMPDIR', entries: new Map() }],
    ]),
    files: new Map(present.map((target) => [target.ino, target.old!] as const)),
  };
  const targets = layout.targets.map((target) => ({
    dir: target.dir,
    name: path.basename(target.path),
    old: target.old,
    fresh: target.fresh,
    ...(target.label !== undefined ? { label: target.label } : {}),
  }));
  return {
    input: { ops, initial, targets, reportedSuccess: run.reportedSuccess },
    unknownBytes,
    notes: [...new Set(notes)],
    unmodelled: [...new Set(unmodelled)],
    unseen: [...unseen],
  };

  function syncOp(pc: PathCall): void {
    const translated = syncTranslation(pc, watched, label(pc), "the target's");
    if (translated === undefined) return;
    if ('op' in translated) push(translated.op);
    else if ('note' in translated) notes.push(translated.note);
    else unmodelled.push(translated.unmodelled);
  }

  function allocateOps(ino: number, pc: PathCall): void {
    const op = allocatedWrite(ino, pc, sizes.get(ino) ?? finalByIno.get(ino)?.length ?? 0, label(pc));
    if (op) push(op);
  }

  /** rename, link, exchange: entries in the watched directories; a file arriving from elsewhere is a new entry. */
  function nameOp(pc: PathCall, ino: number): void {
    const [from, to] = pc.paths as [string, string];
    if (from === undefined || to === undefined) return;
    const fromDir = dirIno(path.dirname(from));
    const toDir = dirIno(path.dirname(to));
    if (fromDir === undefined && toDir === undefined) return;
    if (pc.exchangedIno !== undefined) {
      if (fromDir === undefined || toDir === undefined)
        unmodelled.push(`${label(pc)}: an exchange with a name outside the watched directories`);
      else
        push({
          kind: 'exchange',
          fromDir,
          fromName: path.basename(from),
          toDir,
          toName: path.basename(to),
          ino,
          other: pc.exchangedIno,
          call: label(pc),
        });
      return;
    }
    if (pc.family === 'link' || fromDir === undefined) {
      if (toDir !== undefined) push({ kind: 'link', dir: toDir, name: path.basename(to), ino, call: label(pc) });
      return;
    }
    if (toDir === undefined) {
      push({ kind: 'unlink', dir: fromDir, name: path.basename(from), ino, call: label(pc) });
      return;
    }
    push({
      kind: 'rename',
      fromDir,
      fromName: path.basename(from),
      toDir,
      toName: path.basename(to),
      ino,
      ...(pc.replacedIno !== undefined ? { replaced: pc.replacedIno } : {}),
      call: label(pc),
    });
  }
}

/** Every call that put bytes into a watched file, in trace order: writes and copies, shared mappings, clones. */
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

/** The content each file ended with: the files left in the watched directories, by the file their name held. */
function finalContentsByIno(
  names: ReadonlyMap<string, number>,
  run: Pick<RecordedRun, 'finalContents'>,
): Map<number, Buffer> {
  const byIno = new Map<number, Buffer>();
  for (const [file, bytes] of run.finalContents) {
    const ino = names.get(file);
    if (ino !== undefined) byIno.set(ino, bytes);
  }
  return byIno;
}

/**
 * A carrier's bytes: from the file's final content when no later carrier covered any of its range.
 * A mapping or a clone reaching past the final size carries only what the file kept.
 */
function bytesOf(
  carrier: Carrier,
  final: Buffer | undefined,
  carriers: readonly Carrier[],
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
  return { bytes: Buffer.alloc(end - start, UNKNOWN_FILL), unknown: true };
}

/** `renameat2($TMPDIR/x → target.dat)`: a call in the words of the trial's own layout, with how it wrote. */
function describe(pc: PathCall, layout: Layout): string {
  // One directory: its files by their names alone; a batch's directories by their paths from the trial.
  const single = layout.dirs.size === 1;
  const show = (file: string | undefined): string => {
    if (file === undefined) return '?';
    if (file === layout.tmpDir) return '$TMPDIR';
    const own = layout.dirs.get(file);
    if (own) return single ? '<dir>' : `<${own.show}>`;
    if (path.dirname(file) === layout.tmpDir) return `$TMPDIR/${path.basename(file)}`;
    const parent = layout.dirs.get(path.dirname(file));
    if (parent) return single ? path.basename(file) : `${parent.show}/${path.basename(file)}`;
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
