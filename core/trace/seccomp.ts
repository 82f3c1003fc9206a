import { runProcess } from '../process.js';
import { straceSyscallList, TRACE_SET } from './syscalls.js';

/**
 * strace's --seccomp-bpf makes the kernel stop a traced process only at the calls in its trace set,
 * instead of at every call: a Node writer's traced run costs about a third as much. It needs -f (the
 * filter reaches every child), and an older kernel or strace lacks it, so it is probed once per run.
 */
export const SECCOMP_FLAG = '--seccomp-bpf';

/** Whether `binary` can trace a child with the filter here (runs Node once under it). */
export async function seccompFilterWorks(binary = 'strace'): Promise<boolean> {
  const argv = [
    binary,
    SECCOMP_FLAG,
    '-f',
    '-qq',
    '-e',
    `trace=${straceSyscallList(TRACE_SET)}`,
    '-o',
    '/dev/null',
    '--',
    process.execPath,
    '-e',
    '',
  ];
  const result = await runProcess(argv, { timeoutMs: 30_000 });
  return result.exitCode === 0 && !/seccomp/i.test(result.stderr);
}
