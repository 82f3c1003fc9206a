import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { runProcess } from '../core/process.js';
import { Workspace } from '../core/workspace.js';
import { FAULTY_WRAPPERS } from '../test/fixtures/parity/context.js';
import { CASE_DATE, createSandbox, gitEnvironment, type GitSandbox } from './git-env.js';
import { installSandboxBin, PASSTHROUGH, resolveNativeGit, resolveWrappers } from './wrappers.js';

let workspace: Workspace;
let sandbox: GitSandbox;
let searchPath: string;
const nativeGit = resolveNativeGit(undefined, process.env.PATH ?? '');

beforeAll(() => {
  workspace = Workspace.create('writegate-parity-test-');
  sandbox = createSandbox(workspace.dir('parity'));
  installSandboxBin(sandbox, nativeGit);
  searchPath = gitEnvironment(sandbox, CASE_DATE).PATH ?? '';
});
afterAll(() => workspace.dispose());

describe('wrappers', () => {
  it('always has the built-in passthrough first, then the configured ones with their program resolved', () => {
    const wrappers = resolveWrappers(
      { bad: `${FAULTY_WRAPPERS.exitZero} git`, viaPath: 'git -c color.ui=never' },
      sandbox,
      searchPath,
    );
    expect(wrappers.map((w) => w.name)).toEqual([PASSTHROUGH, 'bad', 'viaPath']);
    expect(wrappers[1]?.argv).toEqual([FAULTY_WRAPPERS.exitZero, 'git']);
    // A bare name is looked up on the run's PATH, whose first entry is the sandbox's git.
    expect(wrappers[2]?.argv).toEqual([path.join(sandbox.binDir, 'git'), '-c', 'color.ui=never']);
  });

  it('the passthrough runs git unchanged, with no shell parsing of the arguments', async () => {
    const [passthrough] = resolveWrappers({}, sandbox, searchPath);
    const env = gitEnvironment(sandbox, CASE_DATE);
    const result = await runProcess([...(passthrough?.argv ?? []), 'rev-parse', '--sq-quote', 'a b', '$HOME', '*'], {
      env,
      isolatedEnv: true,
      cwd: sandbox.root,
    });
    expect(result.exitCode).toBe(0);
    expect(result.stdout.trim()).toBe(`'a b' '$HOME' '*'`);
    const direct = await runProcess([nativeGit, 'version'], { env, isolatedEnv: true });
    const wrapped = await runProcess([...(passthrough?.argv ?? []), 'version'], { env, isolatedEnv: true });
    expect(wrapped.stdout).toBe(direct.stdout);
  });

  it('a missing program, shell syntax or a reserved name is an InputError naming the wrapper', () => {
    expect(() => resolveWrappers({ ghost: 'no-such-wrapper-binary git' }, sandbox, searchPath)).toThrow(
      /wrapper ghost: "no-such-wrapper-binary" is not an executable file on PATH/,
    );
    expect(() => resolveWrappers({ rel: './missing/tool git' }, sandbox, searchPath)).toThrow(InputError);
    expect(() => resolveWrappers({ piped: 'git | cat' }, sandbox, searchPath)).toThrow(/shell syntax/);
    expect(() => resolveWrappers({ passthrough: 'git' }, sandbox, searchPath)).toThrow(/reserved/);
    expect(() => resolveWrappers({ native: 'git' }, sandbox, searchPath)).toThrow(/reserved/);
  });

  it('--git must name an executable; the sandbox git is that very binary', () => {
    expect(() => resolveNativeGit('/no/such/git', searchPath)).toThrow(
      /--git: "\/no\/such\/git" is not an executable file/,
    );
    expect(fs.realpathSync(path.join(sandbox.binDir, 'git'))).toBe(fs.realpathSync(nativeGit));
  });
});
