import {
  CONSERVATIVE_MODEL,
  decodeDetail,
  FRESH_FILE_SYSTEMS,
  judgingModel,
  METRICS,
  PERSISTENCE_MODELS,
  type CrashScenarioId,
  type PowerLossViolation,
  type ResultRow,
} from '../../core/schema.js';
import { formatPercent, formatSize } from '../format.js';
import { blocks, table, untrusted, word } from '../report/markdown.js';
import type { Figure } from '../types.js';

const POWER_LOSS: CrashScenarioId = 'power_loss';
/** A batch's power loss: the same rows and rates, every file of the batch judged on its own. */
export const BATCH_POWER_LOSS: CrashScenarioId = 'batch_power_loss';

/**
 * The model the power-loss gates judge on the workspace's own file system (rows with an empty `fs`);
 * on a fresh file system (`--fs`) they judge that file system's own model (`judgingModel`). The
 * others are reported beside it.
 */
export const GATED_MODEL = CONSERVATIVE_MODEL;

/** A power loss empties a tmpfs: a success there is never durable, so that figure is shown, not gated. */
export const TMPFS_MODEL = 'tmpfs';
export const TMPFS_NOT_DURABLE =
  'a power loss empties a tmpfs, so no write on it survives one, whatever the writer does';

const RATE_METRICS = [
  METRICS.powerlossAtomicityViolationRate,
  METRICS.powerlossDurabilityViolationRate,
  METRICS.powerlossCheckerViolationRate,
] as const;

const POWER_LOSS_METRICS: ReadonlySet<string> = new Set([
  METRICS.powerlossStates,
  METRICS.powerlossViolation,
  ...RATE_METRICS,
]);

interface Explored {
  subject: string;
  size: number | null;
  model: string;
  states: number;
  how: string[];
  rates: Map<string, { k: number; n: number }>;
  violations: PowerLossViolation[];
}

/**
 * Power-loss rows pooled per writer × size × model across runs and shards (k and n summed); the gated model
 * first.
 */
export function poolPowerLoss(
  rows: readonly ResultRow[],
  gated: string = GATED_MODEL,
  scenario: CrashScenarioId = POWER_LOSS,
): Explored[] {
  const groups = new Map<string, Explored>();
  for (const row of rows) {
    if (row.scenario !== scenario || !POWER_LOSS_METRICS.has(row.metric)) continue;
    const key = JSON.stringify([row.subject, row.size_bytes, row.engine]);
    let entry = groups.get(key);
    if (!entry) {
      entry = {
        subject: row.subject,
        size: row.size_bytes,
        model: row.engine,
        states: 0,
        how: [],
        rates: new Map(),
        violations: [],
      };
      groups.set(key, entry);
    }
    if (row.metric === METRICS.powerlossStates) {
      entry.states += row.value ?? 0;
      if (!entry.how.includes(row.detail)) entry.how.push(row.detail);
    } else if ((RATE_METRICS as readonly string[]).includes(row.metric)) {
      const counted = decodeDetail(row.metric as (typeof RATE_METRICS)[number], row.detail);
      const sum = entry.rates.get(row.metric) ?? { k: 0, n: 0 };
      if (counted) entry.rates.set(row.metric, { k: sum.k + counted.k, n: sum.n + counted.n });
    } else if (row.metric === METRICS.powerlossViolation) {
      // A detail neither form reads (a hand-edited file) is still listed, as text under no check.
      const violation = decodeDetail(METRICS.powerlossViolation, row.detail) ?? { check: '', why: row.detail };
      if (!entry.violations.some((seen) => seen.check === violation.check && seen.why === violation.why))
        entry.violations.push(violation);
    }
  }
  return [...groups.values()].sort(
    (a, b) =>
      a.subject.localeCompare(b.subject) ||
      (a.size ?? 0) - (b.size ?? 0) ||
      modelOrder(a.model, gated) - modelOrder(b.model, gated),
  );
}

/** The checks a power-loss violation names. */
const VIOLATION_CHECKS = ['atomicity', 'durability', 'checker'] as const;

/** The persistence models crash/powerloss has; a row naming another is the input's, shown inert. */
const MODELS: readonly string[] = PERSISTENCE_MODELS;

