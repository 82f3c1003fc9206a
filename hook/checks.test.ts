import { describe, expect, it } from 'vitest';
import type { HookCase } from './cases.js';
import { judgeCase, policyFigures } from './checks.js';
import type { HookAnswer } from './protocol.js';

const readOnly: HookCase = { id: 'git.log', command: 'git log -3', class: 'read_only', tags: ['git'] };
const mutating: HookCase = { id: 'git.push', command: 'git push', class: 'mutating', tags: ['git'] };
const rewritten = (command: string): HookAnswer => ({ kind: 'rewritten', command });
const unchanged: HookAnswer = { kind: 'unchanged' };

describe('judgeCase', () => {
  it('a prefix rewrite that keeps every word, twice the same', () => {
    const verdict = judgeCase(readOnly, [rewritten('mytool git log -3'), rewritten('mytool git log -3')]);
    expect(verdict).toMatchObject({
      rewritten: true,
      prefixed: true,
      argsPreserved: true,
      translated: false,
      deterministic: true,
      invalid: false,
      blocked: false,
      prefixes: ['mytool git'],
    });
  });

  it('a fault in any call counts: one rewrite that lost a word, one unchanged answer', () => {
    const verdict = judgeCase(readOnly, [unchanged, rewritten('mytool git log')]);
    expect(verdict).toMatchObject({
      rewritten: true,
      prefixed: true,
      argsPreserved: false,
      lost: ['-3'],
      deterministic: false,
    });
  });

  it('invalid and blocked answers; a translation is counted apart', () => {
    expect(
      judgeCase(mutating, [
        { kind: 'invalid', why: 'exit 1' },
        { kind: 'invalid', why: 'exit 1' },
      ]),
    ).toMatchObject({ invalid: true, deterministic: true, rewritten: false });
    expect(
      judgeCase(mutating, [
        { kind: 'blocked', reason: 'no' },
        { kind: 'blocked', reason: 'no' },
      ]),
    ).toMatchObject({ blocked: true, rewritten: false });
    expect(judgeCase(readOnly, [rewritten('tool history -n 3'), rewritten('tool history -n 3')])).toMatchObject({
      translated: true,
      prefixed: false,
      argsPreserved: true,
      prefixes: [],
    });
  });
});

describe('policyFigures', () => {
  it('rates over cases by class; args over prefix rewrites only; empty classes have no rate', () => {
    const figures = policyFigures(
      [
        judgeCase(readOnly, [rewritten('mytool git log -3'), rewritten('mytool git log -3')]),
        judgeCase({ ...readOnly, id: 'b', command: 'git log -5 x' }, [
          rewritten('mytool git log x'),
          rewritten('mytool git log x'),
        ]),
        judgeCase(mutating, [unchanged, unchanged]),
      ],
      6,
      [10, 20, 30, 40],
    );
    expect(figures.rewriteRate).toEqual({
      read_only: { count: 2, of: 2, rate: 1 },
      mutating: { count: 0, of: 1, rate: 0 },
      unknown: { count: 0, of: 0, rate: null },
    });
    expect(figures.argsPreserved).toEqual({ count: 1, of: 2, rate: 0.5 });
    expect(figures.deterministic).toEqual({ count: 3, of: 3, rate: 1 });
    expect(figures.calls).toBe(6);
    expect(figures.latency).toEqual({ p50: 25, p95: 38.5, n: 4 });
    expect([...figures.prefixes]).toEqual([['mytool git', 2]]);
  });
});
