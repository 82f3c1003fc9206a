import type { Command } from 'commander';
import { runShimScript } from '../hook/shim.js';

/**
 * `writegate hook-shim [--log FILE] [--timeout SECONDS] -- HOOK ARGV…`: the hook shim through
 * writegate's CLI. cli/bin.ts routes argv starting with `hook-shim` here before anything else is
 * loaded; the arguments go to the shim script as they are (it parses them, and fails open on a
 * mistake rather than exit 2, which the agent would read as "block this call"). The faster path is
 * the script itself, `writegate-hook-shim` (hook/audit/README.md).
 */
export async function hookShimMain(argv: readonly string[]): Promise<number> {
  return runShimScript(argv.slice(1));
}

/**
 * The command as `writegate --help` lists it. cli/bin.ts never lets it reach commander's parsing,
 * so the arguments below are for the help text; reached anyway (main() called directly), the words
 * after `hook-shim` go to the script untouched.
 */
export function registerHookShimCommand(program: Command): void {
  program
    .command('hook-shim')
    .description(
      "run an agent's PreToolUse hook unchanged with a deadline, and append " +
        "what it did to a JSONL audit log (read by the hook suite's --audit); `writegate-hook-shim` " +
        "is the same without Node's start",
    )
    .argument('[args...]', '--log FILE [--timeout SECONDS] -- HOOK [ARG...]')
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (args: string[]) => {
      process.exitCode = await runShimScript(args);
    });
}
