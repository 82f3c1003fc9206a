import fs from 'node:fs';
import type { GateResult } from '../types.js';

/** Workflow-command data: %, CR and LF would end or corrupt the command. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Workflow-command property values also delimit on `:` and `,`. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** One `::error` line per failing gate (its failing instances listed), as GitHub Actions reads them. */
export function errorAnnotations(gates: readonly GateResult[]): string[] {
  const failing = new Map<string, GateResult[]>();
  for (const gate of gates) if (gate.status === 'fail') failing.set(gate.id, [...(failing.get(gate.id) ?? []), gate]);
  return [...failing].map(([id, results]) => {
    const first = results[0] as GateResult;
    const instances = results.map((r) => (r.instance ? `${r.instance} ${r.figureText}` : r.figureText)).join('; ');
    const message = `${first.title} needs ${first.threshold} (${first.source}); failing: ${instances}`;
    return `::error title=${escapeProperty(`writegate gate ${id}`)}::${escapeData(message)}`;
  });
}

export interface CiTargets {
  /** $GITHUB_STEP_SUMMARY: a file the step appends markdown to. */
  stepSummary?: string;
  /** Where annotation lines go (stdout normally; stderr when stdout carries --json). */
  annotate?: (line: string) => void;
}

/** Publishes the gate table and failing gates to GitHub Actions; never affects the verdict. */
export function publishToCi(summaryMarkdown: string, gates: readonly GateResult[], targets: CiTargets): void {
  if (targets.stepSummary) {
    try {
      fs.appendFileSync(targets.stepSummary, `${summaryMarkdown}\n`);
    } catch (error) {
      process.stderr.write(
        `writegate: cannot append to GITHUB_STEP_SUMMARY ${targets.stepSummary}: ${(error as Error).message}\n`,
      );
    }
  }
  if (targets.annotate) for (const line of errorAnnotations(gates)) targets.annotate(line);
}
