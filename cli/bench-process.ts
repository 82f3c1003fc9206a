import path from 'node:path';
import { readResultsCsv } from '../core/csv.js';
import { InputError } from '../core/errors.js';
import { runProcess } from '../core/process.js';
import { RESULTS_CSV, type ResultRow } from '../core/schema.js';
import { selfScriptArgv } from '../core/self-script.js';

/**
 * One `writegate bench` in its own process, as CI runs it, writing into `dir`; its rows. Commands
 * that measure in rounds (compare, validate-gate) run each round this way so that no round inherits
 * another's warm JIT, heap or open driver. Exit 2 (the bench refused its input) is the caller's bad
 * input; any other failure is an internal error.
 */
export async function benchInOwnProcess(
  command: string,
  label: string,
  dir: string,
  args: readonly string[],
): Promise<ResultRow[]> {
  // Only measure: the command judges every round together, and a round's own verdict would be one round's.
  const argv = selfScriptArgv('cli/bin.ts', ['bench', ...args, '--no-verdict', '--out', dir]);
  const result = await runProcess(argv, { timeoutMs: 15 * 60_000, env: { CI: '1' } });
  if (result.exitCode !== 0) {
    const ending = result.timedOut ? 'timed out' : `exit ${result.exitCode ?? result.signal}`;
    const stderrTail = result.stderr.trim().split('\n').slice(-3).join(' | ');
    const why = result.spawnError ?? `${ending}: ${stderrTail}`;
    if (result.exitCode === 2) throw new InputError(`${command}: bench refused the run: ${why}`);
    throw new Error(`${command}: bench run ${label} failed (${why})`);
  }
  return readResultsCsv(path.join(dir, RESULTS_CSV));
}
