import fs from 'node:fs';
import path from 'node:path';
import type { ValidationRound } from '../../analyze/regression/validation.js';
import { scoreValidation, type ValidationContext } from '../../analyze/regression/validation-report.js';
import { loadPolicies } from '../../analyze/regression/policy.js';
import { writeFileAtomicSync } from '../../core/writer/index.js';
import type { Settings } from './settings.js';

/** Scores the rounds, writes validate-gate.md and .json into the out dir, prints the summary; the exit code. */
export function scoreAndWrite(
  rounds: readonly ValidationRound[],
  settings: Settings,
  context: ValidationContext,
  extra: Record<string, unknown> = {},
): number {
  const scored = scoreValidation(
    rounds,
    { ...settings, outDir: undefined },
    context,
    loadPolicies(settings.policyFile),
    extra,
  );
  fs.mkdirSync(settings.outDir, { recursive: true });
  writeFileAtomicSync(path.join(settings.outDir, 'validate-gate.md'), scored.markdown);
  writeFileAtomicSync(path.join(settings.outDir, 'validate-gate.json'), `${JSON.stringify(scored.json, null, 2)}\n`);
  if (settings.json) process.stdout.write(`${JSON.stringify(scored.json, null, 2)}\n`);
  else
    process.stderr.write(
      `\n${scored.markdown.split('<details>')[0]}report: ${path.join(settings.outDir, 'validate-gate.md')}\n`,
    );
  return scored.exitCode;
}
