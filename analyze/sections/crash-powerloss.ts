import { METRICS, type CrashScenarioId, type ResultRow } from '../../core/schema.js';
import { formatPercent, formatSize } from '../format.js';
import { blocks, table, untrusted, word } from '../report/markdown.js';
import type { Figure } from '../types.js';

const POWER_LOSS: CrashScenarioId = 'power_loss';

/** The model the power-loss gates judge; the others are reported beside it. */
export const GATED_MODEL = 'posix';

const RATE_METRICS = [METRICS.powerlossAtomicityViolationRate, METRICS.powerlossDurabilityViolationRate, METRICS.powerlossCheckerViolationRate] as const;

const POWER_LOSS_METRICS: ReadonlySet<string> = new Set([METRICS.powerlossStates, METRICS.powerlossViolation, ...RATE_METRICS]);

interface Explored {
  subject: string;
  size: number | null;
  model: string;
  states: number;
  how: string[];
  rates: Map<string, { k: number; n: number }>;
  violations: string[];
}

/** Power-loss rows pooled per writer × size × model across runs and shards (k and n summed). */
export function poolPowerLoss(rows: readonly ResultRow[]): Explored[] {
  const groups = new Map<string, Explored>();
  for (const row of rows) {
    if (row.scenario !== POWER_LOSS || !POWER_LOSS_METRICS.has(row.metric)) continue;
    const key = JSON.stringify([row.subject, row.size_bytes, row.engine]);
    let entry = groups.get(key);
    if (!entry) {
      entry = { subject: row.subject, size: row.size_bytes, model: row.engine, states: 0, how: [], rates: new Map(), violations: [] };
      groups.set(key, entry);
    }
    if (row.metric === METRICS.powerlossStates) {
      entry.states += row.value ?? 0;
      if (!entry.how.includes(row.detail)) entry.how.push(row.detail);
    } else if ((RATE_METRICS as readonly string[]).includes(row.metric)) {
      const counted = /^(\d+)\/(\d+)$/.exec(row.detail);
      const sum = entry.rates.get(row.metric) ?? { k: 0, n: 0 };
      if (counted) entry.rates.set(row.metric, { k: sum.k + Number(counted[1]), n: sum.n + Number(counted[2]) });
    } else if (row.metric === METRICS.powerlossViolation && !entry.violations.includes(row.detail)) {
      entry.violations.push(row.detail);
    }
  }
  return [...groups.values()].sort((a, b) => a.subject.localeCompare(b.subject) || (a.size ?? 0) - (b.size ?? 0) || modelOrder(a.model) - modelOrder(b.model));
}

/** The persistence models crash/powerloss has; a row naming another is the input's, shown inert. */
const MODELS = [GATED_MODEL, 'ext4-ordered'];

function modelOrder(model: string): number {
  return model === GATED_MODEL ? 0 : 1;
}

/** Figures for the gates: the gated model's rates, under the scenario `power_loss`. */
export function powerLossFigures(pooled: readonly Explored[]): Figure[] {
  const figures: Figure[] = [];
  for (const entry of pooled) {
    if (entry.model !== GATED_MODEL) continue;
    for (const metric of RATE_METRICS) {
      const rate = entry.rates.get(metric);
      if (rate && rate.n > 0) figures.push({ scenario: POWER_LOSS, subject: entry.subject, mode: 'durable', size_bytes: entry.size, metric, value: rate.k / rate.n, note: `${rate.k}/${rate.n} crash states` });
    }
  }
  return figures;
}

function cell(entry: Explored, metric: string): string {
  const rate = entry.rates.get(metric);
  if (!rate || rate.n === 0) return '—';
  const text = `${formatPercent(rate.k / rate.n, 0)} (${rate.k}/${rate.n})`;
  return rate.k > 0 ? `**${text}**` : text;
}

/** Writers whose durable mode loses data on power loss under the gated model, and why in a few words. */
export function notDurable(rows: readonly ResultRow[]): Map<string, string> {
  const found = new Map<string, string>();
  for (const entry of poolPowerLoss(rows)) {
    if (entry.model !== GATED_MODEL) continue;
    const torn = entry.rates.get(METRICS.powerlossAtomicityViolationRate)?.k ?? 0;
    const lost = entry.rates.get(METRICS.powerlossDurabilityViolationRate)?.k ?? 0;
    if (torn === 0 && lost === 0) continue;
    const why = [torn > 0 ? 'can be left torn or empty' : '', lost > 0 ? 'a reported success can be lost' : ''].filter(Boolean).join(', ');
    found.set(entry.subject, `${why} after a power loss`);
  }
  return found;
}

export function powerLossBlock(rows: readonly ResultRow[]): string {
  const pooled = poolPowerLoss(rows);
  const skipped = rows.filter((row) => row.scenario === POWER_LOSS && row.metric === METRICS.skipped);
  const intro =
    'A kill cannot lose what the kernel holds, so each writer\'s own fault-free trace is replayed as a power loss instead: the trace becomes logical ' +
    'operations on files and directory entries (a temp file is followed by identity, wherever it lives), and a persistence model decides which of the ' +
    'operations issued before each crash point can be on disk. **posix** (gated) is conservative: file data not covered by an fsync of that file may be lost, ' +
    'torn at 4 KiB or zero-filled; a directory entry (create, rename, unlink) not followed by an fsync of its directory may be lost, one directory\'s entries ' +
    'persisting in order. **ext4-ordered** is the default ext4 mount (journal commits in order, data before the metadata that exposes it, and its ' +
    'replace-by-rename flush), shown so you can see what your real file system forgives. Every state must hold the old or the new content; after the writer ' +
    'reported success, the new one. The rules and their sources are in crash/powerloss/README.md.';
  if (pooled.length === 0 && skipped.length === 0) return blocks('### Power loss', intro, 'No power-loss rows in the input (the scenario did not run).');
  const tableRows = pooled.map((entry) => [
    untrusted(entry.subject),
    formatSize(entry.size),
    entry.model === GATED_MODEL ? `**${entry.model}**` : word(entry.model, MODELS),
    String(entry.states),
    cell(entry, METRICS.powerlossAtomicityViolationRate),
    cell(entry, METRICS.powerlossDurabilityViolationRate),
    cell(entry, METRICS.powerlossCheckerViolationRate),
    entry.how.map(untrusted).join(' | '),
  ]);
  const explained = pooled.flatMap((entry) =>
    entry.violations.map((detail) => {
      const check = /^check=([a-z]+); why=(.*)$/s.exec(detail);
      return `- **${untrusted(entry.subject)}** · ${formatSize(entry.size)} · ${word(entry.model, MODELS)} — ${check ? `${check[1]}: ${untrusted(check[2] ?? '')}` : untrusted(detail)}`;
    }),
  );
  const notRun = [...new Set(skipped.map((row) => `- ${row.subject ? untrusted(row.subject) : 'every writer'}${row.size_bytes ? ` · ${formatSize(row.size_bytes)}` : ''}: ${untrusted(row.detail)}`))];
  return blocks(
    '### Power loss',
    intro,
    pooled.length ? table(['writer', 'size', 'model', 'states', 'torn or lost (atomicity)', 'success not durable', 'your checker', 'states checked'], tableRows, ['left', 'right', 'left', 'right', 'right', 'right', 'right', 'left']) : undefined,
    explained.length ? `The smallest violations, with what persisted and what was lost:\n\n${explained.join('\n')}` : pooled.length ? 'No crash state broke a rule.' : undefined,
    notRun.length ? `Not run (never counted as a pass):\n\n${notRun.join('\n')}` : undefined,
  );
}
