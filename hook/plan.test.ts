import { describe, expect, it } from 'vitest';
import type { HookCase } from './cases.js';
import { casesSentAgain, planCalls, planLatencyCalls, QUICK_PER_GROUP } from './plan.js';

const make = (id: string, cls: HookCase['class'], tags: HookCase['tags']): HookCase => ({
  id,
  command: id,
  class: cls,
  tags,
});

describe('casesSentAgain', () => {
  const corpus = [
    ...Array.from({ length: 6 }, (_, i) => make(`ro.git.${i}`, 'read_only', ['git'])),
    ...Array.from({ length: 6 }, (_, i) => make(`mu.git.${i}`, 'mutating', ['git'])),
    make('mu.git.heredoc', 'mutating', ['git', 'heredoc']),
    make('ro.pipe', 'read_only', ['pipe']),
  ];

  it('full, or every case asked for: the whole corpus', () => {
    expect(casesSentAgain(corpus, 'full')).toEqual(corpus);
    expect(casesSentAgain(corpus, 'quick', true)).toEqual(corpus);
  });

  it(`quick: up to ${QUICK_PER_GROUP} lines of each class × tag, and a line with a rarer tag always`, () => {
    expect(casesSentAgain(corpus, 'quick').map((c) => c.id)).toEqual([
      'ro.git.0',
      'ro.git.1',
      'mu.git.0',
      'mu.git.1',
      'mu.git.heredoc',
      'ro.pipe',
    ]);
  });
});

describe('planCalls', () => {
  it('every case once, then the ones sent again, a run after the other, per hook × env set', () => {
    const hook = { name: 'h', template: 'h', argv: ['/bin/h'] };
    const cases = [make('a', 'read_only', []), make('b', 'mutating', []), make('c', 'mutating', [])];
    const calls = planCalls(
      [hook],
      [
        { name: 'default', vars: {} },
        { name: 'optin', vars: { A: '1' } },
      ],
      cases,
      cases.slice(0, 2),
      'quick',
    );
    expect(calls.map((call) => `${call.envSet.name}:${call.run}:${call.hookCase.id}`)).toEqual([
      'default:0:a',
      'default:0:b',
      'default:0:c',
      'default:1:a',
      'default:1:b',
      'optin:0:a',
      'optin:0:b',
      'optin:0:c',
      'optin:1:a',
      'optin:1:b',
    ]);
  });
});

describe('planLatencyCalls', () => {
  const hook = { name: 'h', template: 'node h.mjs', argv: ['/usr/bin/node', '/h.mjs'] };
  const cases = [make('a', 'read_only', []), make('b', 'mutating', [])];
  const floor = { runtime: 'node', argv: ['/usr/bin/node', '-e', ''] };

  it('each hook call has a floor call beside it with the same input, the order alternating within pairs', () => {
    const calls = planLatencyCalls(hook, { name: 'default', vars: {} }, cases, 4, floor);
    expect(calls.map((call) => `${call.floor ? 'floor' : 'hook'}:${call.hookCase.id}`)).toEqual([
      'hook:a',
      'floor:a',
      'floor:b',
      'hook:b',
      'hook:a',
      'floor:a',
      'floor:b',
      'hook:b',
    ]);
    expect(calls.every((call) => call.run === -1)).toBe(true);
  });

  it('without a floor, the hook alone', () => {
    expect(
      planLatencyCalls(hook, { name: 'default', vars: {} }, cases, 3).map(
        (call) => `${call.floor ? 'floor' : 'hook'}:${call.hookCase.id}`,
      ),
    ).toEqual(['hook:a', 'hook:b', 'hook:a']);
  });
});
