import path from 'node:path';
import { resolveTrace, succeeded, type PathCall } from '../../core/trace/files.js';
import type { ParsedTrace } from '../../core/trace/strace.js';
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
  /** Files in the watched directories after the run, by path: the source of their written bytes. */
  finalContents: ReadonlyMap<string, Buffer>;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** What the bridge could not know exactly, said in the report beside the figures. */
export interface Translation {
  input: PowerLossInput;
  /** Writes whose bytes were not recoverable (overwritten later, or their file is gone): filled with a marker. */
  unknownBytes: number;
}

/** Bytes standing for data the trace did not carry: never equal to a real content. */
const UNKNOWN_FILL = 0xa5;

const DIR_INO = 1;
const TMP_INO = 2;
const TARGET_INO = 3;

/**
 * Turns a fault-free trace into logical operations on inodes and directory entries, the way ALICE
 * does: only what touched the target's directory or the writer's $TMPDIR, with each file followed
 * by identity (a temp renamed into place keeps its number). The bytes of a write come from the
 * file's content after the run where that range was written once; anything else is marked unknown.
 */
export function logicalOps(run: RecordedRun): Translation {
  const existing = new Map<string, number>([
    [run.dir, DIR_INO],
    [run.tmpDir, TMP_INO],
  ]);
  if (run.old !== undefined) existing.set(run.target, TARGET_INO);
  const { calls, names } = resolveTrace(run.trace, { existing, firstIno: TARGET_INO + 1 });
  const dirIno = (dir: string): InodeId | undefined => (dir === run.dir ? DIR_INO : dir === run.tmpDir ? TMP_INO : undefined);
  const watchedPath = (file: string | undefined): boolean => file !== undefined && dirIno(path.dirname(file)) !== undefined;

  const watched = new Set<number>([DIR_INO, TMP_INO, TARGET_INO]);
  for (const pc of calls) {
    if (pc.ino === undefined || !succeeded(pc)) continue;
    if (watchedPath(pc.fdPath) || pc.paths.some(watchedPath) || watchedPath(pc.call.resultPath)) watched.add(pc.ino);
  }
  const finalByIno = finalContentsByIno(names, run);
  const writes = calls.filter((pc) => pc.family === 'write' && succeeded(pc) && pc.ino !== undefined && watched.has(pc.ino));

  const ops: LogicalOp[] = [];
  let unknownBytes = 0;
  const push = (op: DistributiveOmit<LogicalOp, 'index'>): void => {
    ops.push({ ...op, index: ops.length } as LogicalOp);
  };
  const label = (pc: PathCall): string => describe(pc, run);

  for (const pc of calls) {
    if (!succeeded(pc) || pc.ino === undefined) continue;
    const ino = pc.ino;
    switch (pc.family) {
      case 'open': {
        const file = pc.paths[0];
        if (!watchedPath(file)) break;
        const dir = dirIno(path.dirname(file as string)) as InodeId;
        if (pc.created) push({ kind: 'create', dir, name: path.basename(file as string), ino, call: label(pc) });
        else if (pc.truncated) push({ kind: 'truncate', ino, size: 0, call: label(pc) });
        break;
      }
      case 'mkdir': {
        const file = pc.paths[0];
        if (watchedPath(file)) push({ kind: 'mkdir', dir: dirIno(path.dirname(file as string)) as InodeId, name: path.basename(file as string), ino, call: label(pc) });
        break;
      }
      case 'write': {
        if (!watched.has(ino) || pc.offset === undefined || !pc.length) break;
        const data = bytesOf(pc, finalByIno.get(ino), writes);
        if (data.unknown) unknownBytes += pc.length;
        push({ kind: 'write', ino, offset: pc.offset, data: data.bytes, call: label(pc) });
        break;
      }
      case 'truncate':
        if (watched.has(ino) && pc.size !== undefined) push({ kind: 'truncate', ino, size: pc.size, call: label(pc) });
        break;
      case 'sync':
        if (watched.has(ino)) push({ kind: 'sync', ino, dataOnly: pc.call.name === 'fdatasync', call: label(pc) });
        break;
      case 'close':
        if (watched.has(ino) && ino !== DIR_INO && ino !== TMP_INO) push({ kind: 'close', ino, call: label(pc) });
        break;
      case 'rename':
      case 'link': {
        const [from, to] = pc.paths as [string, string];
        const fromDir = dirIno(path.dirname(from));
        const toDir = dirIno(path.dirname(to));
        if (fromDir === undefined && toDir === undefined) break;
        if (pc.family === 'link' || fromDir === undefined) {
          // A file arriving from an unwatched place: for the model, a new entry for it.
          if (toDir !== undefined) push({ kind: 'link', dir: toDir, name: path.basename(to), ino, call: label(pc) });
          break;
        }
        if (toDir === undefined) {
          push({ kind: 'unlink', dir: fromDir, name: path.basename(from), ino, call: label(pc) });
          break;
        }
        push({ kind: 'rename', fromDir, fromName: path.basename(from), toDir, toName: path.basename(to), ino, ...(pc.replacedIno !== undefined ? { replaced: pc.replacedIno } : {}), call: label(pc) });
        break;
      }
      case 'unlink': {
        const file = pc.paths[0];
        if (watchedPath(file)) push({ kind: 'unlink', dir: dirIno(path.dirname(file as string)) as InodeId, name: path.basename(file as string), ino, call: label(pc) });
        break;
      }
    }
  }

  const initial: InitialState = {
    dirs: new Map([
      [DIR_INO, { path: run.dir, label: "the target's directory", entries: new Map(run.old !== undefined ? [[path.basename(run.target), TARGET_INO]] : []) }],
      [TMP_INO, { path: run.tmpDir, label: '$TMPDIR', entries: new Map() }],
    ]),
    files: new Map(run.old !== undefined ? [[TARGET_INO, run.old]] : []),
  };
  return {
    input: { ops, initial, target: { dir: DIR_INO, name: path.basename(run.target) }, old: run.old, fresh: run.fresh, reportedSuccess: run.reportedSuccess },
    unknownBytes,
  };
}

