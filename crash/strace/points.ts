import path from 'node:path';
import { reachesDirEntries, reachesFileData } from '../../core/trace/durability.js';
import { carriesPayload, filesOf, isStepCall, payloadBytesOf, type PathCall, type WritePath } from './write-path.js';

/** Why a write path has no write call to stop at, when its bytes arrive through a mapping. */
const THROUGH_MAPPING =
  'its payload goes through a shared mapping: no write call to stop at (a ' +
  'failed store there is a SIGBUS, not an error strace can inject)';

/**
 * The places on a write path where a fault is delivered, each as "at the entry of call X". A kill
 * at the entry of X leaves everything before X done and X itself not run (the kernel skips a
 * system call when a fatal signal is pending at its entry stop).
 */
export const POINTS = {
  temp_create: 'the open that creates the temp file (the target itself for an in-place writer)',
  after_temp_create: 'after the temp file is created, before any payload byte',
  first_write: 'the first write of the payload',
  mid_payload: 'in the middle of the payload (the k-th of n write calls, 1 < k <= n)',
  before_fsync: 'after the whole payload is written, before the fsync of the file',
  before_rename: 'after the fsync, before the rename onto the target',
  before_dir_fsync: 'after the rename, before the fsync of the directory',
  after_dir_fsync: 'after the fsync of the directory',
} as const;
export type PointId = keyof typeof POINTS;

export type Located = { call: PathCall } | { reason: string };

/** Finds the call at which `point` is delivered in a recorded (fault-free) write path. */
export function locate(model: WritePath, point: PointId): Located {
  if (model.dataPath === undefined)
    return { reason: 'the subject wrote nothing in the target directory or its temp directory' };
  switch (point) {
    case 'temp_create':
      return model.createOpen ? { call: model.createOpen } : { reason: 'no open of the file it writes was seen' };
    case 'after_temp_create': {
      const open = model.createOpen;
      if (!open) return { reason: 'no open of the file it writes was seen' };
      const next = model.calls.find(
        (pc) =>
          pc.call.seq > open.call.seq && (pc.ino === model.dataIno || filesOf(pc).includes(model.dataPath as string)),
      );
      return next ? { call: next } : { reason: 'no call touches the file after its open' };
    }
    case 'first_write':
      return model.writes[0]
        ? { call: model.writes[0] }
        : { reason: model.mappings.length ? THROUGH_MAPPING : 'no write call on the file' };
    case 'mid_payload': {
      // A call with payload both before and after it; a last call that returns 0 (EOF of a
      // copy_file_range loop) is not inside the payload.
      const total = model.bytesWritten;
      let before = 0;
      const inside: PathCall[] = [];
      for (const pc of model.writes) {
        if (before > 0 && before < total) inside.push(pc);
        before += Math.max(0, pc.call.retval ?? 0);
      }
      const call = inside[Math.floor((inside.length - 1) / 2)];
      if (!call && model.writes.length === 0 && model.mappings.length) return { reason: THROUGH_MAPPING };
      const calls = model.writes.filter((pc) => payloadBytesOf(pc) > 0).length;
      return call
        ? { call }
        : {
            reason:
              `the payload is written in ${calls} call${calls === 1 ? '' : 's'}, so ` +
              `there is no write boundary inside it`,
          };
    }
    case 'before_fsync': {
      const lastWrite = Math.max(model.writes.at(-1)?.call.seq ?? -1, model.mappings.at(-1)?.call.seq ?? -1);
      const sync = model.fileSyncs.find((pc) => pc.call.seq > lastWrite);
      if (sync) return { call: sync };
      const flags = [...new Set(model.writes.map((pc) => pc.synchronous))];
      if (model.writes.length > 0 && flags.length === 1 && flags[0] !== undefined) {
        return {
          reason:
            `its writes are synchronous (${flags[0]}): each is durable when it returns, ` +
            `so there is no separate sync to stop at`,
        };
      }
      return { reason: 'the subject never fsyncs the file it wrote' };
    }
    case 'before_rename':
      if (model.inPlace) return { reason: 'the subject writes the target in place: there is no rename' };
      return model.rename ? { call: model.rename } : { reason: 'no rename onto the target was seen' };
    case 'before_dir_fsync':
    case 'after_dir_fsync': {
      const rename = model.rename;
      if (!rename)
        return {
          reason: model.inPlace
            ? 'the subject writes the target in place: there is no rename'
            : 'no rename onto the target was seen',
        };
      const dirSync = model.dirSyncs.find((pc) => pc.call.seq > rename.call.seq);
      if (!dirSync) return { reason: 'the subject never fsyncs the directory after the rename' };
      if (point === 'before_dir_fsync') return { call: dirSync };
      const next = model.calls.find(
        (pc) => pc.call.seq > dirSync.call.seq && pc.call.tid === dirSync.call.tid && isStepCall(pc),
      );
      return next ? { call: next } : { reason: 'no traced call follows the directory fsync in its thread' };
    }
  }
}

