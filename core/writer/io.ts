import fs from 'node:fs';

/**
 * The system calls the reference writer makes, one method each, so tests and the crash suite can
 * inject a failure or a short write at an exact step. Production code uses `nodeIo`.
 */
export interface SyncIo {
  openSync(path: string, flags: number, mode?: number): number;
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number): number;
  readSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number | null): number;
  fdatasyncSync(fd: number): void;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
  unlinkSync(path: string): void;
  statSync(path: string): fs.Stats | undefined;
  fchmodSync(fd: number, mode: number): void;
}

export const nodeIo: SyncIo = {
  openSync: (path, flags, mode) => fs.openSync(path, flags, mode),
  writeSync: (fd, buffer, offset, length) => fs.writeSync(fd, buffer, offset, length),
  readSync: (fd, buffer, offset, length, position) => fs.readSync(fd, buffer, offset, length, position),
  fdatasyncSync: (fd) => fs.fdatasyncSync(fd),
  fsyncSync: (fd) => fs.fsyncSync(fd),
  closeSync: (fd) => fs.closeSync(fd),
  renameSync: (from, to) => fs.renameSync(from, to),
  unlinkSync: (path) => fs.unlinkSync(path),
  statSync: (path) => fs.statSync(path, { throwIfNoEntry: false }),
  fchmodSync: (fd, mode) => fs.fchmodSync(fd, mode),
};
