#!/usr/bin/env node
import { installSignalOwner } from '../core/lifecycle.js';
import { main } from './main.js';

// First, before any work: writegate, not a dependency's exit hook, decides how a signal ends the run.
installSignalOwner();
process.exitCode = await main(process.argv.slice(2));
