/**
 * Command subjects: a whole command (`git commit`, a SQLite update) run in a work directory that a
 * setup command prepares fresh for each trial, judged by a checker of the directory. Parsed from
 * `--command`, `--command-setup`, `--crash-checker` and `--command-wrapper`, or one of the built-in
 * examples (examples.ts), before anything is measured.
 */
import { InputError } from '../../core/errors.js';
import { nameProblem } from '../../core/config.js';
import { resolveExecutable } from '../../core/executable.js';
import { placeholdersIn, refuseUnknownPlaceholders, splitTemplate } from '../../core/subjects/template.js';
import { BUILT_IN_COMMANDS, builtInCommand } from './examples.js';
import type { CommandSubject, CommandWrapper, DirectoryChecker } from './types.js';

export type { CommandSubject, CommandWrapper, DirectoryChecker } from './types.js';

/** `name=TEMPLATE` (a command of yours) or a built-in example's name. */
export function parseCommands(
  raws: readonly string[],
  setupTemplate: string | undefined,
  checker: DirectoryChecker | undefined,
): CommandSubject[] {
  const commands: CommandSubject[] = [];
  const setup = setupTemplate === undefined ? undefined : setupArgv(setupTemplate, '--command-setup');
  for (const raw of raws) {
    const equals = raw.indexOf('=');
    if (equals < 0) {
      const example = builtInCommand(raw.trim());
      if (!example)
        throw new InputError(
          `--command: ${JSON.stringify(raw)} is neither name=TEMPLATE nor a built-in example ` +
            `(${Object.keys(BUILT_IN_COMMANDS).join(', ')})`,
        );
      commands.push(example);
      continue;
    }
    const name = raw.slice(0, equals).trim();
    const template = raw.slice(equals + 1);
    const problem = nameProblem(name);
    if (problem) throw new InputError(`--command: ${JSON.stringify(name)}: ${problem}`);
    if (builtInCommand(name))
      throw new InputError(`--command: ${name} is the name of a built-in example; choose another`);
    const argv = splitTemplate(template, `--command ${name}`);
    refuseUnknownPlaceholders(
      argv,
      [],
      `--command ${name}`,
      'it runs inside its work directory: name files relatively',
    );
    requireProgram(argv[0] as string, `--command ${name}`);
    if (!checker)
      throw new InputError(
        `--command ${name}: needs --crash-checker: only your own check can tell whether a crash ` +
          `left its directory consistent (e.g. 'sh check.sh {dir}')`,
      );
    commands.push({ name, template, argv, ...(setup ? { setup } : {}), checker, builtIn: false });
  }
  const names = commands.map((command) => command.name);
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice) throw new InputError(`--command: ${twice} is given twice; each name once`);
  if (raws.length === 0 && setupTemplate !== undefined)
    throw new InputError('--command-setup: there is no --command to set up');
  return commands;
}

/**
 * `--command-setup`: a command that fills the empty work directory `{dir}`; with `{size}`, once per size
 * of the run (each a size class of its own rows).
 */
function setupArgv(template: string, where: string): string[] {
  const argv = splitTemplate(template, where);
  refuseUnknownPlaceholders(argv, ['dir', 'size'], where);
  if (!placeholdersIn(argv).has('dir'))
    throw new InputError(`${where}: the command must name the work directory to prepare as {dir}: ${template}`);
  requireProgram(argv[0] as string, where);
  return argv;
}

function requireProgram(program: string, where: string): void {
  if (resolveExecutable(program) === undefined)
    throw new InputError(`${where}: ${program} is not an executable file${program.includes('/') ? '' : ' on PATH'}`);
}

/** `name=TEMPLATE` wrappers (an argv prefix), as parity takes them. */
export function parseWrappers(
  raws: readonly string[],
  configured: Readonly<Record<string, string>> = {},
): CommandWrapper[] {
  const byName = new Map(Object.entries(configured));
  const flagged = new Set<string>();
  for (const raw of raws) {
    const equals = raw.indexOf('=');
    if (equals < 1) throw new InputError(`--command-wrapper: ${JSON.stringify(raw)} is not name=TEMPLATE`);
    const name = raw.slice(0, equals).trim();
    if (byName.has(name) && !Object.hasOwn(configured, name))
      throw new InputError(`--command-wrapper: ${name} is given twice; each name once`);
    byName.set(name, raw.slice(equals + 1));
    flagged.add(name);
  }
  return [...byName].map(([name, template]) => {
    const where = `wrapper ${name}`;
    const problem = nameProblem(name);
    if (problem) throw new InputError(`${where}: ${problem}`);
    const argv = splitTemplate(template, where);
    refuseUnknownPlaceholders(argv, [], where, 'a wrapper takes none (the command is appended)');
    requireProgram(argv[0] as string, where);
    return { name, template, argv, ...(flagged.has(name) ? {} : { fromConfig: true }) };
  });
}

/** Whether a command's setup takes the run's sizes (`{size}`): each is then a size class of its own. */
export function isSized(command: CommandSubject): boolean {
  return command.setup?.some((arg) => arg.includes('{size}')) ?? false;
}

/** A file's name without its directory: how a wrapper's last word and a command's program are matched. */
function programName(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}

/**
 * The command as the wrapper runs it. A wrapper is a prefix that ends in the program it wraps
 * (`mytool git`, as parity takes it): the command's own program is replaced by it.
 */
export function wrappedArgv(wrapper: CommandWrapper, command: readonly string[]): string[] {
  return [...wrapper.argv, ...command.slice(1)];
}

/** Whether the wrapper wraps this command's program (`mytool git` wraps `git commit`, not `python3 u.py`). */
export function wrapsCommand(wrapper: CommandWrapper, command: CommandSubject): boolean {
  return programName(wrapper.argv.at(-1) ?? '') === programName(command.argv[0] ?? '');
}

/**
 * Every command, then each one through each wrapper of its program (same setup, same checker). A
 * --command-wrapper that wraps none of the commands is bad input: it would be judged on nothing (the
 * config file's wrappers are parity's too, and wrap what they can).
 */
export function withWrappers(
  commands: readonly CommandSubject[],
  wrappers: readonly CommandWrapper[],
): CommandSubject[] {
  for (const wrapper of wrappers)
    if (!wrapper.fromConfig && !commands.some((command) => wrapsCommand(wrapper, command)))
      throw new InputError(
        `wrapper ${wrapper.name}: it wraps ${programName(wrapper.argv.at(-1) ?? '')}, and no --command runs ` +
          `${programName(wrapper.argv.at(-1) ?? '')} (a wrapper ends in the program it wraps, e.g. 'mytool git')`,
      );
  const wrapped = commands.flatMap((command) =>
    wrappers
      .filter((wrapper) => wrapsCommand(wrapper, command))
      .map(
        (wrapper): CommandSubject => ({
          ...command,
          name: `${command.name}@${wrapper.name}`,
          template: `${wrapper.template} … ${command.template}`,
          argv: wrappedArgv(wrapper, command.argv),
          wraps: { wrapper: wrapper.name, native: command.name },
        }),
      ),
  );
  return [...commands, ...wrapped];
}
