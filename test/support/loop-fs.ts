/**
 * A real file system on a loop device for a test: an image in the test's own directory, made with
 * mkfs, attached with direct I/O and mounted; undone in `release()`, and on SIGINT/SIGTERM before
 * the signal's default action, so no mount or loop device outlives the test. Root only.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface LoopFs {
  /** The mount point. */
  dir: string;
  release(): void;
}

export function mountLoopFs(workDir: string, mkfs: readonly string[], sizeMiB = 320): LoopFs {
  if (process.getuid?.() !== 0) throw new Error('this test mounts a file system on a loop device: it needs root');
  const image = path.join(workDir, 'fs.img');
  const dir = path.join(workDir, 'mnt');
  fs.mkdirSync(dir, { recursive: true });
  const handle = fs.openSync(image, 'w');
  fs.ftruncateSync(handle, sizeMiB * 1024 * 1024);
  fs.closeSync(handle);
  const run = (argv: readonly string[]): string => {
    try {
      return execFileSync(argv[0] as string, argv.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
    } catch (error) {
      const why = (error as { stderr?: string; message: string }).stderr?.trim() || (error as Error).message;
      throw new Error(`${argv.join(' ')}: ${why.split('\n')[0]}`);
    }
  };
  run([...mkfs, image]);
  const device = run(['losetup', '--find', '--show', '--direct-io=on', image]);
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    for (const argv of [['umount', dir], ['losetup', '-d', device]]) {
      try {
        execFileSync(argv[0] as string, argv.slice(1), { stdio: 'ignore' });
      } catch {
        // Already gone: nothing to undo.
      }
    }
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    release();
    process.kill(process.pid, signal);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    run(['mount', device, dir]);
  } catch (error) {
    release();
    throw error;
  }
  return { dir, release };
}
