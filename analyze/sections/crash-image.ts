/**
 * crash_image: on a file system made fresh with --fs, the writer is frozen right after each step of
 * its write path and right after it exits 0; each time the device is copied as it is, and the copy
 * mounted (journal replayed) and read. What a real disk kept is shown beside what the file system's
 * persistence model allows, and an image the model says cannot happen (unsound) comes first: it is a
 * defect of the model, not of the writer.
 */
import {
  decodeDetail,
  FRESH_FILE_SYSTEMS,
  IMAGE_HELD,
  judgingModel,
  METRICS,
  PERSISTENCE_MODELS,
  type CrashScenarioId,
  type ImageObservation,
  type ResultRow,
} from '../../core/schema.js';
import { formatPercent, formatSize } from '../format.js';
import { blocks, table, untrusted, word } from '../report/markdown.js';
import type { Figure } from '../types.js';

export const CRASH_IMAGE: CrashScenarioId = 'crash_image';

/** The point of an image taken right after the writer exited 0 (imageObservationSchema). */
const AT_EXIT = 'exit';
/** Lines of observations shown per writer × size; the rest are counted. */
const MAX_OBSERVATION_LINES = 12;

const RATES = [METRICS.imageAtomicityViolationRate, METRICS.imageDurabilityViolationRate] as const;
const IMAGE_METRICS: ReadonlySet<string> = new Set([
  METRICS.imageStates,
  METRICS.imageUnsoundStates,
  METRICS.imageObservation,
  ...RATES,
]);

export interface Imaged {
  subject: string;
  mode: string;
  size: number | null;
  /** The persistence model the images were judged by (the rows' `engine`). */
  model: string;
  images: number;
  unsound: number;
  /** k/n per rate, summed over runs and shards. */
  rates: Map<string, { k: number; n: number }>;
  /** A rate row whose detail holds no counts (a hand-made file): the worst value seen. */
  loose: Map<string, number>;
  observations: ImageObservation[];
  /** image_observation rows whose detail is not one (a hand-edited file). */
  unreadable: number;
}

/** crash_image rows pooled per writer × mode × size × model across runs and shards (counts and k/n summed). */
export function poolImages(rows: readonly ResultRow[]): Imaged[] {
  const groups = new Map<string, Imaged>();
  for (const row of rows) {
    if (row.scenario !== CRASH_IMAGE || !IMAGE_METRICS.has(row.metric)) continue;
    const key = JSON.stringify([row.subject, row.mode, row.size_bytes, row.engine]);
    let entry = groups.get(key);
    if (!entry) {
      entry = {
        subject: row.subject,
        mode: row.mode,
        size: row.size_bytes,
        model: row.engine,
        images: 0,
        unsound: 0,
        rates: new Map(),
        loose: new Map(),
        observations: [],
        unreadable: 0,
      };
      groups.set(key, entry);
    }
    if (row.metric === METRICS.imageStates) entry.images += row.value ?? 0;
    else if (row.metric === METRICS.imageUnsoundStates) entry.unsound += row.value ?? 0;
    else if (row.metric === METRICS.imageObservation) {
      const observation = decodeDetail(METRICS.imageObservation, row.detail);
      if (observation) entry.observations.push(observation);
      else entry.unreadable++;
    } else {
      const counted = decodeDetail(row.metric as (typeof RATES)[number], row.detail);
      if (counted) {
        const sum = entry.rates.get(row.metric) ?? { k: 0, n: 0 };
        entry.rates.set(row.metric, { k: sum.k + counted.k, n: sum.n + counted.n });
      } else if (row.value !== null) {
        entry.loose.set(row.metric, Math.max(entry.loose.get(row.metric) ?? Number.NEGATIVE_INFINITY, row.value));
      }
    }
  }
  return [...groups.values()].sort((a, b) => a.subject.localeCompare(b.subject) || (a.size ?? 0) - (b.size ?? 0));
}

function rateOf(entry: Imaged, metric: string): { value: number; k?: number; n?: number } | undefined {
  const counted = entry.rates.get(metric);
  if (counted && counted.n > 0) return { value: counted.k / counted.n, k: counted.k, n: counted.n };
  const loose = entry.loose.get(metric);
  return loose === undefined ? undefined : { value: loose };
}

/** Whether any image rows at all are present: the gates and the report's part exist only then. */
function hasImageRows(pooled: readonly Imaged[]): boolean {
  return pooled.some(
    (entry) =>
      entry.images > 0 ||
      entry.rates.size > 0 ||
      entry.loose.size > 0 ||
      entry.observations.length > 0 ||
      entry.unsound > 0,
  );
}

