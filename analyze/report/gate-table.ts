import { formatSize } from '../format.js';
import { sourceText, thresholdText, type EffectiveGate } from '../gates/evaluate.js';
import type { GateResult, GateStatus } from '../types.js';
import { code, table } from './markdown.js';

export const STATUS_TEXT: Record<GateStatus, string> = {
  pass: '✅ pass',
  fail: '❌ **FAIL**',
  known: '🟡 known',
  no_data: '⚪ no data',
  not_judged: '🔘 not judged',
  disabled: '⏸ disabled',
};

/** A gate result's reason without its instance prefix (the instance is in the first column). */
function reason(gate: GateResult): string {
  const prefix = `${gate.instance}: `;
  return gate.instance && gate.detail.startsWith(prefix) ? gate.detail.slice(prefix.length) : gate.detail;
}

/** A gate with more passing instances than this shows them as one "worst of N" line (phones). */
export const MAX_PASS_LINES_PER_GATE = 6;

function row(gate: GateResult): string[] {
  return [
    gate.instance ? `${gate.title} · ${gate.instance}` : gate.title,
    gate.status === 'no_data' || gate.status === 'disabled' || gate.status === 'not_judged' ? `— (${reason(gate)})` : gate.status === 'known' ? `${gate.figureText} (${reason(gate)})` : gate.figureText,
    gate.threshold,
    STATUS_TEXT[gate.status],
    gate.source,
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
export function gateTable(gates: readonly GateResult[]): string {
  if (gates.length === 0) return 'No gate was evaluated.';
  const rows: string[][] = [];
  let collapsed = false;
  for (const id of [...new Set(gates.map((gate) => gate.id))]) {
    const mine = gates.filter((gate) => gate.id === id);
    const passing = mine.filter((gate) => gate.status === 'pass');
    if (passing.length <= MAX_PASS_LINES_PER_GATE) {
      rows.push(...mine.map(row));
      continue;
    }
    collapsed = true;
    const nearest = closest(passing);
    rows.push(...mine.filter((gate) => gate.status !== 'pass').map(row));
    rows.push([
      `${nearest.title} · ${passing.length} instances`,
      nearest.comparison === '==' ? `all ${nearest.figureText}` : `closest: ${nearest.figureText} (${nearest.instance})`,
      nearest.threshold,
      `${STATUS_TEXT.pass} ${passing.length}/${passing.length}`,
      nearest.source,
    ]);
  }
  const main = table(HEADERS, rows);
  if (!collapsed) return main;
  return `${main}\n\n<details><summary>Every gate instance (${gates.length})</summary>\n\n${table(HEADERS, gates.map(row))}\n\n</details>`;
}

/** What each gate means and how far it reaches, so the table stays short. */
export function gateDefinitions(gates: readonly EffectiveGate[]): string {
  if (gates.length === 0) return '';
  return gates
    .map((gate) => {
      // The description states the default scope; a thresholds file that changes it is spelled out.
      const scopeChanged = gate.override?.changed.some((field) => field === 'subjects' || field === 'excludeSubjects' || field === 'sizes');
      const scope = scopeChanged
        ? ` **Scope set by ${gate.override?.file}:** ${[
            gate.selector.subjects ? `only ${gate.selector.subjects.join(', ')}` : '',
            gate.selector.excludeSubjects?.length ? `not ${gate.selector.excludeSubjects.join(', ')}` : 'no subject excluded',
            gate.selector.sizes ? `sizes ${gate.selector.sizes.map(formatSize).join(', ')}` : '',
          ].filter(Boolean).join('; ')}.`
        : '';
      const off = gate.disabled !== undefined ? ` **Disabled** by ${gate.override?.file ?? 'thresholds file'}: ${gate.disabled}.` : '';
      return `- **${gate.title}** (${code(gate.id)}, ${thresholdText(gate)}): ${gate.description}${scope}${off} Source: ${sourceText(gate)}.`;
    })
    .join('\n');
}

export function countStatuses(gates: readonly GateResult[]): Record<GateStatus, number> {
  const counts: Record<GateStatus, number> = { pass: 0, fail: 0, known: 0, no_data: 0, not_judged: 0, disabled: 0 };
  for (const gate of gates) counts[gate.status]++;
  return counts;
}
