import { describe, expect, it } from 'vitest';
import { isSized, parseCommands, parseWrappers, withWrappers, wrappedArgv } from './spec.js';

const CHECKER = { template: 'true {dir}', argv: ['true', '{dir}'] };

describe('command subjects', () => {
  it('takes name=TEMPLATE with a setup and a checker, or a built-in example by name', () => {
    const [mine, example] = parseCommands(['mine=git commit -q -m x', 'git-commit'], 'true {dir}', CHECKER);
    expect(mine).toMatchObject({ name: 'mine', argv: ['git', 'commit', '-q', '-m', 'x'], setup: ['true', '{dir}'] });
    expect(example).toMatchObject({ name: 'git-commit', builtIn: true });
    expect(example?.checker.argv.at(-1)).toBe('{dir}');
  });

  it('a setup that takes {size} makes size classes; one without does not', () => {
    const [sized] = parseCommands(['a=true'], 'true {dir} {size}', CHECKER);
    const [plain] = parseCommands(['a=true'], 'true {dir}', CHECKER);
    expect([isSized(sized!), isSized(plain!)]).toEqual([true, false]);
    expect(() => parseCommands(['a=true'], 'true {dir} {sizes}', CHECKER)).toThrow(
      /--command-setup: unknown placeholder \{sizes\}; known: \{dir\} \{size\}/,
    );
  });

  it('refuses bad input with one line naming what and where', () => {
    expect(() => parseCommands(['mine=git commit'], undefined, undefined)).toThrow(
      /--command mine: needs --crash-checker/,
    );
    expect(() => parseCommands(['nope'], undefined, CHECKER)).toThrow(
      /"nope" is neither name=TEMPLATE nor a built-in example/,
    );
    expect(() => parseCommands(['a=true {dir}'], undefined, CHECKER)).toThrow(
      /--command a: unknown placeholder \{dir\}/,
    );
    expect(() => parseCommands(['a=true'], 'true', CHECKER)).toThrow(
      /--command-setup: the command must name the work directory/,
    );
    expect(() => parseCommands(['a=no-such-program-here'], undefined, CHECKER)).toThrow(
      /no-such-program-here is not an executable file on PATH/,
    );
    expect(() => parseCommands(['a=true', 'a=false'], undefined, CHECKER)).toThrow(/a is given twice/);
    expect(() => parseCommands(['git-commit=true'], undefined, CHECKER)).toThrow(/name of a built-in example/);
    expect(() => parseCommands(['a=true | cat'], undefined, CHECKER)).toThrow(/shell syntax "\|" is not supported/);
    expect(() => parseCommands([], 'true {dir}', CHECKER)).toThrow(/--command-setup: there is no --command/);
  });

  it('a wrapper ends in the program it wraps and replaces it; it wraps only the commands of that program', () => {
    const [wrapper] = parseWrappers(['w=env git']);
    expect(wrappedArgv(wrapper!, ['git', 'commit', '-m', 'x'])).toEqual(['env', 'git', 'commit', '-m', 'x']);
    const commands = parseCommands(['git-commit', 'sqlite-full'], undefined, undefined);
    const all = withWrappers(commands, parseWrappers(['w=env /usr/bin/git']));
    expect(all.map((command) => [command.name, command.wraps?.native])).toEqual([
      ['git-commit', undefined],
      ['sqlite-full', undefined],
      ['git-commit@w', 'git-commit'],
    ]);
    expect(() =>
      withWrappers(parseCommands(['sqlite-full'], undefined, undefined), parseWrappers(['w=env git'])),
    ).toThrow(/^wrapper w: it wraps git, and no --command runs git/);
    expect(() => parseWrappers(['w'])).toThrow(/--command-wrapper: "w" is not name=TEMPLATE/);
    expect(() => parseWrappers(['w=mytool {dir} git'])).toThrow(/wrapper w: unknown placeholder \{dir\}/);
  });
});
