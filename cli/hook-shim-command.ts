import { Command } from 'commander';
import { runShim } from '../hook/shim.js';

const USAGE = 'usage: writegate hook-shim --log FILE -- HOOK [ARG...]';

/**
 * `writegate hook-shim --log FILE -- HOOK ARGV…`: installed as an agent's PreToolUse hook in place of
 * the real one, it runs the real one unchanged and logs what it did (see hook/audit/README.md).
 * A misconfigured shim must not block the agent either: usage errors fail open (exit 0, nothing on
 * stdout, one line on stderr) rather than exit 2, which the agent would read as "block this call".
 */
export function registerHookShimCommand(program: Command): void {
  program
    .command('hook-shim')
    .description("run an agent's PreToolUse hook unchanged and append what it did to a JSONL audit log (read by the hook suite's --audit)")
    .argument('[hook...]', 'the hook command and its arguments, after --')
    .option('--log [file]', 'audit log to append one line per Bash call to (its directory must exist)')
    // Unknown options and a missing value reach the action, which fails open instead of exiting 2.
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (hook: string[], flags: { log?: string | true }) => {
      const problem =
        typeof flags.log !== 'string' || flags.log === '' ? '--log FILE is missing' : hook.length === 0 ? 'no hook command after --' : hook[0]?.startsWith('-') ? `unknown option ${hook[0]}` : undefined;
      if (problem) {
        process.stderr.write(`writegate hook-shim: ${problem} (${USAGE}); the call proceeds unchanged\n`);
        process.exitCode = 0;
        return;
      }
      process.exitCode = await runShim(hook, { log: flags.log as string, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
    });
}

/**
 * `writegate hook-shim …` with nothing else loaded: the shim runs before every agent tool call, so
 * cli/bin.ts can route argv starting with `hook-shim` here instead of through main.ts, which loads
 * every suite and sweeps old workspaces first. Returns the exit code.
 */
export async function hookShimMain(argv: readonly string[]): Promise<number> {
  const program = new Command('writegate').exitOverride().configureOutput({ outputError: () => {} });
  registerHookShimCommand(program);
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    // --help and --version end here; anything else commander refuses still fails open.
    const code = (error as { code?: string }).code;
    if (code !== 'commander.helpDisplayed' && code !== 'commander.help' && code !== 'commander.version') {
      process.stderr.write(`writegate hook-shim: ${(error as Error).message.replace(/\r?\n/g, ' ')} (${USAGE}); the call proceeds unchanged\n`);
    }
    return 0;
  }
  return typeof process.exitCode === 'number' ? process.exitCode : 0;
}
