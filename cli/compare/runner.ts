import fs from 'node:fs';
import path from 'node:path';
import { analyze, type AnalyzeOutcome } from '../../analyze/index.js';
import { rowsToCsv } from '../../core/csv.js';
import { METRICS, type ResultRow } from '../../core/schema.js';
import { Workspace } from '../../core/workspace.js';
import { OutputCommit } from '../../core/out-commit.js';
import { writeFileAtomicSync } from '../../core/writer/index.js';
import { formatSeconds } from '../../core/progress.js';
import { benchInOwnProcess } from '../bench-process.js';
import type { RoundsPlan } from './family.js';
import { ARMS, type ArmName, type CompareSettings } from './settings.js';

/** Where each round's results are kept, so `writegate analyze` can judge them again without measuring. */
export const ROUNDS_DIR = 'rounds';

export function roundFile(outDir: string, round: number, arm: ArmName): string {
  return path.join(outDir, ROUNDS_DIR, `round-${String(round).padStart(2, '0')}-${arm}.csv`);
}

/**
 * ABBA: odd rounds run the base first, even rounds the head first. A drift over the run (a disk
 * filling its cache, a neighbour starting) then lands on both arms alike instead of always on the
 * second.
 */
export function armOrder(round: number): readonly ArmName[] {
  return round % 2 === 1 ? ARMS : [...ARMS].reverse();
}

function benchArgs(settings: CompareSettings, config: string): string[] {
  return [
    '--config', config,
    '--subjects', settings.subjects.join(','),
    '--sizes', settings.sizes.join(','),
    '--modes', settings.modes.join(','),
    '--profile', settings.profile,
    '--samples', String(settings.samples),
  ];
}

/** The first compared subject's p50 of its first line in a run, for the progress line. */
function firstP50(rows: readonly ResultRow[], subject: string): string {
  const row = rows.find((r) => r.metric === METRICS.latencyP50 && r.sample === null && r.subject === subject && r.value !== null);
  return row?.value === undefined || row.value === null ? 'n/a' : `${row.value.toFixed(2)} ms`;
}

/** Measures the rounds (each arm its own bench process, ABBA), then judges head against base. */
export async function runCompare(settings: CompareSettings, plan: RoundsPlan, log: (line: string) => void): Promise<AnalyzeOutcome> {
  const workspace = Workspace.create('writegate-compare-');
  const commit = new OutputCommit();
  try {
    const configs = Object.fromEntries(
      ARMS.map((arm) => {
        const file = path.join(workspace.dir('arms', arm), 'writegate.config.json');
        fs.writeFileSync(file, JSON.stringify({ writers: settings.arms[arm] }));
        return [arm, file];
      }),
    ) as Record<ArmName, string>;
    // Rounds are kept in the workspace until the last one is measured: an interrupted compare leaves
    // the previous results in --out as they were, not half of a new set beside an old report.
    const measured = path.dirname(workspace.dir('measured', ROUNDS_DIR));
    const files: Record<ArmName, string[]> = { base: [], head: [] };
    const names: Record<ArmName, string[]> = { base: [], head: [] };
    const started = Date.now();
    for (let round = 1; round <= plan.rounds; round++) {
      const seen: Partial<Record<ArmName, string>> = {};
      for (const arm of armOrder(round)) {
        const rows = await benchInOwnProcess('compare', `round ${round} ${arm}`, workspace.dir('runs', `round-${round}-${arm}`), benchArgs(settings, configs[arm]));
        writeFileAtomicSync(roundFile(measured, round, arm), rowsToCsv(rows));
        files[arm].push(roundFile(measured, round, arm));
        names[arm].push(roundFile(settings.outDir, round, arm));
        seen[arm] = firstP50(rows, settings.subjects[0] as string);
      }
      const elapsed = Date.now() - started;
      const left = round < plan.rounds ? `, about ${formatSeconds(((plan.rounds - round) * elapsed) / round / 1000)} left` : '';
      log(`round ${round}/${plan.rounds} (${armOrder(round)[0]} first): ${settings.subjects[0]} p50 base ${seen.base}, head ${seen.head}${left}`);
    }
    // The rounds, the report and trend.json reach --out together, in one commit at the very end.
    commit.tree(path.join(settings.outDir, ROUNDS_DIR), path.join(measured, ROUNDS_DIR));
    const outcome = await analyze({
      inputs: files.head,
      inputNames: names.head,
      baselineInputs: files.base,
      baselineNames: names.base,
      outDir: settings.outDir,
      thresholdsFile: settings.thresholdsFile,
      regressionPolicyFile: settings.policyFile,
      json: settings.json,
      comparison: { subjects: settings.subjects, rounds: plan.rounds, roundsNeeded: plan.needed, familySize: plan.familySize, allowInconclusive: settings.allowInconclusive },
      commit,
    });
    commit.commit();
    return outcome;
  } finally {
    await commit.dispose();
    await workspace.dispose();
  }
}
