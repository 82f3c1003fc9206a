/**
 * The reference writer with one in-process fault point (its `io` seam), in a process of its own:
 * `fault-point-once POINT SOURCE TARGET`. Kill points SIGKILL this process at the named step; error
 * points throw a real errno-shaped error there; `short_writes` makes every write a real partial
 * write (at most 4093 bytes, really written), which a correct writer must finish. Before acting it
 * prints `fault-point reached POINT` on stderr, so the harness knows the step was reached.
 * Exit 0 written, 1 failed (the error on stderr), 2 bad arguments.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { nodeIo, writeFileAtomicSync, type SyncIo } from '../../core/writer/index.js';
import { FAULT_POINT_IDS, type FaultPointId } from '../cases.js';

const SHORT_WRITE_MAX = 4093;

function errnoError(code: string, syscall: string, point: string): NodeJS.ErrnoException {
  const error = new Error(`${code}: injected by fault point ${point} (${syscall})`) as NodeJS.ErrnoException;
  error.code = code;
  error.errno = -((os.constants.errno as Record<string, number>)[code] ?? 0);
  error.syscall = syscall;
  return error;
}

function main(argv: string[]): number {
  const [point, source, target] = argv as [FaultPointId | undefined, string | undefined, string | undefined];
  if (!point || !FAULT_POINT_IDS.includes(point) || !source || !target) {
    process.stderr.write(`usage: fault-point-once ${FAULT_POINT_IDS.join('|')} SOURCE TARGET\n`);
    return 2;
  }
  const reached = (note = ''): void => {
    fs.writeSync(2, `fault-point reached ${point}${note}\n`);
  };
  const die = (): never => {
    reached();
    process.kill(process.pid, 'SIGKILL');
    throw new Error('unreachable: SIGKILL did not end the process');
  };
  const fail = (code: string, syscall: string): never => {
    reached();
    throw errnoError(code, syscall, point);
  };
  const dir = path.dirname(path.resolve(target));
  let tempFd: number | undefined;
  let dirFd: number | undefined;
  let tempWrites = 0;
  const io: SyncIo = {
    ...nodeIo,
    openSync(file, flags, mode) {
      const isDir = path.resolve(file) === dir;
      if (!isDir && point === 'eacces_on_temp_create') fail('EACCES', 'open');
      const fd = nodeIo.openSync(file, flags, mode);
      if (isDir) dirFd = fd;
      else if ((flags & fs.constants.O_CREAT) !== 0) {
        tempFd = fd;
        if (point === 'kill_after_temp_create') die();
      }
      return fd;
    },
    writeSync(fd, buffer, offset, length) {
      if (fd !== tempFd) return nodeIo.writeSync(fd, buffer, offset, length);
      tempWrites += 1;
      const half = Math.max(1, Math.floor(length / 2));
      if (point === 'kill_mid_payload') {
        nodeIo.writeSync(fd, buffer, offset, half);
        die();
      }
      if (point === 'enospc_after_short_write') {
        if (tempWrites === 1) return nodeIo.writeSync(fd, buffer, offset, half);
        fail('ENOSPC', 'write');
      }
      if (point === 'short_writes') return nodeIo.writeSync(fd, buffer, offset, Math.min(length, SHORT_WRITE_MAX));
      return nodeIo.writeSync(fd, buffer, offset, length);
    },
    fdatasyncSync(fd) {
      if (fd === tempFd && point === 'kill_before_fsync') die();
      if (fd === tempFd && point === 'eio_on_fsync') fail('EIO', 'fdatasync');
      nodeIo.fdatasyncSync(fd);
    },
    renameSync(from, to) {
      if (point === 'kill_before_rename') die();
      if (point === 'exdev_on_rename') fail('EXDEV', 'rename');
      nodeIo.renameSync(from, to);
    },
    fsyncSync(fd) {
      if (fd === dirFd && point === 'kill_before_dir_fsync') die();
      nodeIo.fsyncSync(fd);
      if (fd === dirFd && point === 'kill_after_dir_fsync') die();
    },
  };
  try {
    writeFileAtomicSync(target, fs.readFileSync(source), { mode: 'durable', io });
    if (point === 'short_writes') reached(` (${tempWrites} partial write calls)`);
    return 0;
  } catch (error) {
    process.stderr.write(`reference: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

process.exitCode = main(process.argv.slice(2));
