import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProcess } from '../core/process.js';
import { commandText, floorFigures, floorOf, type FloorChoice } from './floor.js';
import { preToolUseInput, readHookAnswer } from './protocol.js';

let dir = '';
let searchPath = '';
/** An executable file with this content (a #! script, or bytes standing for a native program). */
function program(name: string, content: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content, { mode: 0o755 });
  return file;
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-hook-floor-'));
  fs.mkdirSync(path.join(dir, 'bin'));
  // Interpreters on a PATH of the test's own, found through env as a #! line names them.
  for (const name of ['node', 'python3', 'ruby'])
    fs.writeFileSync(path.join(dir, 'bin', name), '\x7fELF', { mode: 0o755 });
  searchPath = path.join(dir, 'bin');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const runtime = (choice: FloorChoice) => ('floor' in choice ? choice.floor.runtime : `none: ${choice.why}`);
const argv = (choice: FloorChoice) => ('floor' in choice ? choice.floor.argv : []);

describe('floorOf: the runtime of a hook, and its no-op', () => {
  it('an interpreter as argv[0]: node, python, a shell each get a no-op of that very program', () => {
    const node = path.join(dir, 'bin', 'node');
    expect(runtime(floorOf([node, 'hook.mjs'], searchPath))).toBe('node');
    expect(argv(floorOf([node, 'hook.mjs'], searchPath)).slice(0, 3)).toEqual([node, '--input-type=module', '-e']);
    expect(argv(floorOf([path.join(dir, 'bin', 'python3'), 'hook.py'], searchPath))[0]).toBe(
      path.join(dir, 'bin', 'python3'),
    );
    expect(runtime(floorOf([path.join(dir, 'bin', 'python3'), 'hook.py'], searchPath))).toBe('python');
    expect(runtime(floorOf(['/bin/sh', 'hook.sh'], searchPath))).toBe('shell');
  });

  it("keeps the interpreter's own flags before the script, and stops at a flag that takes a value", () => {
    const python = path.join(dir, 'bin', 'python3');
    expect(argv(floorOf([python, '-S', '-u', 'hook.py'], searchPath)).slice(0, 4)).toEqual([python, '-S', '-u', '-c']);
    expect(argv(floorOf([python, '-X', 'dev', 'hook.py'], searchPath)).slice(0, 2)).toEqual([python, '-c']);
    const node = path.join(dir, 'bin', 'node');
    expect(argv(floorOf([node, '--no-warnings', 'hook.mjs'], searchPath)).slice(0, 3)).toEqual([
      node,
      '--no-warnings',
      '--input-type=module',
    ]);
    expect(argv(floorOf([program('s.sh', '#!/bin/bash -e\necho\n')], searchPath)).slice(0, 3)).toEqual([
      '/bin/bash',
      '-e',
      '-c',
    ]);
  });

  it('a script run directly: the interpreter of its #! line, through env too (looked up on PATH)', () => {
    expect(argv(floorOf([program('a.mjs', '#!/usr/bin/env node\nconsole.log(1)\n')], searchPath))[0]).toBe(
      path.join(dir, 'bin', 'node'),
    );
    expect(runtime(floorOf([program('b.py', '#!/usr/bin/env -S python3 -u\n')], searchPath))).toBe('python');
    expect(runtime(floorOf([program('c.sh', '#!/bin/bash -e\necho\n')], searchPath))).toBe('shell');
    expect(runtime(floorOf(['/usr/bin/env', 'FOO=1', 'node', 'hook.mjs'], searchPath))).toBe('node');
  });

  it('another interpreter runs an empty program, with the options of its #! line', () => {
    expect(floorOf([program('d.rb', '#!/usr/bin/env ruby -w\n')], searchPath)).toEqual({
      floor: { runtime: 'ruby', argv: [path.join(dir, 'bin', 'ruby'), '-w', '/dev/null'] },
    });
    expect(floorOf([path.join(dir, 'bin', 'ruby'), 'hook.rb'], searchPath)).toEqual({
      floor: { runtime: 'ruby', argv: [path.join(dir, 'bin', 'ruby'), '/dev/null'] },
    });
  });

  it('a native program, or an interpreter env cannot find, has no floor, and says why', () => {
    expect(runtime(floorOf([program('rtk', '\x7fELF\x02\x01'), 'hook'], searchPath))).toMatch(
      /^none: its program, rtk, is not an interpreter writegate knows/,
    );
    expect(runtime(floorOf([program('e.lua', '#!/usr/bin/env luax\n')], searchPath))).toBe(
      'none: the #! line of e.lua names luax through env, and no executable luax is on PATH',
    );
  });
});

describe('floorFigures', () => {
  const floor: FloorChoice = { floor: { runtime: 'node', argv: ['/usr/bin/node', '-e', "a('b c')"] } };

  it('p50 and p95 of the no-op calls, and its command as one would type it', () => {
    const figures = floorFigures(
      floor,
      [10, 20, 30].map((durationMs) => ({ answer: { kind: 'unchanged' as const }, durationMs })),
    );
    expect(figures).toEqual({
      runtime: 'node',
      command: `/usr/bin/node -e 'a('\\''b c'\\'')'`,
      latency: { p50: 20, p95: 29, n: 3 },
    });
  });

  it('a no-op that did not pass the call through is no floor', () => {
    const figures = floorFigures(floor, [{ answer: { kind: 'invalid', why: 'exit 1' }, durationMs: 5 }]);
    expect(figures).toMatchObject({
      runtime: 'node',
      why: 'the no-op of node did not pass the call through (invalid: exit 1), so it is no floor',
    });
  });

  it('a word that needs quoting is single-quoted', () => {
    expect(commandText(['a', 'b=c', "it's"])).toBe(`a b=c 'it'\\''s'`);
  });
});

describe('the no-ops, run for real', () => {
  const call = `${JSON.stringify(preToolUseInput('git status', { sessionId: 's', transcriptPath: '/dev/null', cwd: '/', toolUseId: 't', description: 'd' }))}\n`;

  it.each([
    ['node', process.execPath],
    ['python', '/usr/bin/python3'],
    ['shell', '/bin/sh'],
    ['perl', '/usr/bin/perl'],
  ])('%s reads the call and passes it through', async (name, interpreter) => {
    const choice = floorOf([interpreter, 'hook'], searchPath);
    expect(runtime(choice)).toBe(name);
    const result = await runProcess(argv(choice), { input: call, timeoutMs: 10_000 });
    expect(readHookAnswer(result, 'git status', 10_000)).toEqual({ kind: 'unchanged' });
  });
});
