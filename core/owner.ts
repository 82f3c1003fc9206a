import fs from 'node:fs';

/**
 * Who owns a leftover: a pid plus that process's start time (from /proc on Linux), so a pid reused by
 * an unrelated process after the owner died is still read as "owner gone".
 */
export const OWNER_FILE = '.writegate-owner';

function startTime(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (which may hold spaces and parentheses): state is field 3, starttime 22.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19];
  } catch {
    return undefined;
  }
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

/** Whether the process an owner stamp names is still the same running process. */
export function stampAlive(stamp: string): boolean {
  const [pidText, start] = stamp.trim().split(/\s+/);
  const pid = Number(pidText);
  if (!pidAlive(pid)) return false;
  if (!start || start === '-') return true;
  const now = startTime(pid);
  return now === undefined || now === start;
}