/** Figures for the crash-image gates, under the scenario `crash_image`. */
export function imageFigures(pooled: readonly Imaged[]): Figure[] {
  const figures: Figure[] = [];
  for (const entry of pooled) {
    const base = { scenario: CRASH_IMAGE, subject: entry.subject, mode: entry.mode, size_bytes: entry.size };
    const atomicity = rateOf(entry, METRICS.imageAtomicityViolationRate);
    if (atomicity)
      figures.push({
        ...base,
        metric: METRICS.imageAtomicityViolationRate,
        value: atomicity.value,
        ...(atomicity.n ? { note: `${atomicity.k}/${atomicity.n} crash images` } : {}),
      });
    const durability = rateOf(entry, METRICS.imageDurabilityViolationRate);
    if (durability)
      figures.push({
        ...base,
        metric: METRICS.imageDurabilityViolationRate,
        value: durability.value,
        ...(durability.n ? { note: `${durability.k}/${durability.n} images taken right after exit 0` } : {}),
      });
    if (entry.images > 0 || entry.unsound > 0) {
      const kept = [...new Set(entry.observations.filter((o) => o.unsound && o.kept).map((o) => o.kept as string))];
      const note = `${entry.unsound} of ${entry.images} images${kept.length ? `; kept: ${kept.join(', ')}` : ''}`;
      figures.push({ ...base, metric: METRICS.imageUnsoundStates, value: entry.unsound, note });
    }
  }
  return figures;
}

/** Points a writer's path does not have, each with why, inert. */
function stepsText(steps: readonly { step: string; reason: string }[] | undefined): string {
  if (!steps?.length) return 'no reason given';
  return untrusted(steps.map(({ step, reason }) => (step ? `${step}: ${reason}` : reason)).join('; '));
}

const HELD_TEXT: Record<(typeof IMAGE_HELD)[number], string> = {
  old: 'the old content',
  new: 'the new content',
  missing: 'no file',
  other: 'neither the old nor the new content',
};

/** Where the image was taken, in words: right after exit 0, or with the writer frozen at a point of its path. */
function whenText(observation: ImageObservation): string {
  if (observation.point === AT_EXIT) return 'taken right after exit 0';
  // `after` says where in words ("after the fsync of the file"); the point is crash's id for it.
  return observation.after
    ? `taken with the writer frozen ${untrusted(observation.after)} (point ${untrusted(observation.point)})`
    : `taken with the writer frozen at ${untrusted(observation.point)}`;
}

function allowedText(observation: ImageObservation): string {
  return observation.allowed.length ? observation.allowed.join(', ') : 'nothing';
}

/** Whether the target's content broke a rule in this image (torn or lost; a success not kept). */
function broke(observation: ImageObservation): boolean {
  if (observation.held === 'other' || observation.held === 'missing') return true;
  return observation.point === AT_EXIT && observation.held !== 'new';
}

/**
 * One image in plain English: "on a real xfs image taken right after exit 0, the target held the old content (the
 * model allows: old, new)".
 */
function observationText(observation: ImageObservation, fsText: string): string {
  const extras = [
    observation.leftovers.length ? `left beside it: ${observation.leftovers.map(untrusted).join(', ')}` : '',
    observation.checker === undefined
      ? ''
      : observation.checker
        ? 'your checker accepted it'
        : 'your checker **rejected** it',
  ].filter(Boolean);
  return (
    `on a real ${fsText} image ${whenText(observation)}, the target held ${HELD_TEXT[observation.held]} (the ` +
    `model allows: ${allowedText(observation)})${extras.length ? `; ${extras.join('; ')}` : ''}`
  );
}

function cell(rate: { k: number; n: number } | undefined, loose: number | undefined): string {
  if (rate && rate.n > 0) {
    const text = `${formatPercent(rate.k / rate.n, 0)} (${rate.k}/${rate.n})`;
    return rate.k > 0 ? `**${text}**` : text;
  }
  return loose === undefined ? '—' : formatPercent(loose, 0);
}

/**
 * The crash-image part of the crash section, for the rows of one file system; nothing when crash_image did not run
 * there.
 */
