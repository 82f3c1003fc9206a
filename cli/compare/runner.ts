import fs from 'node:fs';
import path from 'node:path';
import { analyze, lookAt, type AnalyzeOutcome, type SequentialRun, type StopReason } from '../../analyze/index.js';
import { rowsToCsv } from '../../core/csv.js';
import { METRICS, type ResultRow } from '../../core/schema.js';
import { Workspace } from '../../core/workspace.js';
import { OutputCommit } from '../../core/out-commit.js';
import { writeFileAtomicSync } from '../../core/writer/index.js';
import { formatSeconds } from '../../core/progress.js';
import { bundleSelfScripts } from '../../core/self-script-bundle.js';
import { benchInOwnProcess } from '../bench-process.js';
import { familySize, firstDecision, horizonFor, LOOK_EVERY, roundsAtLeast } from './family.js';
import { ARMS, type ArmName, type CompareSettings } from './settings.js';

/** Where each round's results are kept, so `writegate analyze` can judge them again without measuring. */
export const ROUNDS_DIR = 'rounds';

export function roundFile(outDir: string, round: number, arm: ArmName): string {
  return path.join(outDir, ROUNDS_DIR, `round-${String(round).padStart(2, '0')}-${arm}.csv`);
}

/**
 * ABBA: odd rounds list the base first, even rounds the head first. A drift over the run (a disk
 * filling its cache, a neighbour starting) then lands on both arms alike instead of always on the
 * second.
 */
export function armOrder(round: number): readonly ArmName[] {
  return round % 2 === 1 ? ARMS : [...ARMS].reverse();
}

/** The name a compared writer runs under in a round, where both arms are subjects of one bench. */
export function armSubject(name: string, arm: ArmName): string {
  return `${name}.${arm}`;
}

/**
 * Both arms' writers in one config: each round is one bench whose subjects are every compared
 * writer twice, base and head, timed in the same lines, the bench's rounds rotating which goes first.
 * Load that comes and goes within a line then lands on both arms of the round, not on the one that
 * happened to run in a separate process a few seconds later (which made an unchanged writer's
 * per-round ratios swing by about ±15%).
 */
function roundConfig(settings: CompareSettings): Record<string, unknown> {
  const writers: Record<string, unknown> = {};
  for (const arm of ARMS)
    for (const [name, spec] of Object.entries(settings.arms[arm])) writers[armSubject(name, arm)] = spec;
  return { writers };
}

function benchArgs(settings: CompareSettings, config: string, round: number): string[] {
  return [
    '--config',
    config,
    '--subjects',
    armOrder(round)
      .flatMap((arm) => settings.subjects.map((name) => armSubject(name, arm)))
      .join(','),
    '--sizes',
    settings.sizes.join(','),
    '--modes',
    settings.modes.join(','),
    '--profile',
    settings.profile,
    '--samples',
    String(settings.samples),
  ];
}

/**
 * One arm's rows of a round: its writers under their own names, with the yardsticks and the
 * environment the round measured for both, so each arm reads as a bench run of that arm alone.
 */
export function armRows(rows: readonly ResultRow[], subjects: readonly string[], arm: ArmName): ResultRow[] {
  const other = ARMS.find((name) => name !== arm) as ArmName;
  const mine = new Map(subjects.map((name) => [armSubject(name, arm), name]));
  const theirs = new Set(subjects.map((name) => armSubject(name, other)));
  return rows
    .filter((row) => !theirs.has(row.subject))
    .map((row) => (mine.has(row.subject) ? { ...row, subject: mine.get(row.subject) as string } : row));
}

