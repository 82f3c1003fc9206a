/**
 * The speed case the explorer is held to: an 8 MiB payload written in 128 writes of 64 KiB to a
 * temp file, fsynced, renamed over an existing target, directory fsynced. Shared by its test and
 * its benchmark so both measure the same run.
 */
import { RunBuilder } from './run-builder.js';
import type { PowerLossInput } from './types.js';

export const LARGE_PAYLOAD_BYTES = 8 * 1024 * 1024;
export const LARGE_PAYLOAD_CHUNK = 64 * 1024;

export function largePayloadRun(options: { fsyncTemp: boolean; fsyncDir: boolean }): PowerLossInput {
  const fresh = Buffer.alloc(LARGE_PAYLOAD_BYTES);
  for (let i = 0; i < fresh.length; i += 4) fresh.writeUInt32LE((i * 2654435761) >>> 0, i);
  const old = Buffer.alloc(LARGE_PAYLOAD_BYTES - 12345, 0x6f);
  const run = new RunBuilder();
  const dir = run.dir('/data');
  run.existingFile(dir, 'target.dat', old);
  const tmp = run.create(dir, '.target.dat.tmp');
  run.writeInChunks(tmp, fresh, LARGE_PAYLOAD_CHUNK);
  if (options.fsyncTemp) run.fsync(tmp);
  run.close(tmp).rename(dir, '.target.dat.tmp', dir, 'target.dat');
  if (options.fsyncDir) run.fsync(dir);
  return run.build({ target: { dir, name: 'target.dat' }, fresh });
}