/** The gated model first, then the others in the schema's order, then any the input names. */
function modelOrder(model: string, gated: string): number {
  if (model === gated) return -1;
  const index = MODELS.indexOf(model);
  return index < 0 ? MODELS.length : index;
}

/** The kill_at_step steps that say what a writer's trace lacks (crash's step ids). */
const STEP = {
  beforeFsync: 'before_fsync',
  beforeRename: 'before_rename',
  beforeDirFsync: 'before_dir_fsync',
  afterDirFsync: 'after_dir_fsync',
} as const;

/** Which rule a violation rate breaks, for the power-loss model's rates and the crash images' alike. */
const CHECK_OF: Readonly<Record<string, 'atomicity' | 'durability'>> = {
  [METRICS.powerlossAtomicityViolationRate]: 'atomicity',
  [METRICS.powerlossDurabilityViolationRate]: 'durability',
  [METRICS.imageAtomicityViolationRate]: 'atomicity',
  [METRICS.imageDurabilityViolationRate]: 'durability',
};

/**
 * Per writer, the steps its fault-free trace does not have, from kill_at_step's not_applicable rows: the step ids
 * only.
 */
export function missingSteps(rows: readonly ResultRow[]): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  for (const row of rows) {
    if (row.metric !== METRICS.notApplicable || row.scenario !== ('kill_at_step' satisfies CrashScenarioId)) continue;
    const steps = found.get(row.subject) ?? new Set<string>();
    for (const { step } of decodeDetail(METRICS.notApplicable, row.detail) ?? []) if (step) steps.add(step);
    found.set(row.subject, steps);
  }
  return found;
}

/**
 * What a writer's trace shows that explains a power-loss violation of this metric, in writegate's
 * words; undefined when its trace lacks none of the steps that would.
 */
export function powerLossCause(metric: string, missing: ReadonlySet<string> | undefined): string | undefined {
  const check = CHECK_OF[metric];
  if (!missing || !check) return undefined;
  // A writer with no rename writes the target in place: its missing directory fsyncs follow from that.
  if (missing.has(STEP.beforeRename)) return 'it rewrites the target in place';
  const file = missing.has(STEP.beforeFsync);
  const dir = missing.has(STEP.beforeDirFsync) || missing.has(STEP.afterDirFsync);
  if (check === 'atomicity') return file ? 'its trace shows no fsync of the file before the rename' : undefined;
  if (file && dir) return 'its trace shows no fsync of the file before the rename, nor of the directory after it';
  if (dir) return 'its trace shows no fsync of the directory after the rename';
  return file ? 'its trace shows no fsync of the file before the rename' : undefined;
}

/**
 * Figures for the gates: the gated model's rates (the file system's: `judgingModel`), under the scenario
 * `power_loss`; a violated one carries what the writer's trace shows that explains it (`missing`: missingSteps).
 */
export function powerLossFigures(
  pooled: readonly Explored[],
  gated: string = GATED_MODEL,
  missing: ReadonlyMap<string, ReadonlySet<string>> = new Map(),
  scenario: CrashScenarioId = POWER_LOSS,
): Figure[] {
  const figures: Figure[] = [];
  for (const entry of pooled) {
    if (entry.model !== gated) continue;
    for (const metric of RATE_METRICS) {
      const rate = entry.rates.get(metric);
      if (!rate || rate.n === 0) continue;
      const cause = rate.k > 0 ? powerLossCause(metric, missing.get(entry.subject)) : undefined;
      figures.push({
        scenario,
        subject: entry.subject,
        mode: 'durable',
        size_bytes: entry.size,
        metric,
        value: rate.k / rate.n,
        note: `${rate.k}/${rate.n} crash states`,
        ...(cause ? { cause } : {}),
      });
    }
  }
  return figures;
}

/** A rate as `k/n` with its percentage; bold when it broke a rule that holds there (`loud`). */
function cell(entry: Explored, metric: string, loud = true): string {
  const rate = entry.rates.get(metric);
  if (!rate || rate.n === 0) return '—';
  const text = `${formatPercent(rate.k / rate.n, 0)} (${rate.k}/${rate.n})`;
  return rate.k > 0 && loud ? `**${text}**` : text;
}

