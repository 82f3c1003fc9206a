/**
 * The "why" of a failing verdict, right under it: one line per failing subject, in plain words, its
 * most serious failure first. Built from the failing gate results themselves (gate id, subject,
 * scenario, size, figure, and a section's `cause`), never by reading rendered text back.
 */
import { BENCH_SCENARIOS, CRASH_SCENARIOS, FRESH_FILE_SYSTEMS, HOOK_SCENARIOS } from '../../core/schema.js';
import { formatPercent, formatRatio, formatSize, formatValue } from '../format.js';
import { onFileSystem } from '../partition.js';
import type { GateResult } from '../types.js';
import { instanceMarkdown, reasonMarkdown } from './gate-table.js';
import { untrusted, word } from './markdown.js';

/** How serious a failure is, most serious first: the line names a subject's worst failure first. */
export const SEVERITY = { dataLoss: 0, falseSuccess: 1, leftover: 2, behaviour: 3, speed: 4, unjudged: 5 } as const;
type Severity = (typeof SEVERITY)[keyof typeof SEVERITY];

/** What the figures beside the words show: where it failed, or how far off it was there. */
type Shown = 'where' | 'share' | 'ratio' | 'value' | 'none';

interface Kind {
  severity: Severity;
  /** What the subject does, after its name: "steno: can lose a reported write on power loss". */
  words: string;
  shown: Shown;
}

/** Every gate writegate ships, in the order a subject's failures of one severity are named. */
const KINDS: ReadonlyArray<[string, Kind]> = [
  [
    'crash.powerloss_durability',
    { severity: SEVERITY.dataLoss, words: 'can lose a reported write on power loss', shown: 'share' },
  ],
  [
    'crash.powerloss_atomicity',
    { severity: SEVERITY.dataLoss, words: 'can leave the target torn or empty on power loss', shown: 'share' },
  ],
  [
    'crash.image_durability',
    { severity: SEVERITY.dataLoss, words: 'lost a reported write in a real crash image', shown: 'share' },
  ],
  [
    'crash.image_atomicity',
    { severity: SEVERITY.dataLoss, words: 'left the target torn or empty in a real crash image', shown: 'share' },
  ],
  [
    'crash.corruption',
    { severity: SEVERITY.dataLoss, words: 'can leave a damaged target after a crash or an I/O error', shown: 'where' },
  ],
  [
    'crash.recovery',
    { severity: SEVERITY.dataLoss, words: 'does not write cleanly again after a crash', shown: 'where' },
  ],
  ['crash.lost_updates', { severity: SEVERITY.dataLoss, words: 'loses updates made under its lock', shown: 'where' }],
  [
    'crash.conflict_detected',
    { severity: SEVERITY.dataLoss, words: 'lets a stale compare-and-swap through', shown: 'where' },
  ],
  [
    'crash.fixed_temp_name',
    {
      severity: SEVERITY.dataLoss,
      words: 'uses one fixed temp file name, so two writers of a target overwrite each other',
      shown: 'none',
    },
  ],
  [
    'crash.powerloss_checker',
    { severity: SEVERITY.dataLoss, words: 'leaves power-loss states your checker rejects', shown: 'share' },
  ],
  [
    'crash.writes_outside',
    { severity: SEVERITY.dataLoss, words: 'changes files outside the directory it was given', shown: 'none' },
  ],
  [
    'bench.writes_correct',
    { severity: SEVERITY.dataLoss, words: 'wrote wrong content while being timed', shown: 'where' },
  ],
  [
    'crash.false_success',
    { severity: SEVERITY.falseSuccess, words: 'can report success for a write that failed', shown: 'where' },
  ],
  [
    'crash.orphan_temp',
    { severity: SEVERITY.leftover, words: 'leaves temp files behind after a failed write', shown: 'where' },
  ],
  ['parity.exit_code_match', { severity: SEVERITY.behaviour, words: 'exits differently from git', shown: 'share' }],
  [
    'parity.side_effect_match',
    { severity: SEVERITY.behaviour, words: 'leaves different files or refs than git', shown: 'share' },
  ],
  [
    'parity.stderr_key_signals',
    { severity: SEVERITY.behaviour, words: "drops git's key error messages", shown: 'share' },
  ],
  [
    'hook.mutating_rewrite',
    { severity: SEVERITY.behaviour, words: 'rewrites commands that change things, by default', shown: 'share' },
  ],
  [
    'hook.args_preserved',
    { severity: SEVERITY.behaviour, words: 'drops arguments when it puts a wrapper in front', shown: 'share' },
  ],
  [
    'hook.invalid_output',
    { severity: SEVERITY.behaviour, words: 'answers with output Claude Code cannot use', shown: 'share' },
  ],
  ['hook.deterministic', { severity: SEVERITY.behaviour, words: 'answers the same call differently', shown: 'share' }],
  [
    'hook.post_rewrite_retry',
    {
      severity: SEVERITY.behaviour,
      words: 'has its rewritten commands retried more often than others in recorded sessions',
      shown: 'none',
    },
  ],
  [
    'hook.post_rewrite_failure',
    {
      severity: SEVERITY.behaviour,
      words: 'has its rewritten commands fail more often than others in recorded sessions',
      shown: 'none',
    },
  ],
  [
    'crash.step_reached',
    {
      severity: SEVERITY.behaviour,
      words: 'missed its crash step in most trials, so its crash rates rest on too little',
      shown: 'where',
    },
  ],
  [
    'crash.model_sound',
    {
      severity: SEVERITY.behaviour,
      words:
        "showed writegate's power-loss model wrong in a real crash image (a defect of the model, not of the writer)",
      shown: 'none',
    },
  ],
  [
    'bench.durable_vs_reference',
    { severity: SEVERITY.speed, words: 'slower than the reference when durable', shown: 'ratio' },
  ],
  [
    'bench.fast_vs_durable',
    { severity: SEVERITY.speed, words: 'fast mode not noticeably faster than durable', shown: 'ratio' },
  ],
  ['bench.unchanged_p50', { severity: SEVERITY.speed, words: 'slow to skip unchanged content', shown: 'value' }],
  [
    'bench.batch_fsyncs',
    { severity: SEVERITY.speed, words: 'syncs more than a batch needs (files + parent directories)', shown: 'ratio' },
  ],
  ['hook.latency_p95', { severity: SEVERITY.speed, words: 'slow to answer', shown: 'value' }],
];
const KIND = new Map(KINDS);
const ORDER = new Map(KINDS.map(([id], index) => [id, index]));

