/**
 * PLACEHOLDER, replaced at merge by the real hook shim command (same export). It registers the command
 * so help and the README are right; running it says it is not built on this branch.
 */
import type { Command } from 'commander';

export function registerHookShimCommand(program: Command): void {
  program
    .command('hook-shim')
    .description('run your PreToolUse hook unchanged and log what it rewrote, for a later `writegate hook --audit`')
    .option('--log <file>', 'where to append one JSON line per hook call')
    .argument('<hook...>', 'your hook command, after --')
    .action(() => {
      throw new Error('hook-shim is not built yet on this branch');
    });
}