/**
 * Writers whose durable mode loses data on power loss under the model that judges `fs` (crash rows of
 * that file system; '' = the workspace's own, judged by posix), and why in a few words. On tmpfs only
 * a torn target counts: nothing there survives a power loss.
 */
export function notDurable(rows: readonly ResultRow[], fs = ''): Map<string, string> {
  const gated = judgingModel(fs);
  const found = new Map<string, string>();
  for (const entry of poolPowerLoss(rows, gated)) {
    if (entry.model !== gated) continue;
    const torn = entry.rates.get(METRICS.powerlossAtomicityViolationRate)?.k ?? 0;
    const lost = gated === TMPFS_MODEL ? 0 : (entry.rates.get(METRICS.powerlossDurabilityViolationRate)?.k ?? 0);
    if (torn === 0 && lost === 0) continue;
    const why = [torn > 0 ? 'can be left torn or empty' : '', lost > 0 ? 'a reported success can be lost' : '']
      .filter(Boolean)
      .join(', ');
    found.set(entry.subject, `${why} after a power loss`);
  }
  return found;
}

/** What each model keeps after a power loss, in a few words (crash/powerloss/README.md has the rules). */
const MODEL_TEXT: Readonly<Record<string, string>> = {
  posix:
    'conservative: file data not covered by an fsync of that file may be lost, ' +
    'torn at 4 KiB or zero-filled; a directory entry (create, rename, unlink) ' +
    "not followed by an fsync of its directory may be lost, one directory's entries persisting in order",
  'ext4-ordered':
    'the default ext4 mount (journal commits in order, data before the metadata ' +
    'that exposes it, and its replace-by-rename flush)',
  xfs: 'the default xfs mount',
  btrfs: 'the default btrfs mount',
  tmpfs: 'a file system in memory: a power loss leaves nothing of it',
};

/** One sentence per model shown: the gated one first, then the others present (ext4-ordered always beside posix). */
function modelSentences(gated: string, present: readonly string[]): string {
  const shown = [
    gated,
    ...(gated === GATED_MODEL ? ['ext4-ordered'] : [GATED_MODEL]),
    ...MODELS.filter((model) => present.includes(model)),
  ];
  return [...new Set(shown)]
    .filter((model) => Object.hasOwn(MODEL_TEXT, model))
    .map((model) => {
      if (model === gated) return `**${model}** (gated) is ${MODEL_TEXT[model]}.`;
      if (gated === GATED_MODEL)
        return `**${model}** is ${MODEL_TEXT[model]}, shown so you can see what your real file system forgives.`;
      const beside =
        model === GATED_MODEL ? "shown beside it: it judges the workspace's own file system" : 'shown beside it';
      return `**${model}** (${beside}) is ${MODEL_TEXT[model]}.`;
    })
    .join(' ');
}

/** Which file system the rows were made on and so which model judges them; nothing for the workspace's own. */
function madeOn(fs: string, gated: string): string {
  if (!fs) return '';
  if (gated !== GATED_MODEL)
    return `These rows were made on a fresh ${word(fs, FRESH_FILE_SYSTEMS)}, so its own model judges them. `;
  return (
    `These rows were made on ${word(fs, FRESH_FILE_SYSTEMS)}, which has no ` +
    `model of its own here, so the conservative one judges them. `
  );
}

/** The power-loss part of the crash section, for the rows of one file system (`fs`; '' = the workspace's own). */
export function powerLossBlock(rows: readonly ResultRow[], fs = ''): string {
  const gated = judgingModel(fs);
  const pooled = poolPowerLoss(rows, gated);
  const skipped = rows.filter((row) => row.scenario === POWER_LOSS && row.metric === METRICS.skipped);
  return explorationBlock('### Power loss', powerLossIntro(fs, gated, pooled), pooled, skipped, gated);
}

/**
 * The batch power-loss part of the crash section, only when its rows are in the input (the scenario
 * runs only when asked for or when a writer was given a batch form): the same table, per file.
 */
