import { thresholdText } from './gates/evaluate.js';
import { SECTIONS } from './sections/index.js';

/**
 * The default gates (id, threshold, source) as `analyze --list-gates` prints them: JSON, or one tab-separated line
 * each.
 */
export function listGatesText(json: boolean): string {
  const gates = SECTIONS.flatMap((section) => section.gates);
  if (json) return `${JSON.stringify(gates, null, 2)}\n`;
  return gates.map((gate) => `${gate.id}\t${gate.title} ${thresholdText(gate)}\t(${gate.source})\n`).join('');
}