/** The content each file ended with: the files left in the watched directories, by the file their name held. */
function finalContentsByIno(names: ReadonlyMap<string, number>, run: RecordedRun): Map<number, Buffer> {
  const byIno = new Map<number, Buffer>();
  for (const [file, bytes] of run.finalContents) {
    const ino = names.get(file);
    if (ino !== undefined) byIno.set(ino, bytes);
  }
  return byIno;
}

/** A write's bytes: from the file's final content when no later write covered any of its range. */
function bytesOf(pc: PathCall, final: Buffer | undefined, writes: readonly PathCall[]): { bytes: Buffer; unknown: boolean } {
  const start = pc.offset as number;
  const end = start + (pc.length as number);
  const overwritten = writes.some((later) => later.call.seq > pc.call.seq && later.ino === pc.ino && (later.offset as number) < end && (later.offset as number) + (later.length as number) > start);
  if (final !== undefined && !overwritten && final.length >= end) return { bytes: final.subarray(start, end), unknown: false };
  return { bytes: Buffer.alloc(end - start, UNKNOWN_FILL), unknown: true };
}

/** `renameat2($TMPDIR/x → target.dat)`: a call in the words of the trial's own layout. */
function describe(pc: PathCall, run: RecordedRun): string {
  const show = (file: string | undefined): string => {
    if (file === undefined) return '?';
    if (file === run.dir) return '<dir>';
    if (file === run.tmpDir) return '$TMPDIR';
    if (path.dirname(file) === run.tmpDir) return `$TMPDIR/${path.basename(file)}`;
    if (path.dirname(file) === run.dir) return path.basename(file);
    return file;
  };
  const files = pc.family === 'rename' || pc.family === 'link' ? `${show(pc.paths[0])} → ${show(pc.paths[1])}` : show(pc.fdPath ?? pc.paths[0] ?? pc.call.resultPath);
  const size = pc.family === 'write' ? `, ${pc.length} bytes at ${pc.offset}` : '';
  return `${pc.call.name}(${files}${size})`;
}