export function batchPowerLossBlock(rows: readonly ResultRow[], fs = ''): string | undefined {
  const gated = judgingModel(fs);
  const pooled = poolPowerLoss(rows, gated, BATCH_POWER_LOSS);
  const skipped = rows.filter((row) => row.scenario === BATCH_POWER_LOSS && row.metric === METRICS.skipped);
  if (pooled.length === 0 && skipped.length === 0) return undefined;
  const intro =
    "The same replay for each writer's batch form (many files written in one call, over two " +
    'directories): every crash state must leave each file of the batch its old or its new content, ' +
    'and after the batch reported success every file its new one. A batch that renames every file ' +
    'but fsyncs no directory loses a success; one that renames a file whose data it never synced can ' +
    'leave that file torn or empty. Each violation names the file.' +
    (gated === TMPFS_MODEL
      ? ` On tmpfs the success-not-durable column is reported, not gated: ${TMPFS_NOT_DURABLE}.`
      : '');
  return explorationBlock('### Power loss of a batch', intro, pooled, skipped, gated);
}

function powerLossIntro(fs: string, gated: string, pooled: readonly Explored[]): string {
  const tmpfs = gated === TMPFS_MODEL;
  const intro =
    "A kill cannot lose what the kernel holds, so each writer's own fault-free " +
    'trace is replayed as a power loss instead: the trace becomes logical ' +
    'operations on files and directory entries (a temp file is followed by ' +
    'identity, wherever it lives), and a persistence model decides which of the ' +
    `operations issued before each crash point can be on disk. ${madeOn(fs, gated)}` +
    `${modelSentences(
      gated,
      pooled.map((entry) => entry.model),
    )} Every state must hold the old or the new content; after the writer ` +
    'reported success, the new one. The rules and their sources are in crash/powerloss/README.md.' +
    (tmpfs ? ` On tmpfs the success-not-durable column is reported, not gated: ${TMPFS_NOT_DURABLE}.` : '');
  return intro;
}

/** The table of explorations, the smallest violations explained, and what did not run. */
function explorationBlock(
  heading: string,
  intro: string,
  pooled: readonly Explored[],
  skipped: readonly ResultRow[],
  gated: string,
): string {
  if (pooled.length === 0 && skipped.length === 0)
    return blocks(heading, intro, 'No power-loss rows in the input (the scenario did not run).');
  const tableRows = pooled.map((entry) => [
    untrusted(entry.subject),
    formatSize(entry.size),
    entry.model === gated ? `**${entry.model}**` : word(entry.model, MODELS),
    String(entry.states),
    cell(entry, METRICS.powerlossAtomicityViolationRate),
    cell(entry, METRICS.powerlossDurabilityViolationRate, entry.model !== TMPFS_MODEL),
    cell(entry, METRICS.powerlossCheckerViolationRate),
    entry.how.map(untrusted).join(' | '),
  ]);
  const explained = pooled.flatMap((entry) =>
    // On tmpfs every success is lost: one sentence above says so, not one line per state.
    entry.violations
      .filter((violation) => !(entry.model === TMPFS_MODEL && violation.check === 'durability'))
      .map((violation) => {
        const check = violation.check ? `${word(violation.check, VIOLATION_CHECKS)}: ` : '';
        const writer = `**${untrusted(entry.subject)}** · ${formatSize(entry.size)} · ${word(entry.model, MODELS)}`;
        return `- ${writer} — ${check}${untrusted(violation.why)}`;
      }),
  );
  const notRun = [
    ...new Set(
      skipped.map((row) => {
        const size = row.size_bytes ? ` · ${formatSize(row.size_bytes)}` : '';
        return `- ${row.subject ? untrusted(row.subject) : 'every writer'}${size}: ${untrusted(row.detail)}`;
      }),
    ),
  ];
  return blocks(
    heading,
    intro,
    pooled.length
      ? table(
          [
            'writer',
            'size',
            'model',
            'states',
            'torn or lost (atomicity)',
            'success not durable',
            'your checker',
            'states checked',
          ],
          tableRows,
          ['left', 'right', 'left', 'right', 'right', 'right', 'right', 'left'],
        )
      : undefined,
    explained.length
      ? `The smallest violations, with what persisted and what was lost:\n\n${explained.join('\n')}`
      : pooled.length
        ? 'No crash state broke a rule.'
        : undefined,
    notRun.length ? `Not run (never counted as a pass):\n\n${notRun.join('\n')}` : undefined,
  );
}
