/**
 * A run given `--fs ext4,xfs` runs bench and crash once per fresh file system, and every row says
 * which (`fs`; '' = the workspace's own). A suite whose rows span several file systems is prepared,
 * rendered and gated once per file system: the same section on that file system's rows only, so a
 * bench table's floor and reference are the ones measured on the same file system. One file system
 * (the common case: none named) is one part, as before.
 */
import { envFromRows, FRESH_FILE_SYSTEMS, type ResultRow } from '../core/schema.js';
import { detailText } from './phrase.js';
import { word } from './report/markdown.js';
import type { GateResult, GateSpec } from './types.js';

/** How an instance or a label names the file system: "on xfs", or "on the workspace's file system". */
export function onFileSystem(fs: string): string {
  return fs ? `on ${fs}` : "on the workspace's file system";
}

/** A suite's rows by `fs`, in the order the file systems first appear (the order --fs ran them). */
export function partitionByFs(rows: readonly ResultRow[]): Map<string, ResultRow[]> {
  const parts = new Map<string, ResultRow[]>();
  for (const row of rows) {
    const list = parts.get(row.fs);
    if (list) list.push(row);
    else parts.set(row.fs, [row]);
  }
  return parts;
}

/**
 * What a part's section heading adds, as Markdown: "on xfs"; for the workspace's own file system, its
 * type as the environment rows of the part's runs name it, when they do.
 */
export function headingSuffix(fs: string, rows: readonly ResultRow[], allRows: readonly ResultRow[]): string {
  if (fs) return `on ${word(fs, FRESH_FILE_SYSTEMS)}`;
  const env = envFromRows(allRows);
  const runs = new Set(rows.map((row) => row.run_id));
  const types = [
    ...new Set([...runs].map((run) => env.get(run)?.fs_type).filter((type): type is string => Boolean(type))),
  ];
  const typeList = types.length ? ` (${types.map((type) => word(type, FRESH_FILE_SYSTEMS)).join(', ')})` : '';
  return `${onFileSystem('')}${typeList}`;
}

/**
 * A section's Markdown with its `## ` heading suffixed ("## Bench — micro I/O — on xfs"); one is added when it has
 * none.
 */
export function retitle(markdown: string, title: string, suffix: string): string {
  if (!markdown.startsWith('## ')) return `## ${title} — ${suffix}\n\n${markdown}`;
  const end = markdown.indexOf('\n');
  return end < 0 ? `${markdown} — ${suffix}` : `${markdown.slice(0, end)} — ${suffix}${markdown.slice(end)}`;
}

/** A gate instance of one file system among several: marked, and named so ("reference · 1 KiB · on xfs"). */
export function onPartition(result: GateResult, fs: string): GateResult {
  const instance = [result.instance, onFileSystem(fs)].filter(Boolean).join(' · ');
  return { ...result, fs, instance, detail: detailText(instance, result.reason) };
}

/** A gate its spec leaves out on this file system (tmpfs: nothing survives a power loss to be durable). */
export function notGatedHere(gate: Pick<GateSpec, 'notGatedOn'>, fs: string): boolean {
  return fs !== '' && (gate.notGatedOn?.fs.includes(fs) ?? false);
}
