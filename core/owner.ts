import fs from 'node:fs';

/**
 * Who owns a leftover: a pid plus that process's start time (from /proc on Linux), so a pid reused by
 * an unrelated process after the owner died is still read as "owner gone".
 */
export const OWNER_FILE = '.writegate-owner';

/** Fields after the command of /proc/PID/stat (the command may hold spaces and parentheses): state first. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

function startTime(pid: number): string | undefined {
  return statFields(pid)?.[19];
}

/** A zombie (exited, not yet reaped) or dead process: it owns nothing any more. */
function exited(pid: number): boolean {
  const state = statFields(pid)?.[0];
  return state === 'Z' || state === 'X';
}

/** The owner file's content for this process: `pid start`. */
export function ownerStamp(pid = process.pid): string {
  return `${pid} ${startTime(pid) ?? '-'}\n`;
}

/** True while `pid` names a running process (another user's counts as running). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True while `pid` runs: alive and not a zombie (exited, waiting to be reaped, owns nothing). */
export function pidRunning(pid: number): boolean {
  return pidAlive(pid) && !exited(pid);
}

/** Whether the process an owner stamp names is still the same running process. */
export function stampAlive(stamp: string): boolean {
  const [pidText, start] = stamp.trim().split(/\s+/);
  const pid = Number(pidText);
  if (!pidRunning(pid)) return false;
  if (!start || start === '-') return true;
  const now = startTime(pid);
  return now === undefined || now === start;
}
