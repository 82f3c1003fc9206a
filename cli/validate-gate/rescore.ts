import { readKeptValidation } from '../../analyze/regression/validation-kept.js';
import { InputError } from '../../core/errors.js';
import path from 'node:path';
import { scoreAndWrite } from './output.js';
import type { Settings } from './settings.js';

/**
 * --rescore DIR: the runs an earlier validate-gate kept, judged again by today's rule and policy file; the exit code.
 */
export function rescore(
  dir: string,
  flags: Pick<Settings, 'outDir' | 'policyFile' | 'multiplicity' | 'json'>,
  runsPerArm?: number,
): number {
  const { saved, rounds } = readKeptValidation(dir, runsPerArm);
  const settings: Settings = {
    ...saved.settings,
    outDir: flags.outDir,
    policyFile: flags.policyFile,
    multiplicity: flags.multiplicity,
    json: flags.json,
  };
  if (rounds.length === 0) throw new InputError(`--rescore: ${path.join(dir, 'runs')} holds no kept runs`);
  settings.rounds = rounds.length;
  if (runsPerArm !== undefined) settings.runsPerArm = Math.min(runsPerArm, saved.settings.runsPerArm);
  // The flags of this re-scoring, each only when given (or, for --multiplicity, when not the default).
  const runsFlag = runsPerArm !== undefined ? ` --rescore-runs ${runsPerArm}` : '';
  const policyFlag = flags.policyFile ? ` --regression-policy ${flags.policyFile}` : '';
  const multiplicityFlag = flags.multiplicity !== 'bonferroni' ? ` --multiplicity ${flags.multiplicity}` : '';
  return scoreAndWrite(
    rounds,
    settings,
    {
      command: `${saved.command} (re-scored with --rescore ${dir}${runsFlag}${policyFlag}${multiplicityFlag})`,
      injected: saved.injected,
      calibratedP50: saved.calibrated_p50_ms,
      machine: saved.machine_class,
      loadStart: saved.load_start,
      loadEnd: saved.load_end,
      minutes: saved.minutes,
    },
    { rescored_from: dir },
  );
}
