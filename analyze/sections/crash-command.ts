/**
 * Crash-safety parity of wrappers (crash --command-wrapper): per wrapped command, whether it leaves a
 * larger share of violating crash states than the native command under the model that judges the
 * rows' file system. Figures for crash.wrapper_crash_parity and a short block for RESULTS.md.
 */
import { decodeDetail, judgingModel, METRICS, type ResultRow } from '../../core/schema.js';
import { blocks, table, untrusted } from '../report/markdown.js';
import type { Figure } from '../types.js';

function parityRows(rows: readonly ResultRow[], fs: string): ResultRow[] {
  const gated = judgingModel(fs);
  return rows.filter((row) => row.metric === METRICS.wrapperCrashParity && row.engine === gated);
}

export function wrapperParityFigures(rows: readonly ResultRow[], fs = ''): Figure[] {
  return parityRows(rows, fs).map((row) => {
    const parity = decodeDetail(METRICS.wrapperCrashParity, row.detail);
    return {
      scenario: row.scenario,
      subject: row.subject,
      mode: row.mode,
      size_bytes: row.size_bytes,
      metric: row.metric,
      value: row.value,
      note: parity?.why ?? row.detail,
      // Undecided or one side unexplored: never a pass, never a fail.
      ...(parity?.notJudged !== undefined || row.value === null
        ? { notJudged: parity?.notJudged ?? 'no parity verdict' }
        : {}),
    };
  });
}

export function wrapperParityBlock(rows: readonly ResultRow[], fs = ''): string | undefined {
  const found = parityRows(rows, fs);
  if (found.length === 0) return undefined;
  const lines = found.map((row) => {
    const parity = decodeDetail(METRICS.wrapperCrashParity, row.detail);
    return [
      untrusted(parity?.native ?? row.subject),
      untrusted(parity?.wrapper ?? ''),
      row.value === 1 ? '**loses crash safety**' : row.value === null ? 'not judged' : 'holds',
      untrusted(parity?.why ?? row.detail),
    ];
  });
  return blocks(
    '### Crash-safety parity of wrappers',
    'The same command natively and through each wrapper, with the same setup and checker, under the ' +
      `${judgingModel(fs)} model: a wrapper fails when a larger share of its crash states is rejected ` +
      '(by the checker or a per-file check).',
    table(['command', 'wrapper', 'verdict', 'violating crash states'], lines, ['left', 'left', 'left', 'left']),
  );
}