/** The first compared subject's p50 of its first line in a run, for the progress line. */
function firstP50(rows: readonly ResultRow[], subject: string): string {
  const row = rows.find(
    (r) => r.metric === METRICS.latencyP50 && r.sample === null && r.subject === subject && r.value !== null,
  );
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
 * Measures ABBA pairs of rounds (each one bench process timing both arms), looks after each pair, and stops
 * when the looks decide, the rounds run out or the next pair would pass --max-time; then judges head
 * against base once more for the report, under the same sequential design.
 */
export async function runCompare(settings: CompareSettings, log: (line: string) => void): Promise<CompareOutcome> {
  const workspace = Workspace.create('writegate-compare-');
  const commit = new OutputCommit();
  // From source, each round's writegate would pay for the tsx loader; bundled once, each starts plain node.
  const forgetBundles = await bundleSelfScripts(workspace.dir('bundles'), ['cli/bin.ts']);
  try {
    const config = path.join(workspace.dir('arms'), 'writegate.config.json');
    fs.writeFileSync(config, JSON.stringify(roundConfig(settings)));
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
    // Said once everything before the first round is ready: from here a round's bench is what runs.
    log(
      `${settings.subjects.join(', ')}: measuring ${ARMS.join(' and ')} side by side in rounds, the order ` +
        `alternating, until every judged series is decided (at most ${settings.maxRounds} rounds or ` +
        `${settings.maxSeconds}s)`,
    );
    while (!stopped) {
      for (let step = 0; step < LOOK_EVERY; step++) {
        round++;
        const seen: Partial<Record<ArmName, string>> = {};
        const measuredRows = await benchInOwnProcess(
          'compare',
          `round ${round}`,
          workspace.dir('runs', `round-${round}`),
          benchArgs(settings, config, round),
        );
        for (const arm of ARMS) {
          const mine = armRows(measuredRows, settings.subjects, arm);
          writeFileAtomicSync(roundFile(measured, round, arm), rowsToCsv(mine));
          files[arm].push(roundFile(measured, round, arm));
          names[arm].push(roundFile(settings.outDir, round, arm));
          rows[arm].push(...mine);
          seen[arm] = firstP50(mine, settings.subjects[0] as string);
        }
        log(
          `round ${round} (${armOrder(round)[0]} first): ${settings.subjects[0]} p50 ` +
            `base ${seen.base}, head ${seen.head}`,
        );
      }
      const elapsed = (Date.now() - started) / 1000;
      const pairSeconds = elapsed / (round / LOOK_EVERY);
      if (round === LOOK_EVERY) {
        horizon = horizonFor(settings.maxRounds, settings.maxSeconds, pairSeconds);
        first = firstDecision(family, horizon);
        const reach =
          `at ${formatSeconds(pairSeconds)} a pair, --max-time ${settings.maxSeconds}s ` +
          `and --max-rounds ${settings.maxRounds} allow ${horizon} rounds`;
        log(
          first === undefined
            ? `${reach}; the ${family} judged series need more before any can be decided, ` +
                `so only the head's gates can decide this run (raise --max-time or --max-rounds)`
            : `${reach}; ${family} judged series, the first decision possible at round ${first}`,
        );
      }
      const look = lookAt(rows.base, rows.head, settings.subjects, settings.policies, {
        horizon,
        lookEvery: LOOK_EVERY,
        family,
      });
      if (look.outcome !== 'continue') stopped = look.outcome;
      // A horizon short of --max-rounds is what --max-time allowed at the first pair's pace.
      else if (round >= horizon || first === undefined)
        stopped = horizon < settings.maxRounds - (settings.maxRounds % LOOK_EVERY) ? 'max-time' : 'max-rounds';
      else if (elapsed + pairSeconds > settings.maxSeconds) stopped = 'max-time';
      const state =
        look.outcome === 'regressed'
          ? 'a series regressed'
          : look.outcome === 'decided'
            ? 'every median decided'
            : `${look.undecided.length} undecided`;
      const stopping = stopped && look.outcome === 'continue' ? `; stopping (${stopped})` : '';
      log(`look at round ${round} of at most ${horizon} (${formatSeconds(elapsed)}): ${state}${stopping}`);
      if (look.outcome === 'continue' && (first === undefined || round >= first))
        for (const why of look.undecided) log(`  ${why}`);
    }
    const sequential: SequentialRun = {
      horizon,
      lookEvery: LOOK_EVERY,
      stopped,
      maxRounds: settings.maxRounds,
      maxSeconds: settings.maxSeconds,
    };
    // The rounds, the report and trend.json reach --out together, in one commit at the very end.
    commit.tree(path.join(settings.outDir, ROUNDS_DIR), path.join(measured, ROUNDS_DIR));
    const outcome = await analyze({
      inputs: files.head,
      inputNames: names.head,
      baselineInputs: files.base,
      baselineNames: names.base,
      outDir: settings.outDir,
      thresholdsFile: settings.thresholdsFile,
      thresholds: settings.thresholds,
      regressionPolicyFile: settings.policyFile,
      json: settings.json,
      comparison: {
        subjects: settings.subjects,
        rounds: round,
        roundsNeeded: first ?? Math.max(roundsAtLeast(family), horizon + LOOK_EVERY),
        familySize: family,
        allowInconclusive: settings.allowInconclusive,
        sequential,
      },
      commit,
    });
    commit.commit();
    return {
      outcome,
      rounds: round,
      family,
      firstDecision: first ?? Math.max(roundsAtLeast(family), horizon + LOOK_EVERY),
      sequential,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    forgetBundles();
    await commit.dispose();
    await workspace.dispose();
  }
}
