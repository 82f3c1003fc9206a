import fs from 'node:fs';
import path from 'node:path';
import { analyze, lookAt, type AnalyzeOutcome, type SequentialRun, type StopReason } from '../../analyze/index.js';
import { rowsToCsv } from '../../core/csv.js';
import { METRICS, type ResultRow } from '../../core/schema.js';
import { Workspace } from '../../core/workspace.js';
import { OutputCommit } from '../../core/out-commit.js';
import { writeFileAtomicSync } from '../../core/writer/index.js';
import { formatSeconds } from '../../core/progress.js';
import { benchInOwnProcess } from '../bench-process.js';
import { familySize, firstDecision, horizonFor, LOOK_EVERY, roundsAtLeast } from './family.js';
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

export interface CompareOutcome {
  outcome: AnalyzeOutcome;
  rounds: number;
  family: number;
  /** The round of the first look that could decide anything; undefined when none within the horizon. */
  firstDecision: number | undefined;
  sequential: SequentialRun;
  seconds: number;
}

/**
 * Measures ABBA pairs of rounds (each arm its own bench process), looks after each pair, and stops
 * when the looks decide, the rounds run out or the next pair would pass --max-time; then judges head
 * against base once more for the report, under the same sequential design.
 */
export async function runCompare(settings: CompareSettings, log: (line: string) => void): Promise<CompareOutcome> {
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
    const rows: Record<ArmName, ResultRow[]> = { base: [], head: [] };
    const family = familySize(settings.headSubjects, settings.sizes, settings.modes, settings.policies);
    const started = Date.now();
    let horizon = settings.maxRounds - (settings.maxRounds % LOOK_EVERY);
    let first: number | undefined;
    let round = 0;
    let stopped: StopReason | undefined;
    while (!stopped) {
      for (let step = 0; step < LOOK_EVERY; step++) {
        round++;
        const seen: Partial<Record<ArmName, string>> = {};
        for (const arm of armOrder(round)) {
          const armRows = await benchInOwnProcess('compare', `round ${round} ${arm}`, workspace.dir('runs', `round-${round}-${arm}`), benchArgs(settings, configs[arm]));
          writeFileAtomicSync(roundFile(measured, round, arm), rowsToCsv(armRows));
          files[arm].push(roundFile(measured, round, arm));
          names[arm].push(roundFile(settings.outDir, round, arm));
          rows[arm].push(...armRows);
          seen[arm] = firstP50(armRows, settings.subjects[0] as string);
        }
        log(`round ${round} (${armOrder(round)[0]} first): ${settings.subjects[0]} p50 base ${seen.base}, head ${seen.head}`);
      }
      const elapsed = (Date.now() - started) / 1000;
      const pairSeconds = elapsed / (round / LOOK_EVERY);
      if (round === LOOK_EVERY) {
        horizon = horizonFor(settings.maxRounds, settings.maxSeconds, pairSeconds);
        first = firstDecision(family, horizon);
        const reach = `at ${formatSeconds(pairSeconds)} a pair, --max-time ${settings.maxSeconds}s and --max-rounds ${settings.maxRounds} allow ${horizon} rounds`;
        log(first === undefined ? `${reach}; the ${family} judged series need more before any can be decided, so only the head's gates can decide this run (raise --max-time or --max-rounds)` : `${reach}; ${family} judged series, the first decision possible at round ${first}`);
      }
      const look = lookAt(rows.base, rows.head, settings.subjects, settings.policies, { horizon, lookEvery: LOOK_EVERY });
      if (look.outcome !== 'continue') stopped = look.outcome;
      // A horizon short of --max-rounds is what --max-time allowed at the first pair's pace.
      else if (round >= horizon || first === undefined) stopped = horizon < settings.maxRounds - (settings.maxRounds % LOOK_EVERY) ? 'max-time' : 'max-rounds';
      else if (elapsed + pairSeconds > settings.maxSeconds) stopped = 'max-time';
      const state = look.outcome === 'regressed' ? 'a series regressed' : look.outcome === 'decided' ? 'every median decided' : `${look.undecided.length} undecided`;
      log(`look at round ${round} of at most ${horizon} (${formatSeconds(elapsed)}): ${state}${stopped && look.outcome === 'continue' ? `; stopping (${stopped})` : ''}`);
      if (look.outcome === 'continue' && (first === undefined || round >= first)) for (const why of look.undecided) log(`  ${why}`);
    }
    const sequential: SequentialRun = { horizon, lookEvery: LOOK_EVERY, stopped, maxRounds: settings.maxRounds, maxSeconds: settings.maxSeconds };
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
      comparison: { subjects: settings.subjects, rounds: round, roundsNeeded: first ?? Math.max(roundsAtLeast(family), horizon + LOOK_EVERY), familySize: family, allowInconclusive: settings.allowInconclusive, sequential },
      commit,
    });
    commit.commit();
    return { outcome, rounds: round, family, firstDecision: first ?? Math.max(roundsAtLeast(family), horizon + LOOK_EVERY), sequential, seconds: (Date.now() - started) / 1000 };
  } finally {
    await commit.dispose();
    await workspace.dispose();
  }
}
