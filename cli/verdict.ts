import type { AnalyzeOutcome } from '../analyze/index.js';

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** The analyzer's verdict on stderr (or the whole summary as JSON on stdout); sets the exit code. */
export function reportVerdict(outcome: AnalyzeOutcome, json: boolean, extra: Record<string, unknown> = {}): void {
  if (json) {
    printJson({ ...extra, verdict: outcome.verdict, exit_code: outcome.exitCode, report: outcome.reportPath, counts: outcome.counts, suites: outcome.suites, inputs: outcome.inputs, gates: outcome.gates, sections: outcome.sections });
  } else {
    const { pass, fail, no_data: noData, known, disabled } = outcome.counts;
    const counts = [`${pass} pass`, `${fail} fail`, `${noData} no data`, known ? `${known} known` : '', disabled ? `${disabled} disabled` : ''].filter(Boolean).join(', ');
    process.stderr.write(`${outcome.verdict.toUpperCase()}: ${counts}; report: ${outcome.reportPath}\n`);
    for (const gate of outcome.gates.filter((g) => g.status === 'fail')) process.stderr.write(`  failed ${gate.id}: ${gate.detail}\n`);
  }
  process.exitCode = outcome.exitCode;
}
