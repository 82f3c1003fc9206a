/**
 * Gates that judge something the user configures (a crash checker, a hook, a file system to image,
 * their own git wrapper): when the input holds nothing of it, they are listed once, with the option
 * that would enable them, instead of showing as "no data" on every run. A gate whose input was
 * configured but produced nothing still shows as no data (gates/evaluate.ts `notConfigured` decides).
 */
import { SUBJECT_ROLES } from '../core/schema.js';
import { notConfigured, type EffectiveGate } from './gates/evaluate.js';
import { notGatedHere } from './partition.js';
import { code } from './report/markdown.js';
import type { Figure, GatedSuite, GateSpec } from './types.js';

/** One option the run was not given, and the gates it would enable. */
export interface NotConfigured {
  /** The option as typed, e.g. `--crash-checker <command>`. */
  option: string;
  /** What it gives, in plain words. */
  what: string;
  /** The ids of the gates it enables, in gate order. */
  gates: string[];
  /** Their titles, in the same order (for the report). */
  titles: string[];
}

/** What the not-configured check needs of a suite's prepared part. */
export interface ConfiguredPart {
  suite: GatedSuite;
  fs: string;
  figures: readonly Figure[];
}

/** Parity always runs its built-in passthrough control: a run with no other wrapper judged no wrapper of the user's. */
const WRAPPER_BY = {
  option: '--wrapper NAME=TEMPLATE',
  what: 'your own git wrapper, compared with git (this run compared only the built-in passthrough control)',
};
const PARITY_OWN_SUBJECTS: readonly string[] = [SUBJECT_ROLES.parityNative, SUBJECT_ROLES.parityControl];

/**
 * The options this run was not given, once each. `gates`: the effective gates of the analyzed suites;
 * `parts`: their prepared parts (one per file system); `absent`: the gates of suites with no rows at all
 * that run only when configured (every gate has `configuredBy`: hook), when the whole input is analyzed.
 */
export function notConfiguredOf(
  gates: readonly EffectiveGate[],
  parts: readonly ConfiguredPart[],
  absent: readonly GateSpec[] = [],
): NotConfigured[] {
  const byOption = new Map<string, NotConfigured>();
  const add = (by: { option: string; what: string }, gate: Pick<GateSpec, 'id' | 'title'>) => {
    const entry = byOption.get(by.option) ?? { option: by.option, what: by.what, gates: [], titles: [] };
    if (!entry.gates.includes(gate.id)) {
      entry.gates.push(gate.id);
      entry.titles.push(gate.title);
    }
    byOption.set(by.option, entry);
  };
  for (const gate of gates) {
    if (!gate.configuredBy) continue;
    const mine = parts.filter((part) => part.suite === gate.suite && !notGatedHere(gate, part.fs));
    // Configured on any file system is configured: only a gate with nothing on every one is listed.
    if (mine.length > 0 && mine.every((part) => notConfigured(gate, part.figures))) add(gate.configuredBy, gate);
  }
  for (const gate of absent) if (gate.configuredBy) add(gate.configuredBy, gate);
  const parity = parts.filter((part) => part.suite === 'parity');
  const subjects = new Set(parity.flatMap((part) => part.figures.map((figure) => figure.subject)));
  if (
    parity.length > 0 &&
    subjects.size > 0 &&
    [...subjects].every((subject) => PARITY_OWN_SUBJECTS.includes(subject))
  ) {
    for (const gate of gates) if (gate.suite === 'parity' && gate.disabled === undefined) add(WRAPPER_BY, gate);
  }
  return [...byOption.values()];
}

/** The absent suites that run only when configured (each of their gates says what enables it). */
export function configuredOnly(suite: GatedSuite, gates: readonly GateSpec[]): boolean {
  const mine = gates.filter((gate) => gate.suite === suite);
  return mine.length > 0 && mine.every((gate) => gate.configuredBy !== undefined);
}

/** The gates an option feeds: their titles when few, else how many and the first two. */
function gateList(entry: NotConfigured): string {
  if (entry.titles.length === 1) return `gate "${entry.titles[0]}"`;
  const shown = entry.titles.length <= 3 ? entry.titles : [...entry.titles.slice(0, 2), '…'];
  return `${entry.titles.length} gates: ${shown.map((title) => (title === '…' ? title : `"${title}"`)).join(', ')}`;
}

/** The "Not configured" block: once per option, what it would enable. Empty when everything was configured. */
export function notConfiguredBlock(entries: readonly NotConfigured[]): string {
  if (entries.length === 0) return '';
  const lines = entries.map((entry) => `- ${code(entry.option)}: ${entry.what}, for ${gateList(entry)}.`);
  return [
    `**Not configured** — options this run was not given; the gates they feed ` +
      `judged nothing of them (never counted as passes):`,
    '',
    ...lines,
  ].join('\n');
}
