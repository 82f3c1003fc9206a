/**
 * The few system commands file systems are made with, run from argv (never a shell), synchronously:
 * they are short, and a mount must be undone from an 'exit' listener, where nothing async finishes.
 */
import { spawnSync } from 'node:child_process';

/** Runs `argv`; its trimmed stdout, or an Error whose message is the command and its first stderr line. */
export function system(argv: readonly string[], timeoutMs = 60_000): string {
  const result = spawnSync(argv[0] as string, argv.slice(1), {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: timeoutMs,
  });
  if (result.error) throw new Error(`${argv.join(' ')}: ${result.error.message}`);
  if (result.status !== 0) {
    const why = result.stderr.trim().split('\n')[0] || `exit ${result.status ?? result.signal}`;
    throw new Error(`${argv.join(' ')}: ${why}`);
  }
  return result.stdout.trim();
}

/** Like `system`, for undoing: a failure (already unmounted, already detached) is not an error. */
export function systemQuiet(argv: readonly string[]): boolean {
  return spawnSync(argv[0] as string, argv.slice(1), { stdio: 'ignore', timeout: 30_000 }).status === 0;
}
