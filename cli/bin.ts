#!/usr/bin/env node
import { installSignalOwner } from '../core/lifecycle.js';

// First, before any work and before the rest of writegate is even loaded (loading every suite takes
// a while on a busy machine, and a signal in that window would kill the process by default):
// writegate, not a dependency's exit hook, decides how a signal ends the run.
installSignalOwner();
// Then what dead runs left (their workspaces), before anything slower can be interrupted in turn.
const { sweepDeadWorkspaces } = await import('../core/sweep.js');
sweepDeadWorkspaces();
const { main } = await import('./main.js');
process.exitCode = await main(process.argv.slice(2));