export function imageBlock(rows: readonly ResultRow[], fs = ''): string | undefined {
  const pooled = poolImages(rows);
  const skipped = rows.filter((row) => row.scenario === CRASH_IMAGE && row.metric === METRICS.skipped);
  if (!hasImageRows(pooled) && skipped.length === 0) return undefined;
  const fsText = fs ? word(fs, FRESH_FILE_SYSTEMS) : 'crash';
  const model = fs ? judgingModel(fs) : '';
  const intro =
    `${fs ? `On this fresh ${fsText}, each` : 'Each'} writer was frozen right ` +
    `after each step of its write path and right after it exited 0; each time the device ` +
    'was copied as it was, the copy mounted (its journal replayed) and the ' +
    'target read: what a real disk keeps after a crash at that moment, shown beside ' +
    `what the ${model ? `**${model}** ` : ''}persistence model allows. Torn ` +
    `or lost: the target was neither exactly the old nor exactly the new content. ` +
    'Success not durable: an image taken right after exit 0 did not hold the ' +
    'new content. Unsound: an image the model says cannot happen, a defect ' +
    'of the model rather than of the writer, gated for every writer.';

  const unsound = pooled.flatMap((entry) => entry.observations.filter((o) => o.unsound).map((o) => ({ entry, o })));
  const unsoundCount = pooled.reduce((sum, entry) => sum + entry.unsound, 0);
  const unsoundBlock =
    unsoundCount > 0 || unsound.length > 0
      ? [
          `⚠ **${Math.max(unsoundCount, unsound.length)} image(s) the model says ` +
            `cannot happen.** A real disk kept a state of the target the ${model ? `**${model}** ` : ''}model ` +
            'does not allow: the model is wrong about this file system, and its power-loss ' +
            'verdicts here cannot be trusted until it is fixed. ' +
            "This is not the writer's fault. Each image was kept for a person to inspect:",
          unsound
            .map(({ entry, o }) => {
              const kept = o.kept ? `kept at ${untrusted(o.kept)}` : 'not kept (no path in the row)';
              const image = `**${untrusted(entry.subject)}** · ${formatSize(entry.size)}`;
              return `- ${image} — ${observationText(o, fsText)}; ${kept}`;
            })
            .join('\n') || '- (the rows do not say which images)',
        ].join('\n\n')
      : undefined;

  const tableRows = pooled
    .filter((entry) => entry.images > 0 || entry.rates.size > 0 || entry.loose.size > 0 || entry.unsound > 0)
    .map((entry) => [
      untrusted(entry.subject),
      formatSize(entry.size),
      word(entry.model, PERSISTENCE_MODELS),
      String(entry.images),
      cell(entry.rates.get(METRICS.imageAtomicityViolationRate), entry.loose.get(METRICS.imageAtomicityViolationRate)),
      cell(
        entry.rates.get(METRICS.imageDurabilityViolationRate),
        entry.loose.get(METRICS.imageDurabilityViolationRate),
      ),
      entry.unsound > 0 ? `**${entry.unsound}** ⚠` : '0',
    ]);

  const observed = pooled
    .filter((entry) => entry.observations.length > 0 || entry.unreadable > 0)
    .map((entry) => observedList(entry, fsText));
  const notRun = [
    ...new Set(
      skipped.map((row) => {
        const size = row.size_bytes ? ` · ${formatSize(row.size_bytes)}` : '';
        return `- ${row.subject ? untrusted(row.subject) : 'every writer'}${size}: ${untrusted(row.detail)}`;
      }),
    ),
  ];
  const absent = [
    ...new Set(
      rows
        .filter((row) => row.scenario === CRASH_IMAGE && row.metric === METRICS.notApplicable)
        .map((row) => {
          const size = row.size_bytes ? ` · ${formatSize(row.size_bytes)}` : '';
          return `- ${untrusted(row.subject)}${size}: ${stepsText(decodeDetail(METRICS.notApplicable, row.detail))}`;
        }),
    ),
  ];
  return blocks(
    '### Crash images',
    intro,
    unsoundBlock,
    tableRows.length
      ? table(
          ['writer', 'size', 'model', 'images', 'torn or lost (atomicity)', 'success not durable', 'unsound'],
          tableRows,
          ['left', 'right', 'left', 'right', 'right', 'right', 'right'],
        )
      : undefined,
    observed.length
      ? `What each writer's images held, beside what the model allows (rules broken first):\n\n${observed.join('\n')}`
      : undefined,
    absent.length ? `Points not on a writer's path, so no image there:\n\n${absent.join('\n')}` : undefined,
    notRun.length ? `Not run (never counted as a pass):\n\n${notRun.join('\n')}` : undefined,
  );
}

/** A writer × size's images, identical ones counted once, the ones that broke a rule first. */
function observedList(entry: Imaged, fsText: string): string {
  const counts = new Map<string, { text: string; n: number; rank: number }>();
  for (const observation of entry.observations) {
    const text = observationText(observation, fsText);
    const seen = counts.get(text);
    if (seen) seen.n++;
    else counts.set(text, { text, n: 1, rank: observation.unsound ? 0 : broke(observation) ? 1 : 2 });
  }
  const lines = [...counts.values()]
    .sort((a, b) => a.rank - b.rank)
    .map(
      ({ text, n, rank }) =>
        `  - ${rank === 0 ? '⚠ unsound: ' : rank === 1 ? '❌ ' : ''}${n > 1 ? `${n}× ` : ''}${text}`,
    );
  const shown = lines.slice(0, MAX_OBSERVATION_LINES);
  if (lines.length > shown.length)
    shown.push(`  - … and ${lines.length - shown.length} more kinds of image in results_raw.csv`);
  if (entry.unreadable > 0) shown.push(`  - ${entry.unreadable} observation row(s) whose detail could not be read`);
  return `- **${untrusted(entry.subject)}** · ${formatSize(entry.size)}:\n${shown.join('\n')}`;
}