/** Words any scenario of writegate's own is shown as; anything else came from the input. */
const SCENARIO_WORDS: readonly string[] = [
  ...CRASH_SCENARIOS,
  ...Object.values(BENCH_SCENARIOS),
  ...Object.values(HOOK_SCENARIOS),
];

const BENCH_MODES: readonly string[] = ['durable', 'fast', 'unchanged'];

/** A failure judged not by its figure but because it could not be judged (--require-judged). */
function unjudged(gate: GateResult): boolean {
  return gate.notJudged !== undefined;
}

/**
 * The kind of a failing instance: writegate's own gates by id; any other (a thresholds-made or a section's own) by its
 * title.
 */
function kindOf(gate: GateResult): Kind {
  if (unjudged(gate))
    return {
      severity: SEVERITY.unjudged,
      words: 'could not be judged, which --require-judged counts as a failure',
      shown: 'none',
    };
  return KIND.get(gate.id) ?? { severity: SEVERITY.behaviour, words: `fails ${gate.title}`, shown: 'where' };
}

/** Where an instance failed: its size and, on several file systems, which. */
function at(gate: GateResult): string {
  // A file system's name is writegate's own word when it is one of the fresh ones; anything else came from the input.
  const fs = gate.fs === undefined ? '' : gate.fs === '' ? onFileSystem('') : `on ${word(gate.fs, FRESH_FILE_SYSTEMS)}`;
  return [gate.size_bytes === null || gate.size_bytes === undefined ? '' : `at ${formatSize(gate.size_bytes)}`, fs]
    .filter(Boolean)
    .join(' ');
}

/** The figure of one failing instance, as the kind shows it. */
function shownFigure(gate: GateResult, shown: Shown): string {
  const where = at(gate);
  const joined = (figure: string) => [figure, where].filter(Boolean).join(' ');
  if (gate.figure === null) return where;
  if (shown === 'ratio') return joined(formatRatio(gate.figure));
  if (shown === 'value') return joined(formatValue(gate.figure, gate.unit));
  if (shown === 'share') return joined(`in ${formatPercent(badShare(gate), 0)} of ${shareOf(gate.id)}`);
  return where;
}

/** What is shown in brackets after a kind's words: its failing instances, worst first, at most three. */
function detailOf(kind: Kind, failing: readonly GateResult[]): string {
  if (kind.shown === 'none') {
    const where = [...new Set(failing.map(at).filter(Boolean))];
    return where.join(', ');
  }
  if (kind.shown === 'where') {
    // bench has one scenario and several modes: its mode says where; crash's scenario does.
    const place = (gate: GateResult) =>
      gate.suite === 'bench'
        ? gate.mode
          ? word(gate.mode, BENCH_MODES)
          : ''
        : gate.scenario
          ? word(gate.scenario, SCENARIO_WORDS)
          : '';
    const each = failing.map((gate) => [place(gate), at(gate)].filter(Boolean).join(' '));
    return [...new Set(each.filter(Boolean))].join(', ');
  }
  // Worst first: the instance furthest past its threshold leads.
  const ranked = [...failing].sort((a, b) => distance(b) - distance(a));
  const shown = [...new Set(ranked.map((gate) => shownFigure(gate, kind.shown)).filter(Boolean))];
  return shown.slice(0, 3).join(', ') + (shown.length > 3 ? ', …' : '');
}

/**
 * The share a rate gate counts against the subject: a rate that must reach 100% (a match rate) fails by what it
 * misses.
 */
