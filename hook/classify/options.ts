/** One option as given: `--file=x`, `--file x` and `-fx` all read as `{ name: '--file' | '-f', value: 'x' }`. */
export interface GivenOption {
  name: string;
  value: string | undefined;
}

export interface ReadArgs {
  options: GivenOption[];
  positionals: string[];
  /** What follows the first positional when `stopAtPositional` is set (it is the first element), else empty. */
  rest: string[];
}

export interface OptionSpec {
  /** Options that take a value, long (`--file`) and short (`-f`). */
  valued?: readonly string[];
  /** Stop at the first positional: what follows belongs to a command being run (`sudo`, `xargs`). */
  stopAtPositional?: boolean;
}

/**
 * Reads argv the way getopt-style tools do: short flags cluster (`-fdx`), a short valued option takes
 * the rest of its cluster or the next argument, `--` ends the options. Options and positionals may mix.
 */
export function readArgs(args: readonly string[], spec: OptionSpec = {}): ReadArgs {
  const valued = new Set(spec.valued ?? []);
  const options: GivenOption[] = [];
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      const after = args.slice(i + 1);
      if (spec.stopAtPositional) return { options, positionals: after.slice(0, 1), rest: after };
      positionals.push(...after);
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg : arg.slice(0, eq);
      if (eq >= 0) options.push({ name, value: arg.slice(eq + 1) });
      else if (valued.has(name)) options.push({ name, value: args[++i] });
      else options.push({ name, value: undefined });
    } else if (arg.startsWith('-') && arg.length > 1) {
      for (let j = 1; j < arg.length; j++) {
        const name = `-${arg[j]}`;
        if (!valued.has(name)) {
          options.push({ name, value: undefined });
          continue;
        }
        const attached = arg.slice(j + 1);
        options.push({ name, value: attached !== '' ? attached : args[++i] });
        break;
      }
    } else if (spec.stopAtPositional) {
      return { options, positionals: [arg], rest: args.slice(i) };
    } else {
      positionals.push(arg);
    }
  }
  return { options, positionals, rest: [] };
}

export function hasOption(read: ReadArgs, ...names: string[]): boolean {
  return read.options.some((option) => names.includes(option.name));
}

/** The last value given to any of the names (tools let a later option win). */
export function optionValue(read: ReadArgs, ...names: string[]): string | undefined {
  return read.options.filter((option) => names.includes(option.name)).at(-1)?.value;
}

export function optionValues(read: ReadArgs, ...names: string[]): string[] {
  return read.options
    .filter((option) => names.includes(option.name) && option.value !== undefined)
    .map((option) => option.value!);
}

/** Files that swallow or pass output on: writing to them changes nothing on disk. */
const HARMLESS_TARGETS = /^\/dev\/(null|stdout|stderr|tty|fd\/\d+)$/;

export function isHarmlessTarget(path: string): boolean {
  return HARMLESS_TARGETS.test(path);
}
