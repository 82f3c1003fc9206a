#!/usr/bin/env node
import { installSignalOwner, onShutdown } from '../core/lifecycle.js';

// The hook shim runs before every tool call of an agent: it loads nothing else, sweeps nothing, and
// owns no signals (it starts one child, the user's hook, and fails open whatever happens).
if (process.argv[2] === 'hook-shim') {
  const { hookShimMain } = await import('./hook-shim-command.js');
  process.exitCode = await hookShimMain(process.argv.slice(2));
} else {
  await runWritegate();
}

async function runWritegate(): Promise<void> {
  // First, before any work and before the rest of writegate is even loaded (loading every suite takes
  // a while on a busy machine, and a signal in that window would kill the process by default):
  // writegate, not a dependency's exit hook, decides how a signal ends the run.
  installSignalOwner();
  // On a signal, what dead runs left (their workspaces) goes too, quietly: those of the writegate
  // processes we started and killed (compare's and validate-gate's bench rounds), which a SIGKILL left
  // no chance to clean up — and a killed run's, when the signal comes before the sweep below has run.
  onShutdown(async () => {
    (await import('../core/sweep.js')).sweepDeadWorkspaces(undefined, { quiet: true });
  });
  // Then, before anything slower can be interrupted in turn, the same sweep out loud.
  const { sweepDeadWorkspaces } = await import('../core/sweep.js');
  sweepDeadWorkspaces();
  const { main } = await import('./main.js');
  process.exitCode = await main(process.argv.slice(2));
}
