import { describe, expect, it } from 'vitest';
import { rewriteShape } from './rewrite-shape.js';

describe('rewriteShape', () => {
  it('a prefix in front of the program keeps every word', () => {
    expect(rewriteShape('git log -3 x', 'mytool git log -3 x')).toEqual({
      kind: 'prefixed',
      prefixes: ['mytool git'],
      lost: [],
    });
  });

  it('env assignments stay in front; the wrapper is what was put between them and the program', () => {
    expect(rewriteShape('A=1 git log', 'A=1 mytool git log')).toEqual({
      kind: 'prefixed',
      prefixes: ['mytool git'],
      lost: [],
    });
    expect(rewriteShape('A=1 git log', 'mytool git log')).toEqual({
      kind: 'prefixed',
      prefixes: ['mytool git'],
      lost: ['A=1'],
    });
    // A variable the hook sets itself is not part of the wrapper.
    expect(rewriteShape('git status', 'TRACE=ab12 mytool git status')).toEqual({
      kind: 'prefixed',
      prefixes: ['mytool git'],
      lost: [],
    });
  });

  it('a dropped or reordered argument is lost', () => {
    expect(rewriteShape('git log -3 --oneline', 'mytool git log --oneline')).toEqual({
      kind: 'prefixed',
      prefixes: ['mytool git'],
      lost: ['-3'],
    });
    expect(rewriteShape('git log -3 x', 'mytool git log x -3')).toEqual({
      kind: 'prefixed',
      prefixes: ['mytool git'],
      lost: ['x'],
    });
    // Without a prefix too: the program is still there, an argument is not.
    expect(rewriteShape('git log -3', 'git log')).toEqual({ kind: 'prefixed', prefixes: [], lost: ['-3'] });
  });

  it('added words are allowed; quoting style is free', () => {
    expect(rewriteShape('git log -3', 'mytool git --no-pager log -3 --color=never')).toEqual({
      kind: 'prefixed',
      prefixes: ['mytool git'],
      lost: [],
    });
    expect(rewriteShape(`git commit -m "a b"`, `mytool git commit -m 'a b'`)).toEqual({
      kind: 'prefixed',
      prefixes: ['mytool git'],
      lost: [],
    });
    expect(rewriteShape(`git commit -m "a b"`, `mytool git commit -m a b`)).toEqual({
      kind: 'prefixed',
      prefixes: ['mytool git'],
      lost: ['a b'],
    });
  });

  it('each part of a chain, a pipe or a subshell is judged on its own', () => {
    expect(rewriteShape('git status && git log -1', 'mytool git status && mytool git log -1')).toEqual({
      kind: 'prefixed',
      prefixes: ['mytool git'],
      lost: [],
    });
    expect(rewriteShape('git log | head -5', 'mytool git log | head -5')).toEqual({
      kind: 'prefixed',
      prefixes: ['mytool git'],
      lost: [],
    });
    expect(rewriteShape('echo $(git rev-parse HEAD)', 'echo $(mytool git rev-parse HEAD)')).toEqual({
      kind: 'prefixed',
      prefixes: ['mytool git'],
      lost: [],
    });
    expect(rewriteShape('git status; ls', 'rtk git status; other ls')).toEqual({
      kind: 'prefixed',
      prefixes: ['rtk git', 'other ls'],
      lost: [],
    });
  });

  it('a chained part that went missing is lost', () => {
    expect(rewriteShape('git status && rm -rf x', 'mytool git status')).toEqual({
      kind: 'prefixed',
      prefixes: ['mytool git'],
      lost: ['&&', 'rm', '-rf', 'x'],
    });
    expect(rewriteShape('git status && git log', 'mytool git status ; git log')).toEqual({
      kind: 'prefixed',
      prefixes: ['mytool git'],
      lost: ['&&'],
    });
  });

  it('a replaced program is a translation, not judged word by word', () => {
    expect(rewriteShape('head -5 f', 'tool read f --max-lines 5')).toEqual({ kind: 'translated' });
    expect(rewriteShape('git status', 'mytool st')).toEqual({ kind: 'translated' });
  });

  it('words unchanged is the same command', () => {
    expect(rewriteShape('git  status', 'git status')).toEqual({ kind: 'same' });
  });
});
