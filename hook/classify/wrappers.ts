import { hasOption, optionValue, readArgs, type OptionSpec } from './options.js';
import { mutating, readOnly, unknown, type Rule, type RuleContext, type Verdict } from './types.js';

/** `WRAPPER … CMD ARGS`: classed by CMD; `whenAlone` when no command follows the wrapper's options. */
function wrapper(spec: OptionSpec, whenAlone: Verdict): Rule {
  return (args, ctx, name) => {
    const read = readArgs(args, { ...spec, stopAtPositional: true });
    return runs(name, read.rest, ctx, whenAlone);
  };
}

function runs(name: string, argv: readonly string[], ctx: RuleContext, whenAlone: Verdict): Verdict {
  if (argv.length === 0) return whenAlone;
  const inner = ctx.classifyArgv(argv);
  return { class: inner.class, reason: `${name} runs ${argv[0]}: ${inner.reason}` };
}

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

function classifyEnv(args: readonly string[], ctx: RuleContext): Verdict {
  const read = readArgs(args, {
    valued: ['-u', '--unset', '-C', '--chdir', '-S', '--split-string'],
    stopAtPositional: true,
  });
  const split = optionValue(read, '-S', '--split-string');
  if (split !== undefined) {
    const inner = ctx.classifyLine(split);
    return { class: inner.class, reason: `env -S runs ${split}: ${inner.reason}` };
  }
  const command = read.rest.findIndex((word) => !ASSIGNMENT.test(word));
  return runs(
    'env',
    command < 0 ? [] : read.rest.slice(command),
    ctx,
    readOnly('env without a command prints the environment'),
  );
}

/** `bash -c 'LINE'`, `sh -lc 'LINE'`: LINE is classified; a script file or an interactive shell is unknown. */
function classifyShell(args: readonly string[], ctx: RuleContext, name: string): Verdict {
  const read = readArgs(args, { valued: ['-o', '+o', '-O', '+O', '--rcfile', '--init-file'], stopAtPositional: true });
  if (hasOption(read, '-c')) {
    const line = read.rest[0];
    if (line === undefined) return unknown(`${name} -c without a command`);
    const inner = ctx.classifyLine(line);
    return {
      class: inner.class,
      reason: `${name} -c runs ${line.length > 60 ? `${line.slice(0, 57)}...` : line}: ${inner.reason}`,
    };
  }
  if (hasOption(read, '--version')) return readOnly(`${name} --version only prints its version`);
  if (read.rest.length === 0) return unknown(`${name} runs commands read from its input, which are not known here`);
  return unknown(`${name} runs the script ${read.rest[0]}, whose commands are not known here`);
}

function classifySudo(args: readonly string[], ctx: RuleContext): Verdict {
  const read = readArgs(args, {
    valued: [
      '-u',
      '--user',
      '-g',
      '--group',
      '-C',
      '--close-from',
      '-D',
      '--chdir',
      '-h',
      '--host',
      '-p',
      '--prompt',
      '-r',
      '--role',
      '-t',
      '--type',
      '-U',
      '--other-user',
      '-T',
      '--command-timeout',
    ],
    stopAtPositional: true,
  });
  if (hasOption(read, '-e', '--edit')) return mutating('sudo -e edits files');
  if (hasOption(read, '-l', '--list', '-v', '--validate', '-V', '--version', '-k', '-K'))
    return readOnly('sudo -l only lists or refreshes permissions');
  return runs('sudo', read.rest, ctx, unknown('sudo without a command opens a root shell'));
}

function classifyTime(args: readonly string[], ctx: RuleContext): Verdict {
  const read = readArgs(args, { valued: ['-o', '--output', '-f', '--format'], stopAtPositional: true });
  const output = optionValue(read, '-o', '--output');
  if (output !== undefined) return mutating(`time -o writes its timings into ${output}`);
  return runs('time', read.rest, ctx, readOnly('time without a command only prints timings'));
}

/** timeout DURATION CMD: the first positional is the duration, not the command. */
function classifyTimeout(args: readonly string[], ctx: RuleContext): Verdict {
  const read = readArgs(args, { valued: ['-s', '--signal', '-k', '--kill-after'], stopAtPositional: true });
  return runs('timeout', read.rest.slice(1), ctx, unknown('timeout without a command'));
}

/** `command -v NAME` looks NAME up; `command NAME ARGS` runs it, skipping functions and aliases. */
function classifyCommandBuiltin(args: readonly string[], ctx: RuleContext): Verdict {
  const read = readArgs(args, { stopAtPositional: true });
  if (hasOption(read, '-v', '-V')) return readOnly('command -v only looks a name up');
  return runs('command', read.rest, ctx, readOnly('command without a name does nothing'));
}

function classifyXargs(args: readonly string[], ctx: RuleContext): Verdict {
  const read = readArgs(args, {
    valued: [
      '-I',
      '-n',
      '--max-args',
      '-P',
      '--max-procs',
      '-L',
      '--max-lines',
      '-d',
      '--delimiter',
      '-s',
      '--max-chars',
      '-E',
      '--eof',
      '-a',
      '--arg-file',
      '--replace',
      '--process-slot-var',
    ],
    stopAtPositional: true,
  });
  return runs('xargs', read.rest, ctx, readOnly('xargs without a command runs echo'));
}

export const WRAPPER_RULES: Record<string, Rule> = {
  env: classifyEnv,
  command: classifyCommandBuiltin,
  builtin: wrapper({}, readOnly('builtin without a name does nothing')),
  exec: wrapper({ valued: ['-a'] }, readOnly('exec without a command only applies its redirections')),
  time: classifyTime,
  nice: wrapper({ valued: ['-n', '--adjustment'] }, readOnly('nice without a command prints the niceness')),
  nohup: wrapper({}, unknown('nohup without a command')),
  stdbuf: wrapper(
    { valued: ['-i', '-o', '-e', '--input', '--output', '--error'] },
    unknown('stdbuf without a command'),
  ),
  timeout: classifyTimeout,
  sudo: classifySudo,
  xargs: classifyXargs,
  bash: classifyShell,
  sh: classifyShell,
  zsh: classifyShell,
  dash: classifyShell,
  ksh: classifyShell,
  eval: (args, ctx) => {
    const line = args.join(' ');
    const inner = ctx.classifyLine(line);
    return { class: inner.class, reason: `eval runs ${line}: ${inner.reason}` };
  },
  trap: (args, ctx) => {
    const action = args[0];
    if (action === undefined || action === '-' || action === '' || action.startsWith('-'))
      return readOnly('trap without an action only lists or resets traps');
    const inner = ctx.classifyLine(action);
    return { class: inner.class, reason: `trap sets ${action} to run later: ${inner.reason}` };
  },
  source: (args) =>
    unknown(`source runs the script ${args[0] ?? '(none given)'} in this shell; its commands are not known here`),
  '.': (args) =>
    unknown(`. runs the script ${args[0] ?? '(none given)'} in this shell; its commands are not known here`),
};
