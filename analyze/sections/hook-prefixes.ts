import path from 'node:path';
import { parse } from 'shell-quote';
import { METRICS, type ResultRow } from '../../core/schema.js';

/** One wrapper prefix a hook rewrote to, in one env set, and the parity wrappers that stand for it. */
export interface RewritePrefix {
  hook: string;
  env_set: string;
  /** As the hook wrote it, e.g. `mytool git`. */
  prefix: string;
  cases: number;
  /** parity wrappers in the same input whose template is this prefix. */
  parity_wrappers: string[];
}

function words(text: string): string[] | undefined {
  try {
    const parsed = parse(text);
    return parsed.every((token) => typeof token === 'string') ? (parsed as string[]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A parity wrapper stands for a prefix when they are the same words, the program compared by its
 * file name: the hook may write `mytool git` where parity was given `/usr/local/bin/mytool git`.
 */
export function samePrefix(prefix: string, template: string): boolean {
  const a = words(prefix);
  const b = words(template);
  if (!a || !b || a.length !== b.length || a.length === 0) return false;
  return (
    path.basename(a[0] as string) === path.basename(b[0] as string) && a.slice(1).every((word, i) => word === b[i + 1])
  );
}

/** The parity wrappers in the input (parity's `wrapper_template` rows): name → template. */
export function parityWrapperTemplates(rows: readonly ResultRow[]): Map<string, string> {
  const templates = new Map<string, string>();
  for (const row of rows)
    if (row.suite === 'parity' && row.metric === METRICS.wrapperTemplate) templates.set(row.subject, row.detail);
  return templates;
}

/** The hook's `rewrite_prefix` rows, each joined to the parity wrappers that stand for it. */
export function rewritePrefixes(
  hookRows: readonly ResultRow[],
  templates: ReadonlyMap<string, string>,
): RewritePrefix[] {
  const byKey = new Map<string, RewritePrefix>();
  for (const row of hookRows) {
    if (row.metric !== METRICS.rewritePrefix || !row.detail) continue;
    const key = JSON.stringify([row.subject, row.mode, row.detail]);
    const seen = byKey.get(key);
    if (seen) {
      seen.cases = Math.max(seen.cases, row.value ?? 0);
      continue;
    }
    const parityWrappers = [...templates]
      .filter(([, template]) => samePrefix(row.detail, template))
      .map(([name]) => name);
    byKey.set(key, {
      hook: row.subject,
      env_set: row.mode,
      prefix: row.detail,
      cases: row.value ?? 0,
      parity_wrappers: parityWrappers,
    });
  }
  return [...byKey.values()];
}

/** A name a user could give the prefix on the command line: its program's file name. */
export function suggestedWrapperName(prefix: string): string {
  const program = words(prefix)?.[0] ?? 'wrapper';
  return path.basename(program).replace(/[^A-Za-z0-9._-]/g, '') || 'wrapper';
}
