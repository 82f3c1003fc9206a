/**
 * The crash verdicts at a glance: one row per writer, one column per crash gate (the power-loss ones
 * among them), each cell the gate's verdict on that writer over every scenario and size it judged.
 */
import { table, untrusted } from '../report/markdown.js';
import type { GateResult, GateStatus } from '../types.js';

/** What a cell shows: the worst status of the writer's instances of the gate; `none` when the gate has none for it. */
export type MatrixCell = GateStatus | 'none';

export const MATRIX_CELL_TEXT: Record<MatrixCell, string> = {
  fail: '❌',
  known: '🟡 known',
  not_judged: '🔘 not judged',
  no_data: '⚪ no data',
  pass: '✅',
  disabled: '⏸',
  none: '—',
};

/** The worst first: one failing instance makes the cell a failure, whatever the others did. */
const WORST_FIRST: readonly GateStatus[] = ['fail', 'known', 'not_judged', 'no_data', 'pass', 'disabled'];

/** Column headings short enough for a phone; a gate not listed keeps its title. */
const SHORT: Readonly<Record<string, string>> = {
  'crash.corruption': 'corruption',
  'crash.false_success': 'false success',
  'crash.orphan_temp': 'orphan temps',
  'crash.recovery': 'recovery',
  'crash.conflict_detected': 'CAS conflict',
  'crash.lost_updates': 'lost updates',
  'crash.powerloss_atomicity': 'power loss: torn',
  'crash.powerloss_durability': 'power loss: not durable',
  'crash.powerloss_checker': 'power loss: your checker',
  'crash.model_sound': 'image: model sound',
  'crash.image_atomicity': 'image: torn',
  'crash.image_durability': 'image: not durable',
  'crash.fixed_temp_name': 'fixed temp name',
  'crash.writes_outside': 'outside its box',
  'crash.step_reached': 'steps reached',
};

export function matrixHeading(gate: Pick<GateResult, 'id' | 'title'>): string {
  return SHORT[gate.id] ?? gate.title;
}

/** Writers (in the order the gates first name them) × gates (in gate order), each cell the worst status. */
export function crashMatrix(gates: readonly GateResult[]): {
  writers: string[];
  columns: { id: string; heading: string }[];
  cells: MatrixCell[][];
} {
  const judged = gates.filter((gate) => gate.subject);
  const writers = [...new Set(judged.map((gate) => gate.subject as string))];
  const columns = [...new Map(judged.map((gate) => [gate.id, { id: gate.id, heading: matrixHeading(gate) }])).values()];
  const statuses = new Map<string, Set<GateStatus>>();
  for (const gate of judged) {
    const key = JSON.stringify([gate.subject, gate.id]);
    const set = statuses.get(key) ?? new Set<GateStatus>();
    set.add(gate.status);
    statuses.set(key, set);
  }
  const cells = writers.map((writer) =>
    columns.map((column): MatrixCell => {
      const seen = statuses.get(JSON.stringify([writer, column.id]));
      return seen ? (WORST_FIRST.find((status) => seen.has(status)) ?? 'none') : 'none';
    }),
  );
  return { writers, columns, cells };
}

/** The matrix as Markdown, with the legend; nothing when no crash gate judged a writer. */
export function crashMatrixBlock(gates: readonly GateResult[]): string | undefined {
  const { writers, columns, cells } = crashMatrix(gates);
  if (writers.length === 0) return undefined;
  const rows = writers.map((writer, index) => [
    untrusted(writer),
    ...(cells[index] ?? []).map((cell) => MATRIX_CELL_TEXT[cell]),
  ]);
  return [
    '### Verdicts per writer',
    table(['writer', ...columns.map((column) => column.heading)], rows),
    `${MATRIX_CELL_TEXT.pass} every scenario and size passed · ${MATRIX_CELL_TEXT.fail} at ` +
      `least one failed (the gate table has the figure) · ${MATRIX_CELL_TEXT.not_judged}: ` +
      `the suite could not judge it, for the reason the gate table gives · ${MATRIX_CELL_TEXT.no_data}: ` +
      `nothing to judge · ${MATRIX_CELL_TEXT.none} not gated for this writer.`,
  ].join('\n\n');
}
