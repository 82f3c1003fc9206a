/**
 * The report's pictures read back: the open p50 bar chart per bench size (durable) by the strict
 * Mermaid reader, the crash writer × gate matrix by the strict table reader, each checked against the
 * figures and gate results the analyzer computed from the same input.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rowsToCsv } from '../../core/csv.js';
import { makeRow, METRICS, type ResultRow } from '../../core/schema.js';
import { mermaidBlocks, parseXyChart } from '../../test/support/mermaid-xychart.js';
import { tableAfter } from '../../test/support/markdown-table.js';
import { analyze } from '../analyze.js';
import { formatSize } from '../format.js';
import type { BenchLineFigures } from '../sections/bench.js';
import { P50_AXIS, p50ChartTitle } from '../sections/bench-p50-chart.js';
import { MATRIX_CELL_TEXT, matrixHeading, type MatrixCell } from '../sections/crash-matrix.js';
import type { GateResult } from '../types.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../test/fixtures/analyze');

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-pictures-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function run(inputs: string[]) {
  const outcome = await analyze({ inputs, outDir: dir, githubStepSummary: null });
  return { outcome, report: fs.readFileSync(outcome.reportPath, 'utf8') };
}

/** Whether a position of the text lies inside a <details> fold. */
function folded(markdown: string, at: number): boolean {
  const before = markdown.slice(0, at);
  return (before.match(/<details>/g) ?? []).length > (before.match(/<\/details>/g) ?? []).length;
}

describe('bench: one open p50 chart per size, durable', () => {
  it.each([['pass.csv'], ['fail.csv']])(
    "%s: each bar is the writer's p50 in ms at that size, from the same figures as the table and --json",
    async (name) => {
      const { outcome, report } = await run([path.join(fixtures, name)]);
      const lines = (outcome.sections.bench?.line_figures as BenchLineFigures[]).filter(
        (line) => line.mode === 'durable' && line.p50_ms !== null,
      );
      const sizes = [...new Set(lines.map((line) => line.size_bytes))];
      expect(sizes.length).toBeGreaterThan(1);
      const blocks = mermaidBlocks(report);
      for (const size of sizes) {
        const title = p50ChartTitle(`${formatSize(size)} · durable`);
        const mine = blocks.filter((block) => parseXyChart(block).title === title);
        expect(mine, title).toHaveLength(1);
        const block = mine[0] as string;
        expect(folded(report, report.indexOf(block)), 'the p50 chart is not folded').toBe(false);
        const chart = parseXyChart(block);
        const expected = lines.filter((line) => line.size_bytes === size);
        expect(chart.yLabel).toBe(P50_AXIS);
        expect(chart.xTitle).toBe('writer');
        expect(chart.lines).toEqual([]);
        expect(chart.xLabels).toEqual(expected.map((line) => line.subject));
        // Four significant figures on the chart: each bar within rounding of its p50, on an axis from 0 that holds it.
        expect(chart.yRange[0]).toBe(0);
        chart.bars[0]?.forEach((bar, index) => {
          const p50 = expected[index]?.p50_ms as number;
          expect(Math.abs(bar - p50)).toBeLessThanOrEqual(Math.abs(p50) * 5e-4);
        });
      }
      // No chart for a mode other than durable.
      expect(
        blocks
          .map((block) => parseXyChart(block).title)
          .filter((title) => title.endsWith(': p50 per writer') && !title.includes('· durable')),
      ).toEqual([]);
    },
  );
});

const MIB8 = 8 * 1024 * 1024;

/** A writer × scenario's crash rows: trials and k/n rates. */
function trials(subject: string, scenario: string, rates: Record<string, [number, number]>): ResultRow[] {
  const base = { suite: 'crash' as const, scenario, subject, mode: 'durable', size_bytes: MIB8, engine: 'strace' };
  return [
    makeRow('r1', { ...base, metric: METRICS.trials, value: 6, unit: 'count' }),
    makeRow('r1', { ...base, metric: METRICS.notReached, value: 0, unit: 'count' }),
    ...Object.entries(rates).map(([metric, [k, n]]) =>
      makeRow('r1', { ...base, metric, value: k / n, unit: 'ratio', detail: `${k}/${n}` }),
    ),
  ];
}

