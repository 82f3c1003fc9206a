import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { CASES, caseCommand, COMMANDS, expectedSignals, expectsSuccess } from './cases.js';
import { FIXTURES, resolveFixture, type FixtureName } from './fixtures.js';
import { selectCases } from './plan.js';

describe('the parity matrix (data)', () => {
  it('has at least 40 cases with unique `command.variant` ids whose command is the git subcommand run', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    const ids = CASES.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of CASES) {
      expect(c.id).toMatch(/^[a-z]+\.[a-z0-9-]+$/);
      expect(c.args[0]).toBe(caseCommand(c.id));
      expect(['read_only', 'mutating']).toContain(c.class);
      expect(FIXTURES[c.fixture as FixtureName]).toBeDefined();
    }
  });

  it('covers every command of the issue with at least one success and one failure variant', () => {
    for (const command of COMMANDS) {
      const own = CASES.filter((c) => caseCommand(c.id) === command);
      expect(
        own.some((c) => expectsSuccess(c)),
        `${command} success`,
      ).toBe(true);
      expect(
        own.some((c) => !expectsSuccess(c)),
        `${command} failure`,
      ).toBe(true);
    }
    const variants = (command: string) => CASES.filter((c) => caseCommand(c.id) === command).map((c) => c.args[1]);
    expect(variants('branch')).toEqual(expect.arrayContaining(['new-branch', '-d', '-D', '-m']));
    expect(variants('stash')).toEqual(expect.arrayContaining(['push', 'pop', 'apply', 'drop', 'list']));
    expect(variants('worktree')).toEqual(expect.arrayContaining(['add', 'remove']));
  });

  it('has the failure variants the issue names', () => {
    const required = [
      'commit.nothing-to-commit',
      'commit.only-untracked',
      'commit.empty-message',
      'push.no-remote',
      'pull.no-remote',
      'push.unknown-remote',
      'fetch.unknown-remote',
      'push.auth-failed',
      'fetch.auth-failed',
      'pull.auth-failed',
      'push.rejected-non-fast-forward',
      'pull.merge-conflict',
      'add.pathspec-no-match',
      'branch.delete-unknown',
      'branch.delete-unmerged',
      'stash.pop-empty',
      'stash.pop-conflict',
      'worktree.add-existing-path',
    ];
    for (const id of required)
      expect(
        CASES.find((c) => c.id === id),
        id,
      ).toBeDefined();
    for (const c of CASES.filter((c) => !expectsSuccess(c)))
      expect(expectedSignals(c).length, `${c.id} names the line git prints`).toBeGreaterThan(0);
  });

  it('the quick subset still covers every command with a success and a failure', () => {
    const quick = selectCases(CASES, 'quick', undefined);
    expect(quick.length).toBeLessThan(CASES.length);
    for (const command of COMMANDS) {
      const own = quick.filter((c) => caseCommand(c.id) === command);
      expect(
        own.some((c) => expectsSuccess(c)),
        `${command} success in quick`,
      ).toBe(true);
      expect(
        own.some((c) => !expectsSuccess(c)),
        `${command} failure in quick`,
      ).toBe(true);
    }
  });

  it('the quick subset keeps every failure variant the issue names at least once per family', () => {
    const quick = selectCases(CASES, 'quick', undefined).map((c) => c.id);
    for (const id of [
      'commit.nothing-to-commit',
      'commit.only-untracked',
      'commit.empty-message',
      'push.no-remote',
      'push.unknown-remote',
      'push.auth-failed',
      'push.rejected-non-fast-forward',
      'pull.merge-conflict',
      'add.pathspec-no-match',
      'branch.delete-unknown',
      'branch.delete-unmerged',
      'stash.pop-empty',
      'stash.pop-conflict',
      'worktree.add-existing-path',
    ]) {
      expect(quick, id).toContain(id);
    }
  });

  it('every fixture resolves (bases exist, no cycles) and is used by some case', () => {
    for (const name of Object.keys(FIXTURES) as FixtureName[]) {
      expect(resolveFixture(name).steps.length).toBeGreaterThan(0);
      const usedDirectly = CASES.some((c) => c.fixture === name);
      const usedAsBase = Object.values(FIXTURES).some((spec) => 'base' in spec && spec.base === name);
      expect(usedDirectly || usedAsBase, name).toBe(true);
    }
  });
});

describe('selectCases', () => {
  it('full runs all, quick runs the marked subset', () => {
    expect(selectCases(CASES, 'full', undefined)).toHaveLength(CASES.length);
    expect(selectCases(CASES, 'quick', undefined).every((c) => c.quick)).toBe(true);
  });

  it('takes ids, commands and globs, keeps matrix order, ignores the profile', () => {
    const picked = selectCases(CASES, 'quick', 'stash.pop*, push.no-remote,worktree');
    const ids = picked.map((c) => c.id);
    expect(ids).toContain('stash.pop-conflict');
    expect(ids).toContain('stash.pop');
    expect(ids).toContain('push.no-remote');
    expect(ids).toContain('worktree.list');
    expect(ids).not.toContain('stash.push');
    expect(ids).toEqual(CASES.map((c) => c.id).filter((id) => ids.includes(id)));
  });

  it('a pattern that matches nothing is an InputError naming it', () => {
    expect(() => selectCases(CASES, 'full', 'push,nope')).toThrow(InputError);
    expect(() => selectCases(CASES, 'full', 'push,nope')).toThrow(/"nope"/);
    // A command prefix matches whole segments only.
    expect(() => selectCases(CASES, 'full', 'pus')).toThrow(InputError);
  });
});
