/**
 * The hook shim is a POSIX sh script, hook/shim/writegate-hook-shim (installed as the
 * `writegate-hook-shim` command): it runs before every agent tool call, and Node's own start costs
 * more than the shim may add. `writegate hook-shim …` reaches the same script through writegate's
 * CLI, paying Node's start on top; this is that path. Every guarantee (the deadline, the process
 * group, failing open, the log) is the script's, so there is one implementation of them.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { packageRoot } from '../core/self-script.js';

export const SHIM_SCRIPT = path.join(packageRoot, 'hook', 'shim', 'writegate-hook-shim');

const PREFIX = 'writegate hook-shim: ';

/** Runs the script with these arguments and this process's stdio; resolves to the exit code to exit with. */
export function runShimScript(args: readonly string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', [SHIM_SCRIPT, ...args], { stdio: 'inherit' });
    // The agent giving up on us reaches the script, which takes the hook's process group with it.
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, forward);
    child.on('error', (error) => {
      process.stderr.write(`${PREFIX}cannot start /bin/sh (${error.message}); the call proceeds unchanged\n`);
      resolve(0);
    });
    child.on('close', (code) => resolve(code ?? 0));
  });
}
