import { envFromRows, type EnvKey, type ResultRow } from '../../core/schema.js';
import { blocks, table, untrusted } from './markdown.js';

/** What the environment table shows, in reading order (the keys core/env.ts captures). */
const LABELS: readonly [EnvKey, string][] = [
  ['node', 'Node'],
  ['os', 'OS'],
  ['kernel', 'Kernel'],
  ['cpu_model', 'CPU'],
  ['cpu_count', 'CPUs'],
  ['memory_gib', 'Memory GiB'],
  ['fs_type', 'Filesystem'],
  ['fs_made', 'Fresh file systems (--fs)'],
  ['git', 'git'],
  ['strace', 'strace'],
  ['repo_commit', 'Repository commit'],
  ['subject_versions', 'Subject versions'],
  ['writegate_version', 'writegate'],
  ['commit', 'writegate commit'],
  ['time', 'Time'],
  ['profile', 'Profile'],
  ['ci', 'CI'],
  ['machine_class', 'Machine class'],
];

/**
 * One column per run (a merged input has several), one line per environment key. Run ids and values are
 * the input's (env rows), so inert; `notes` are Markdown already (Dataset.notes).
 */
export function environmentSection(rows: readonly ResultRow[], notes: readonly string[]): string {
  const env = envFromRows(rows);
  // One pass: which suites each run measured (not one pass over every row per run).
  const measured = new Map<string, Set<string>>();
  for (const row of rows) {
    let suites = measured.get(row.run_id);
    if (!suites) measured.set(row.run_id, (suites = new Set()));
    if (row.suite !== 'env') suites.add(row.suite);
  }
  const runs = [...measured.keys()].filter((run) => env.has(run));
  const suitesOf = (run: string) => [...(measured.get(run) ?? [])].join(', ') || '—';
  const body = runs.length
    ? table(
        ['', ...runs.map((run) => (runs.length === 1 ? 'value' : untrusted(run)))],
        [
          ...(runs.length > 1 ? [] : [['Run', untrusted(runs[0] as string)]]),
          ['Suites', ...runs.map(suitesOf)],
          ...LABELS.filter(([key]) => runs.some((run) => env.get(run)?.[key] !== undefined)).map(([key, label]) => [
            label,
            ...runs.map((run) => {
              const value = env.get(run)?.[key];
              return value === undefined ? '—' : untrusted(value);
            }),
          ]),
        ],
      )
    : 'The input has no environment rows (suite=env): the figures below cannot be tied to a machine.';
  return blocks('## Environment', body, notes.length ? notes.map((note) => `⚠ ${note}`).join('\n\n') : undefined);
}
