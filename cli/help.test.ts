import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram, SUITES } from './main.js';
import { RUN_OPTION_FLAGS, RUN_OPTION_GROUPS, type RunCommandName, type RunOptionGroup } from './run-options.js';

/** The long flags a command's --help lists, e.g. ['--out', '--profile', …]. */
function listedFlags(command: Command): string[] {
  return command.options.map((option) => option.long).filter((flag): flag is string => flag !== undefined);
}

function commandNamed(name: string): Command {
  const command = buildProgram().commands.find((candidate) => candidate.name() === name);
  if (!command) throw new Error(`no command ${name}`);
  return command;
}

const ALL_GROUPS = Object.keys(RUN_OPTION_FLAGS) as RunOptionGroup[];
const COMMON = ['--out', '--profile', '--json', '--config'];

describe("each command's --help lists only the run options it uses", () => {
  it.each(Object.keys(RUN_OPTION_GROUPS) as RunCommandName[])('%s', (name) => {
    const command = commandNamed(name);
    const help = command.helpInformation();
    const own: readonly RunOptionGroup[] = RUN_OPTION_GROUPS[name];
    const flags = listedFlags(command);
    for (const flag of [...COMMON, ...own.flatMap((group) => RUN_OPTION_FLAGS[group])])
      expect(flags, `${name} lacks ${flag}`).toContain(flag);
    for (const group of ALL_GROUPS.filter((candidate) => !own.includes(candidate))) {
      for (const flag of RUN_OPTION_FLAGS[group]) {
        expect(flags, `${name} lists ${flag}`).not.toContain(flag);
        // The help text itself, not only the option list: a flag followed by a space or "<".
        expect(help).not.toMatch(new RegExp(`${flag}[ <]`));
      }
    }
  });

  // Spelled out rather than read from RUN_OPTION_GROUPS, so a change to that table cannot pass unnoticed.
  const WRITER_FLAGS = ['--subjects', '--writer-cmd', '--writer-noop', '--batch-cmd', '--driver', '--sizes'];
  const PARITY_FLAGS = ['--wrapper', '--git'];
  const HOOK_FLAGS = ['--hook', '--hook-env'];
  it.each([
    ['bench', WRITER_FLAGS, [...PARITY_FLAGS, ...HOOK_FLAGS]],
    ['crash', WRITER_FLAGS, [...PARITY_FLAGS, ...HOOK_FLAGS]],
    ['parity', PARITY_FLAGS, [...WRITER_FLAGS, ...HOOK_FLAGS, '--seed', '--skip-unavailable']],
    ['hook', HOOK_FLAGS, [...WRITER_FLAGS, ...PARITY_FLAGS, '--seed', '--skip-unavailable']],
    ['readiness', [...HOOK_FLAGS, ...PARITY_FLAGS], WRITER_FLAGS],
    ['gate', [...WRITER_FLAGS, ...PARITY_FLAGS, ...HOOK_FLAGS], []],
  ])('%s: has its suite flags and none of the others', (name, has, lacks) => {
    const flags = listedFlags(commandNamed(name));
    expect(flags).toEqual(expect.arrayContaining(has));
    expect(flags.filter((flag) => lacks.includes(flag))).toEqual([]);
  });

  it.each(SUITES.map((suite) => suite.name))("%s lists no other suite's own options", (name) => {
    const flags = listedFlags(commandNamed(name));
    const own = new Set(
      SUITES.find((suite) => suite.name === name)?.options.map((option) => option.flags.split(/[ ,]/)[0]),
    );
    for (const other of SUITES.filter((suite) => suite.name !== name)) {
      for (const option of other.options) {
        const flag = option.flags.split(/[ ,]/)[0] as string;
        if (!own.has(flag)) expect(flags, `${name} lists ${other.name}'s ${flag}`).not.toContain(flag);
      }
    }
  });
});
