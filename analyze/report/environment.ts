import { envFromRows, type EnvKey, type ResultRow } from '../../core/schema.js';
import { blocks, table } from './markdown.js';

/** What the environment table shows, in reading order (the keys core/env.ts captures). */
const LABELS: readonly [EnvKey, string][] = [
  ['node', 'Node'],
  ['os', 'OS'],
  ['kernel', 'Kernel'],
  ['cpu_model', 'CPU'],
  ['cpu_count', 'CPUs'],
  ['memory_gib', 'Memory GiB'],
  ['fs_type', 'Filesystem'],
  ['git', 'git'],
  ['strace', 'strace'],
  ['commit', 'Commit'],
  ['writegate_version', 'writegate'],
  ['time', 'Time'],
  ['profile', 'Profile'],
  ['ci', 'CI'],
  ['machine_class', 'Machine class'],
];

/** One column per run (a merged input has several), one line per environment key. */
export function environmentSection(rows: readonly ResultRow[], notes: readonly string[]): string {
  const env = envFromRows(rows);
  const runs = [...new Set(rows.map((row) => row.run_id))].filter((run) => env.has(run));
  const suitesOf = (run: string) => [...new Set(rows.filter((row) => row.run_id === run && row.suite !== 'env').map((row) => row.suite))].join(', ') || '—';
  const body = runs.length
    ? table(
        ['', ...runs.map((run) => (runs.length === 1 ? 'value' : run))],
        [
          ...(runs.length > 1 ? [] : [['Run', runs[0] as string]]),
          ['Suites', ...runs.map(suitesOf)],
          ...LABELS.filter(([key]) => runs.some((run) => env.get(run)?.[key] !== undefined)).map(([key, label]) => [label, ...runs.map((run) => env.get(run)?.[key] ?? '—')]),
        ],
      )
    : 'The input has no environment rows (suite=env): the figures below cannot be tied to a machine.';
  return blocks('## Environment', body, notes.length ? notes.map((note) => `⚠ ${note}`).join('\n\n') : undefined);
}
