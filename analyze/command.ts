import type { Command } from 'commander';
import type { AnalyzeOutcome } from './index.js';

/** Placeholder until the analyzer lands. */
export function registerAnalyzeCommand(program: Command, _report: (outcome: AnalyzeOutcome, json: boolean) => void): void {
  program.command('analyze').description('turn results CSVs into RESULTS.md and a verdict (not implemented yet)');
}
