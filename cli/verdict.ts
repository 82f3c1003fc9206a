import { notJudgedLabel, type AnalyzeOutcome } from '../analyze/index.js';
import { printJson, verdictJson } from './json-output.js';

/** The analyzer's verdict on stderr (or the whole summary as JSON on stdout); sets the exit code. */
export function reportVerdict(outcome: AnalyzeOutcome, json: boolean, run: { command: 'gate' | 'analyze'; run_id?: string; csv?: string }): void {
  if (json) {
    printJson(verdictJson(outcome, run));
  } else {
    const { pass, fail, no_data: noData, not_judged: notJudged, known, disabled } = outcome.counts;
    const counts = [`${pass} pass`, `${fail} fail`, `${noData} no data`, notJudged ? `${notJudged} not judged` : '', known ? `${known} known` : '', disabled ? `${disabled} disabled` : ''].filter(Boolean).join(', ');
    process.stderr.write(`${outcome.verdict.toUpperCase()}: ${counts}; report: ${outcome.reportPath}\n`);
    for (const gate of outcome.gates.filter((g) => g.status === 'fail')) process.stderr.write(`  failed ${gate.id}: ${gate.detail}\n`);
    // Once per writer and size, not per gate: the reason is the same for every gate it left unjudged.
    if (notJudged > 0) {
      for (const entry of outcome.notJudged) process.stderr.write(`  not judged ${notJudgedLabel(entry)}: ${entry.reason} (never a pass; --require-judged makes it a failure)\n`);
    }
  }
  process.exitCode = outcome.exitCode;
}
