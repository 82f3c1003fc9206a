import { formatSize } from '../format.js';
import { sourceText, thresholdText, type EffectiveGate } from '../gates/evaluate.js';
import { isRegressionGate } from '../trend/gates.js';
import type { GateResult, GateStatus } from '../types.js';
import { code, phraseMarkdown, table, untrusted } from './markdown.js';

export const STATUS_TEXT: Record<GateStatus, string> = {
  pass: '✅ pass',
  fail: '❌ **FAIL**',
  known: '🟡 known',
  no_data: '⚪ no data',
  not_judged: '🔘 not judged',
  disabled: '⏸ disabled',
};

/**
 * The instance as Markdown: built from the input's subjects, scenarios and modes (instanceLabel), so
 * inert; the regression rule's instances ("vs base", "vs history (6 runs)") are writegate's words.
 */
export function instanceMarkdown(gate: Pick<GateResult, 'id' | 'instance'>): string {
  return isRegressionGate(gate.id) ? gate.instance : untrusted(gate.instance);
}

/** A gate result's reason (after its instance) as Markdown: the input's pieces inert, writegate's words as text. */
export function reasonMarkdown(gate: Pick<GateResult, 'reason'>): string {
  return phraseMarkdown(gate.reason);
}

/** A gate result's whole detail (instance, then reason), as Markdown. */
export function detailMarkdown(gate: Pick<GateResult, 'id' | 'instance' | 'reason'>): string {
  return gate.instance ? `${instanceMarkdown(gate)}: ${reasonMarkdown(gate)}` : reasonMarkdown(gate);
}

/** A gate with more passing instances than this shows them as one "worst of N" line (phones). */
export const MAX_PASS_LINES_PER_GATE = 6;

/** Where a result's threshold comes from, as Markdown: the thresholds file's name is the user's. */
function sourceMarkdown(gate: GateResult, specs: ReadonlyMap<string, EffectiveGate>): string {
  const spec = specs.get(gate.id);
  return spec && sourceText(spec) === gate.source ? sourceText(spec, untrusted) : gate.source;
}

function row(gate: GateResult, specs: ReadonlyMap<string, EffectiveGate>): string[] {
  return [
    gate.instance ? `${gate.title} · ${instanceMarkdown(gate)}` : gate.title,
    gate.status === 'no_data' || gate.status === 'disabled' || gate.status === 'not_judged'
      ? `— (${reasonMarkdown(gate)})`
      : gate.status === 'known'
        ? `${gate.figureText} (${reasonMarkdown(gate)})`
        : gate.figureText,
    gate.threshold,
    STATUS_TEXT[gate.status],
    sourceMarkdown(gate, specs),
  ];
}

/** The passing instance nearest to (or furthest past) its threshold. */
function closest(passing: readonly GateResult[]): GateResult {
  const margin = (g: GateResult) => {
    const figure = g.figure ?? 0;
    if (g.comparison === '<' || g.comparison === '<=') return g.thresholdValue - figure;
    if (g.comparison === '>' || g.comparison === '>=') return figure - g.thresholdValue;
    return -Math.abs(figure - g.thresholdValue);
  };
  return passing.reduce((best, g) => (margin(g) < margin(best) ? g : best));
}

const HEADERS = ['Gate', 'Figure', 'Threshold', 'Result', 'Source'];

/**
 * The gate table, in gate order: every failing, known, no-data and disabled instance on its own line;
 * a gate's passing instances too, unless there are many, then as one line naming the closest call.
 */
export function gateTable(gates: readonly GateResult[], specs: readonly EffectiveGate[] = []): string {
  if (gates.length === 0) return 'No gate was evaluated.';
  const byId = new Map(specs.map((spec) => [spec.id, spec]));
  const line = (gate: GateResult) => row(gate, byId);
  const rows: string[][] = [];
  let collapsed = false;
  for (const id of [...new Set(gates.map((gate) => gate.id))]) {
    const mine = gates.filter((gate) => gate.id === id);
    const passing = mine.filter((gate) => gate.status === 'pass');
    if (passing.length <= MAX_PASS_LINES_PER_GATE) {
      rows.push(...mine.map(line));
      continue;
    }
    collapsed = true;
    const nearest = closest(passing);
    rows.push(...mine.filter((gate) => gate.status !== 'pass').map(line));
    rows.push([
      `${nearest.title} · ${passing.length} instances`,
      nearest.comparison === '=='
        ? `all ${nearest.figureText}`
        : `closest: ${nearest.figureText} (${instanceMarkdown(nearest)})`,
      nearest.threshold,
      `${STATUS_TEXT.pass} ${passing.length}/${passing.length}`,
      sourceMarkdown(nearest, byId),
    ]);
  }
  const main = table(HEADERS, rows);
  if (!collapsed) return main;
  const every = table(HEADERS, gates.map(line));
  return `${main}\n\n<details><summary>Every gate instance (${gates.length})</summary>\n\n${every}\n\n</details>`;
}

/** What each gate means and how far it reaches, so the table stays short. */
export function gateDefinitions(gates: readonly EffectiveGate[]): string {
  if (gates.length === 0) return '';
  return gates
    .map((gate) => {
      // The description states the default scope; a thresholds file that changes it is spelled out.
      const scopeChanged = gate.override?.changed.some(
        (field) => field === 'subjects' || field === 'excludeSubjects' || field === 'sizes',
      );
      // The thresholds file's name, its subjects and its reasons are the user's text: inert.
      const file = gate.override ? untrusted(gate.override.file) : 'thresholds file';
      const scope = scopeChanged
        ? ` **Scope set by ${file}:** ${[
            gate.selector.subjects ? `only ${gate.selector.subjects.map(untrusted).join(', ')}` : '',
            gate.selector.excludeSubjects?.length
              ? `not ${gate.selector.excludeSubjects.map(untrusted).join(', ')}`
              : 'no subject excluded',
            gate.selector.sizes ? `sizes ${gate.selector.sizes.map(formatSize).join(', ')}` : '',
          ]
            .filter(Boolean)
            .join('; ')}.`
        : '';
      const off = gate.disabled !== undefined ? ` **Disabled** by ${file}: ${untrusted(gate.disabled)}.` : '';
      const heading = `**${gate.title}** (${code(gate.id)}, ${thresholdText(gate)})`;
      return `- ${heading}: ${gate.description}${scope}${off} Source: ${sourceText(gate, untrusted)}.`;
    })
    .join('\n');
}

export function countStatuses(gates: readonly GateResult[]): Record<GateStatus, number> {
  const counts: Record<GateStatus, number> = { pass: 0, fail: 0, known: 0, no_data: 0, not_judged: 0, disabled: 0 };
  for (const gate of gates) counts[gate.status]++;
  return counts;
}
