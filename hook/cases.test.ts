import { describe, expect, it } from 'vitest';
import { HOOK_CASES, type HookCase, type HookCaseTag } from './cases.js';
import { classifyCommand, COMMAND_CLASSES } from './classify/index.js';

const ALL_TAGS: readonly HookCaseTag[] = [
  'git',
  'git-global-option',
  'gh',
  'file-op',
  'redirect',
  'package-manager',
  'chain',
  'pipe',
  'subshell',
  'env-prefix',
  'quoted-message',
  'heredoc',
  'path-with-spaces',
  'unknown-tool',
  'shell-wrapper',
];
const count = (cls: string) => HOOK_CASES.filter((c) => c.class === cls).length;
const tagged = (tag: HookCaseTag) => HOOK_CASES.filter((c) => c.tags.includes(tag));

describe('the hook corpus (data)', () => {
  it('has at least 150 cases with unique, stable-looking ids, and at least 60 of each of read_only and mutating', () => {
    expect(HOOK_CASES.length).toBeGreaterThanOrEqual(150);
    const ids = HOOK_CASES.map((c) => c.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9-]+(\.[a-z0-9-]+){1,3}$/);
    expect(count('read_only')).toBeGreaterThanOrEqual(60);
    expect(count('mutating')).toBeGreaterThanOrEqual(60);
    expect(count('unknown')).toBeGreaterThanOrEqual(10);
  });

  it('holds read-only and mutating lines in about equal numbers', () => {
    const [fewer, more] = [count('read_only'), count('mutating')].sort((a, b) => a - b) as [number, number];
    expect(fewer / more).toBeGreaterThan(0.75);
  });

  it('has no duplicate command lines, and every case a known class and known, non-repeated tags', () => {
    const commands = HOOK_CASES.map((c) => c.command);
    expect(commands.filter((command, i) => commands.indexOf(command) !== i)).toEqual([]);
    for (const c of HOOK_CASES) {
      expect(COMMAND_CLASSES, c.id).toContain(c.class);
      expect(c.tags.length, c.id).toBeGreaterThan(0);
      expect(new Set(c.tags).size, c.id).toBe(c.tags.length);
      for (const tag of c.tags) expect(ALL_TAGS, c.id).toContain(tag);
    }
  });

  it('uses every tag, and has both a read-only and a mutating case for each tag where both exist in practice', () => {
    for (const tag of ALL_TAGS) expect(tagged(tag).length, tag).toBeGreaterThanOrEqual(3);
    const bothWays: HookCaseTag[] = [
      'git',
      'git-global-option',
      'gh',
      'file-op',
      'redirect',
      'package-manager',
      'chain',
      'pipe',
      'subshell',
      'env-prefix',
      'quoted-message',
      'heredoc',
      'path-with-spaces',
      'shell-wrapper',
    ];
    for (const tag of bothWays) {
      expect(
        tagged(tag).some((c) => c.class === 'read_only'),
        `${tag} read_only`,
      ).toBe(true);
      expect(
        tagged(tag).some((c) => c.class === 'mutating'),
        `${tag} mutating`,
      ).toBe(true);
    }
  });

  it('tags say what the line holds', () => {
    const holds: Partial<Record<HookCaseTag, (c: HookCase) => boolean>> = {
      heredoc: (c) => c.command.includes('<<'),
      pipe: (c) => /[^|]\|[^|]/.test(c.command),
      redirect: (c) => /[<>]/.test(c.command),
      'path-with-spaces': (c) => /"[^"]*\/[^"]* [^"]*"|'[^']* [^']*'|"[^"]* [^"]*\.[a-z]+"|\\ /.test(c.command),
      'env-prefix': (c) => /(^|[;&|]\s*)[A-Z_][A-Z0-9_]*=|(^|\s)env\s/.test(c.command),
      'git-global-option': (c) => /\bgit (-C|-c|-P|--no-pager|--git-dir|--work-tree|--version)/.test(c.command),
      gh: (c) => /(^|[\s;&|(])gh /.test(c.command),
      chain: (c) => /&&|\|\||;|\n|&\s/.test(c.command),
      subshell: (c) => /\$\(|`|\(|\{ /.test(c.command),
      'quoted-message': (c) => /["']/.test(c.command),
    };
    for (const [tag, check] of Object.entries(holds) as [HookCaseTag, (c: HookCase) => boolean][]) {
      for (const c of tagged(tag)) expect(check(c), `${c.id} is tagged ${tag}`).toBe(true);
    }
  });

  it('writes multi-line cases as an agent sends them: heredoc delimiters on their own line', () => {
    for (const c of tagged('heredoc')) {
      const delimiter = /<<-?\s*['"]?(\w+)/.exec(c.command)?.[1];
      expect(delimiter, c.id).toBeDefined();
      expect(
        c.command.split('\n').some((line) => line.trim() === delimiter),
        c.id,
      ).toBe(true);
    }
  });
});

describe('the classifier agrees with the corpus', () => {
  it.each(HOOK_CASES.map((c) => [c.id, c.command, c] as const))('%s: %s', (_id, _command, c) => {
    const result = classifyCommand(c.command);
    expect(result.class, result.reason).toBe(c.class);
    expect(result.reason.length).toBeGreaterThan(0);
  });
});
