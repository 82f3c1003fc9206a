import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { SyncIo } from './io.js';

const CHUNK = 64 * 1024;

/** Streams the file and compares it with `data`; the caller has already checked the size. */
export function fileEquals(io: SyncIo, path: string, data: Uint8Array): boolean {
  const fd = io.openSync(path, fs.constants.O_RDONLY);
  try {
    const chunk = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(1, data.length)));
    let offset = 0;
    for (;;) {
      const n = io.readSync(fd, chunk, 0, chunk.length, offset);
      if (n === 0) return offset === data.length;
      if (offset + n > data.length) return false;
      if (Buffer.compare(chunk.subarray(0, n), data.subarray(offset, offset + n)) !== 0) return false;
      offset += n;
    }
  } finally {
    io.closeSync(fd);
  }
}

/** sha256 of a file's content, hex, or undefined when it does not exist. */
export function fileSha256(io: SyncIo, path: string): string | undefined {
  if (!io.statSync(path)) return undefined;
  const fd = io.openSync(path, fs.constants.O_RDONLY);
  try {
    const hash = createHash('sha256');
    const chunk = Buffer.allocUnsafe(CHUNK);
    let offset = 0;
    for (;;) {
      const n = io.readSync(fd, chunk, 0, chunk.length, offset);
      if (n === 0) break;
      hash.update(chunk.subarray(0, n));
      offset += n;
    }
    return hash.digest('hex');
  } finally {
    io.closeSync(fd);
  }
}

export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}
