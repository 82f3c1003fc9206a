/**
 * The user's --crash-checker on one directory, judged the one way power_loss (per modelled state)
 * and crash_image (per real image) both need: exit 0 consistent, 1 inconsistent, anything else an
 * error of the run, never a pass.
 */
import { InputError } from '../core/errors.js';
import { runProcess } from '../core/process.js';
import { fillTemplate } from '../core/subjects/template.js';
import type { CrashRun } from './context.js';

export type CrashChecker = Pick<NonNullable<CrashRun['settings']['checker']>, 'argv' | 'timeoutMs'>;

export interface CheckerVerdict {
  consistent: boolean;
  /** The first line of what it said (its stdout, else its stderr), up to 200 characters. */
  said: string;
}

/**
 * Runs `checker` with `{dir}` filled in as `dir`. A checker that could not start, hung past its
 * timeout or crashed (a signal, an exit other than 0 or 1) is an InputError that begins with `where`
 * and carries its last stderr line (up to 200 characters).
 */
export async function checkDirectory(
  checker: CrashChecker,
  dir: string,
  where: string,
  /** A command subject's checker runs in the command's own environment (crash/command/environment.ts). */
  spawn: { env?: Record<string, string>; cwd?: string } = {},
): Promise<CheckerVerdict> {
  const argv = fillTemplate(checker.argv, { dir }, '--crash-checker');
  const result = await runProcess(argv, {
    timeoutMs: checker.timeoutMs,
    ...(spawn.env ? { env: spawn.env, isolatedEnv: true } : {}),
    ...(spawn.cwd ? { cwd: spawn.cwd } : {}),
  });
  if (result.spawnError) throw new InputError(`${where}: could not start ${argv[0]}: ${result.spawnError}`);
  if (result.timedOut) throw new InputError(`${where}: no answer within ${checker.timeoutMs / 1000} s (hung?)`);
  if (result.signal || (result.exitCode !== 0 && result.exitCode !== 1)) {
    const said = result.stderr.trim().split('\n').at(-1) ?? '';
    throw new InputError(
      `${where}: crashed (${result.signal ?? `exit ${result.exitCode}`})${said ? `: ${said.slice(0, 200)}` : ''}; ` +
        `exit 0 means consistent, 1 inconsistent`,
    );
  }
  return {
    consistent: result.exitCode === 0,
    said: (result.stdout.trim() || result.stderr.trim()).split('\n')[0]?.slice(0, 200) ?? '',
  };
}