/** What a recording says a trial must match. */
export interface HitExpectation {
  inPlace: boolean;
  /** The data file's name when it was the same in both recordings (fixed temp names, in-place). */
  stableDataName?: string;
  payloadBytes: number;
}

/**
 * Whether the call an injection fired on is `point` of this trial's own trace. Returns undefined
 * when it is, else why not, in words for the report.
 */
export function missReason(
  model: WritePath,
  fired: PathCall,
  point: PointId,
  expect: HitExpectation,
): string | undefined {
  const { dir, target, tmpDir } = model;
  const isData = (file: string | undefined): boolean => {
    if (file === undefined) return false;
    if (expect.stableDataName !== undefined) return file === path.join(dir, expect.stableDataName);
    if (expect.inPlace) return file === target;
    const parent = path.dirname(file);
    return (parent === dir || (tmpDir !== undefined && parent === tmpDir)) && file !== target;
  };
  const before = model.calls.filter((pc) => pc.call.seq < fired.call.seq);
  // By identity: a temp renamed into place before the fault is still the file the bytes went to.
  const bytesBefore = (ino: number | undefined): number =>
    before
      .filter((pc) => (carriesPayload(pc) || pc.mapped) && ino !== undefined && pc.ino === ino)
      .reduce((sum, pc) => sum + payloadBytesOf(pc), 0);
  const syncsDir = (pc: PathCall): boolean =>
    pc.family === 'sync' && (pc.fdPath === dir || reachesDirEntries(pc, model.dirIno, { whenFailed: true }));
  switch (point) {
    case 'temp_create':
      if (fired.family !== 'open') return 'it is not an open';
      // O_TMPFILE names the directory the anonymous file is made in, not a file.
      if (
        /\bO_TMPFILE\b/.test(fired.call.args.join(',')) &&
        !expect.inPlace &&
        (fired.paths[0] === dir || fired.paths[0] === tmpDir)
      )
        return undefined;
      return isData(fired.paths[0]) ? undefined : `it opens ${fired.paths[0] ?? '?'}, not the file the payload goes to`;
    case 'after_temp_create': {
      const file = filesOf(fired).find(isData);
      if (!file) return 'it does not touch the file the payload goes to';
      const open = [...before]
        .reverse()
        .find((pc) => pc.family === 'open' && pc.call.resultPath === file && pc.call.finished);
      if (!open) return 'the file was not opened before it';
      const between = before.filter((pc) => pc.call.seq > open.call.seq && filesOf(pc).includes(file));
      return between.length === 0 ? undefined : `${between.length} call(s) already touched the file after its open`;
    }
    case 'first_write':
    case 'mid_payload': {
      if (!carriesPayload(fired) || !isData(fired.fdPath)) return 'it is not a write to the file the payload goes to';
      const done = bytesBefore(fired.ino);
      if (point === 'first_write') return done === 0 ? undefined : `${done} payload bytes were already written`;
      if (done === 0) return 'no payload byte was written before it (first write)';
      return done < expect.payloadBytes ? undefined : 'the whole payload was already written';
    }
    case 'before_fsync': {
      // The file the payload went to, by identity: the last file that received payload bytes before the sync.
      const dataIno = [...before].reverse().find((pc) => (carriesPayload(pc) || pc.mapped) && isData(pc.fdPath))?.ino;
      const reaches =
        fired.family === 'sync' && (isData(fired.fdPath) || reachesFileData(fired, dataIno, { whenFailed: true }));
      if (!reaches) return 'it is not a sync that reaches the file the payload goes to';
      const done = bytesBefore(isData(fired.fdPath) ? fired.ino : dataIno);
      return done >= expect.payloadBytes
        ? undefined
        : `only ${done} of ${expect.payloadBytes} payload bytes were written before it`;
    }
    case 'before_rename':
      if (fired.family !== 'rename') return 'it is not a rename';
      return isData(fired.paths[0]) && fired.paths[1] === target
        ? undefined
        : 'it does not rename the written file onto the target';
    case 'before_dir_fsync': {
      if (!syncsDir(fired)) return 'it is not a sync that reaches the directory';
      const renames = before.filter((pc) => pc.family === 'rename');
      const renamed = renames.some((pc) => pc.paths[1] === target && pc.call.finished && pc.call.retval === 0);
      return renames.length === 0 || renamed ? undefined : 'the rename onto the target had not succeeded before it';
    }
    case 'after_dir_fsync': {
      const previous = [...before].reverse().find((pc) => pc.call.tid === fired.call.tid && isStepCall(pc));
      if (!previous || !syncsDir(previous)) return 'the call before it in its thread is not the directory fsync';
      return previous.call.retval === 0 ? undefined : 'the directory fsync before it failed';
    }
  }
}
