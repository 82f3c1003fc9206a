import fs from 'node:fs';
import { WriteError } from './errors.js';

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A cross-process advisory lock on `<target>.lock`, created with O_EXCL and holding the owner's pid.
 * Node has no flock(2), so a lock whose owner is dead is broken and taken over, which is what makes
 * this safe after a crash. Returns the release function.
 */
export function acquireLock(target: string, timeoutMs = 10_000): () => void {
  const lockPath = `${target}.lock`;
  const deadline = Date.now() + timeoutMs;
  let backoff = 1;
  for (;;) {
    try {
      const fd = fs.openSync(lockPath, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o644);
      try {
        fs.writeSync(fd, String(process.pid));
      } finally {
        fs.closeSync(fd);
      }
      return () => {
        try {
          fs.unlinkSync(lockPath);
        } catch {
          // Already broken by another process that saw us as dead; nothing to release.
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new WriteError('lock', target, `cannot create ${lockPath}`, error);
      }
    }
    const owner = Number.parseInt(readOrEmpty(lockPath), 10);
    if (Number.isInteger(owner) && owner > 0 && !processAlive(owner)) {
      breakStaleLock(lockPath, owner);
      continue;
    }
    if (Date.now() > deadline) {
      throw new WriteError('lock', target, `timed out after ${timeoutMs} ms waiting for ${lockPath}`);
    }
    sleepSync(backoff + Math.random() * backoff);
    backoff = Math.min(backoff * 2, 20);
  }
}

function readOrEmpty(path: string): string {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** Only the lock still naming the dead owner is removed, so two breakers cannot remove a live lock. */
function breakStaleLock(lockPath: string, deadOwner: number): void {
  const claim = `${lockPath}.break.${process.pid}`;
  try {
    fs.renameSync(lockPath, claim);
  } catch {
    return;
  }
  const claimed = Number.parseInt(readOrEmpty(claim), 10);
  if (claimed !== deadOwner) {
    // We took a live owner's fresh lock: put it back.
    try {
      fs.linkSync(claim, lockPath);
    } catch {
      // A third process holds the lock now; its owner stays the owner.
    }
  }
  try {
    fs.unlinkSync(claim);
  } catch {
    // Already gone.
  }
}
