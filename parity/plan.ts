import os from 'node:os';
import { InputError } from '../core/errors.js';
import type { Profile } from '../core/profile.js';
import { CASES, type ParityCase } from './cases.js';
import type { FixtureName } from './fixtures.js';
import type { PlanContext } from '../core/suite.js';
import type { ParityOptions } from './options.js';
import type { ParityPlan } from './types.js';
import { checkWrappers, resolveNativeGit } from './wrappers.js';

export type { ParityPlan } from './types.js';

/**
 * The run's parity, resolved and checked once (Suite.plan): its cases, native git and wrappers. A
 * readiness decision needs the whole matrix, whatever the profile; --cases still narrows it (and the
 * readiness line then says the coverage is partial).
 */
export function planParity(
  ctx: Pick<PlanContext, 'profile' | 'config'>,
  options: ParityOptions,
  searchPath = process.env.PATH ?? '',
): ParityPlan {
  const profile = options.readiness ? 'full' : ctx.profile;
  const cases = selectCases(CASES, profile, options.cases);
  const nativeGit = resolveNativeGit(ctx.config.git, searchPath);
  const wrappers = ctx.config.wrappers ?? {};
  checkWrappers(wrappers, searchPath);
  return { profile, cases, casesFilter: options.cases, nativeGit, wrappers };
}

/**
 * The cases a run executes. `--cases` takes ids (`push.no-remote`), commands (`push`) or `*` globs
 * (`stash.pop*`), comma-separated; it overrides the profile. Without it, quick runs the cases marked
 * `quick` and full runs all of them.
 */
export function selectCases(all: readonly ParityCase[], profile: Profile, filter: string | undefined): ParityCase[] {
  if (filter === undefined) return profile === 'full' ? [...all] : all.filter((c) => c.quick);
  const patterns = filter
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  // Given, it must select something: an empty list would run nothing and replace the parity rows.
  if (patterns.length === 0)
    throw new InputError(
      `--cases: ${JSON.stringify(filter)} names no case; give ids, commands ` +
        `or globs, comma-separated (e.g. push,stash.pop*)`,
    );
  const selected = new Set<ParityCase>();
  for (const pattern of patterns) {
    const matches = all.filter((c) => matchesPattern(c.id, pattern));
    if (matches.length === 0)
      throw new InputError(
        `--cases: ${JSON.stringify(pattern)} matches no parity case; ids look like push.no-remote, commands like push`,
      );
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

/**
 * The order cases run in: indices into `cases`, one list per fixture. Cases of one fixture share its
 * directory (every side runs at the same path), so a list runs one case after the other; different
 * lists run in parallel, the longest first.
 */
export function fixtureGroups(cases: readonly ParityCase[]): number[][] {
  const groups = new Map<FixtureName, number[]>();
  cases.forEach((c, index) => groups.set(c.fixture, [...(groups.get(c.fixture) ?? []), index]));
  return [...groups.values()].sort((a, b) => b.length - a.length);
}

/**
 * How many fixtures' case chains run at once. A case is a chain of short git processes and file
 * copies, mostly waiting on the kernel, so two chains per core keep the cores busy without piling up.
 */
export function caseChains(): number {
  return Math.min(4, os.availableParallelism() * 2);
}

/**
 * The run's planned work for the whole-run ETA, in rough seconds on a two-core runner: each case runs
 * native git and every wrapper (the built-in passthrough and the configured ones), about 0.4 s a side
 * (quick parity measured there), over caseChains() chains. Only proportions matter.
 */
export function parityWork(cases: number, configuredWrappers: number): number {
  const SIDE_S = 0.4;
  return (cases * (2 + configuredWrappers) * SIDE_S) / caseChains();
}