function badShare(gate: GateResult): number {
  const figure = gate.figure ?? 0;
  const mustReachAll =
    gate.comparison === '>=' || gate.comparison === '>' || (gate.comparison === '==' && gate.thresholdValue === 1);
  return mustReachAll ? 1 - figure : figure;
}

/** What a rate gate's share is a share of. */
function shareOf(id: string): string {
  if (id.startsWith('crash.image_')) return 'crash images';
  if (id.startsWith('crash.')) return 'crash states';
  return 'cases';
}

function distance(gate: GateResult): number {
  if (gate.figure === null) return 0;
  return gate.comparison === '>' || gate.comparison === '>='
    ? gate.thresholdValue - gate.figure
    : gate.figure - gate.thresholdValue;
}

/**
 * One line of the why-block: the subject (or a gate without one), its failing gates most serious first, and the line.
 */
export interface WhyLine {
  /** The failing subject; undefined for a gate-wide failure (the regression rule), named by its gate. */
  subject?: string;
  /** The failing gate ids, most serious first. */
  gates: string[];
  markdown: string;
}

/** A kind's text: its words, the failing figures in brackets, then its cause when the section gave one. */
function kindText(kind: Kind, failing: readonly GateResult[]): string {
  const detail = detailOf(kind, failing);
  const cause = [...new Set(failing.map((gate) => gate.cause).filter((text): text is string => Boolean(text)))];
  const because = failing.some(unjudged)
    ? [...new Set(failing.map((gate) => gate.notJudged ?? ''))].filter(Boolean).map(untrusted).join('; ')
    : '';
  const causeText = cause.length ? ` — ${cause.join('; ')}` : '';
  return `${kind.words}${detail ? ` (${detail})` : ''}${causeText}${because ? `: ${because}` : ''}`;
}

/** The lines of every failing subject, the most serious first; then each failing gate without a subject. */
export function whyLines(gates: readonly GateResult[]): WhyLine[] {
  const failing = gates.filter((gate) => gate.status === 'fail');
  const bySubject = new Map<string, GateResult[]>();
  const wide: GateResult[] = [];
  for (const gate of failing) {
    if (!gate.subject) {
      wide.push(gate);
      continue;
    }
    const list = bySubject.get(gate.subject);
    if (list) list.push(gate);
    else bySubject.set(gate.subject, [gate]);
  }
  const lines: (WhyLine & { worst: number; kinds: number })[] = [];
  for (const [subject, mine] of bySubject) {
    // One kind per gate id (the unjudged apart): its instances are shown together.
    const kinds = new Map<string, { kind: Kind; id: string; failing: GateResult[] }>();
    for (const gate of mine) {
      const key = `${gate.id}\u0000${unjudged(gate)}`;
      const entry = kinds.get(key) ?? { kind: kindOf(gate), id: gate.id, failing: [] };
      entry.failing.push(gate);
      kinds.set(key, entry);
    }
    const ranked = [...kinds.values()].sort(
      (a, b) => a.kind.severity - b.kind.severity || (ORDER.get(a.id) ?? ORDER.size) - (ORDER.get(b.id) ?? ORDER.size),
    );
    const [first, ...rest] = ranked.map((entry) => kindText(entry.kind, entry.failing));
    const markdown = `- ${untrusted(subject)}: ${first}${rest.length ? `; also ${rest.join('; ')}` : ''}.`;
    lines.push({
      subject,
      gates: [...new Set(ranked.map((entry) => entry.id))],
      markdown,
      worst: ranked[0]?.kind.severity ?? SEVERITY.unjudged,
      kinds: ranked.length,
    });
  }
  // The subject with the most serious failure first; among equals, the one failing in more ways.
  const ordered: WhyLine[] = lines
    .map((line, index) => ({ line, index }))
    .sort((a, b) => a.line.worst - b.line.worst || b.line.kinds - a.line.kinds || a.index - b.index)
    .map(({ line: { subject, gates: ids, markdown } }) => ({
      ...(subject === undefined ? {} : { subject }),
      gates: ids,
      markdown,
    }));
  // A gate without a subject (the regression rule) is its own line, its instances together.
  for (const id of new Set(wide.map((gate) => gate.id))) {
    const mine = wide.filter((gate) => gate.id === id);
    const each = mine.map((gate) =>
      gate.instance ? `${instanceMarkdown(gate)}: ${reasonMarkdown(gate)}` : reasonMarkdown(gate),
    );
    ordered.push({ gates: [id], markdown: `- ${mine[0]?.title ?? id}: ${each.join('; ')}.` });
  }
  return ordered;
}

/** The why-block: nothing when nothing fails. */
export function whyBlock(gates: readonly GateResult[]): string {
  const lines = whyLines(gates);
  if (lines.length === 0) return '';
  return [
    `**Why it fails** — ${lines.length === 1 ? 'one line' : `one line per subject (${lines.length})`}, ` +
      `the most serious failure first; the gate table below has every figure:`,
    '',
    ...lines.map((line) => line.markdown),
  ].join('\n');
}