function powerLoss(subject: string, atomicity: [number, number], durability: [number, number]): ResultRow[] {
  const base = {
    suite: 'crash' as const,
    scenario: 'power_loss',
    subject,
    mode: 'durable',
    size_bytes: MIB8,
    engine: 'posix',
  };
  return [
    makeRow('r1', {
      ...base,
      metric: METRICS.powerlossStates,
      value: atomicity[1],
      unit: 'count',
      detail: `all ${atomicity[1]} crash states`,
    }),
    makeRow('r1', {
      ...base,
      metric: METRICS.powerlossAtomicityViolationRate,
      value: atomicity[0] / atomicity[1],
      unit: 'ratio',
      detail: atomicity.join('/'),
    }),
    makeRow('r1', {
      ...base,
      metric: METRICS.powerlossDurabilityViolationRate,
      value: durability[0] / durability[1],
      unit: 'ratio',
      detail: durability.join('/'),
    }),
  ];
}

/** The worst status of a writer's instances of a gate, as the matrix should show it. */
function expectedCell(gates: readonly GateResult[], subject: string, id: string): MatrixCell {
  const statuses = new Set(
    gates.filter((gate) => gate.subject === subject && gate.id === id).map((gate) => gate.status),
  );
  for (const status of ['fail', 'known', 'not_judged', 'no_data', 'pass', 'disabled'] as const)
    if (statuses.has(status)) return status;
  return 'none';
}

describe('crash: the writer × gate matrix', () => {
  it(
    "shows each writer's verdict per crash and power-loss gate, the worst " +
      'of its instances, as the gate results say',
    async () => {
      const clean = {
        [METRICS.corruptionRate]: [0, 6],
        [METRICS.falseSuccessRate]: [0, 6],
        [METRICS.recoveryRate]: [6, 6],
      } as Record<string, [number, number]>;
      const rows = [
        ...trials('good', 'kill_at_step', clean),
        ...powerLoss('good', [0, 12], [0, 4]),
        // leaky: clean kills, but an injected error damages the target once and leaves a temp; loses a reported write on
        // power loss.
        ...trials('leaky', 'kill_at_step', clean),
        ...trials('leaky', 'inject_error', { [METRICS.corruptionRate]: [1, 6], [METRICS.orphanTempRate]: [1, 6] }),
        ...powerLoss('leaky', [0, 12], [3, 4]),
        // uring: the power-loss model could not follow its I/O.
        ...trials('uring', 'kill_at_step', clean),
        makeRow('r1', {
          suite: 'crash',
          scenario: 'power_loss',
          subject: 'uring',
          mode: 'durable',
          size_bytes: MIB8,
          metric: METRICS.notJudged,
          value: null,
          unit: '',
          detail: 'its I/O goes through io_uring',
        }),
        // The yardstick is never gated: no row of its own.
        ...trials('native-unsafe', 'kill_at_step', { [METRICS.corruptionRate]: [3, 6] }),
      ];
      const input = path.join(dir, 'crash.csv');
      fs.writeFileSync(input, rowsToCsv(rows));
      const { outcome, report } = await run([input]);
      const crash = outcome.gates.filter((gate) => gate.suite === 'crash');
      const matrix = tableAfter(report, '### Verdicts per writer');
      expect(matrix.headers[0]).toBe('writer');
      const columns = [...new Map(crash.filter((gate) => gate.subject).map((gate) => [gate.id, gate])).values()];
      expect(matrix.headers.slice(1)).toEqual(columns.map(matrixHeading));
      expect(matrix.headers).toEqual(expect.arrayContaining(['power loss: torn', 'power loss: not durable']));
      expect(matrix.rows.map((row) => row[0])).toEqual(['`good`', '`leaky`', '`uring`']);
      for (const row of matrix.rows) {
        const subject = (row[0] as string).slice(1, -1);
        columns.forEach((gate, index) =>
          expect(row[index + 1], `${subject} · ${gate.id}`).toBe(
            MATRIX_CELL_TEXT[expectedCell(crash, subject, gate.id)],
          ),
        );
      }
      const cell = (subject: string, heading: string) =>
        matrix.rows.find((row) => row[0] === `\`${subject}\``)?.[matrix.headers.indexOf(heading)];
      expect(cell('leaky', 'power loss: not durable')).toBe('❌');
      expect(cell('leaky', 'orphan temps')).toBe('❌');
      // One scenario's failure is the cell's verdict, whatever the other scenario did.
      expect(
        crash
          .filter((gate) => gate.subject === 'leaky' && gate.id === 'crash.corruption')
          .map((gate) => gate.status)
          .sort(),
      ).toEqual(['fail', 'pass']);
      expect(cell('leaky', 'corruption')).toBe('❌');
      expect(cell('good', 'corruption')).toBe('✅');
      expect(cell('good', 'power loss: not durable')).toBe('✅');
      expect(cell('uring', 'power loss: not durable')).toBe('🔘 not judged');
      expect(cell('good', 'orphan temps')).toBe('—');
      expect(folded(report, report.indexOf('### Verdicts per writer'))).toBe(false);
    },
  );
});
