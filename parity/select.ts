import { InputError } from '../core/errors.js';
import type { Profile } from '../core/profile.js';
import type { ParityCase } from './cases.js';

/**
 * The cases a run executes. `--cases` takes ids (`push.no-remote`), commands (`push`) or `*` globs
 * (`stash.pop*`), comma-separated; it overrides the profile. Without it, quick runs the cases marked
 * `quick` and full runs all of them.
 */
export function selectCases(all: readonly ParityCase[], profile: Profile, filter: string | undefined): ParityCase[] {
  if (filter === undefined || filter.trim() === '') return profile === 'full' ? [...all] : all.filter((c) => c.quick);
  const patterns = filter.split(',').map((part) => part.trim()).filter(Boolean);
  const selected = new Set<ParityCase>();
  for (const pattern of patterns) {
    const matches = all.filter((c) => matchesPattern(c.id, pattern));
    if (matches.length === 0) throw new InputError(`--cases: ${JSON.stringify(pattern)} matches no parity case; ids look like push.no-remote, commands like push`);
    for (const match of matches) selected.add(match);
  }
  return all.filter((c) => selected.has(c));
}

function matchesPattern(id: string, pattern: string): boolean {
  if (pattern.includes('*')) {
    const regex = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`);
    return regex.test(id);
  }
  return id === pattern || id.startsWith(`${pattern}.`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}
