import { notJudgedGates, notJudgedLabel, type AnalyzeOutcome, type GatedSuite } from '../analyze/index.js';
import { printJson, suiteRunJson, verdictJson, type RunResult } from './json-output.js';
import { suiteSummary } from './suite-summary.js';

/** The analyzer's verdict on stderr (or the whole summary as JSON on stdout); sets the exit code. */
export function reportVerdict(
  outcome: AnalyzeOutcome,
  json: boolean,
  run: { command: 'gate' | 'analyze'; run_id?: string; csv?: string },
): void {
  if (json) printJson(verdictJson(outcome, run));
  else printVerdict(outcome);
  process.exitCode = outcome.exitCode;
}

/**
 * How a suite command ends: where its rows went, its figures (suite-summary.ts) and the verdict of its
 * own gates on stderr, or all of it as the suite's JSON on stdout; sets the exit code.
 */
export function reportSuiteVerdict(suite: GatedSuite, result: RunResult, outcome: AnalyzeOutcome, json: boolean): void {
  if (json) {
    printJson(suiteRunJson(suite, result, { outcome }));
  } else {
    process.stderr.write(`${suite}: ${result.rows} rows → ${result.csvPath}\n`);
    for (const line of suiteSummary(suite, outcome)) process.stderr.write(`${line}\n`);
    // A suite command takes no --require-judged: the analyzer run on its CSV does.
    printVerdict(outcome, `writegate analyze ${result.csvPath} --require-judged`);
  }
  process.exitCode = outcome.exitCode;
}

/** The verdict line, then every failed gate instance and what could not be judged. */
function printVerdict(outcome: AnalyzeOutcome, strict = '--require-judged'): void {
  const { pass, fail, no_data: noData, not_judged: notJudged, known, disabled } = outcome.counts;
  const counts = [
    `${pass} pass`,
    `${fail} fail`,
    `${noData} no data`,
    notJudged ? `${notJudged} not judged` : '',
    known ? `${known} known` : '',
    disabled ? `${disabled} disabled` : '',
  ]
    .filter(Boolean)
    .join(', ');
  process.stderr.write(`${outcome.verdict.toUpperCase()}: ${counts}; report: ${outcome.reportPath}\n`);
  for (const gate of outcome.gates.filter((g) => g.status === 'fail'))
    process.stderr.write(`  failed ${gate.id}: ${gate.detail}\n`);
  // Once per writer and size, not per gate: the reason is the same for every gate it left unjudged.
  if (notJudged > 0) {
    for (const entry of outcome.notJudged)
      process.stderr.write(
        `  not judged ${notJudgedLabel(entry)}${notJudgedGates(entry)}: ${entry.reason} (never ` +
          `a pass; ${strict} makes it a failure)\n`,
      );
  }
}
