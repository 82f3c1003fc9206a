/** What a command subject is, shared by its parsing (spec.ts), the built-in examples and the runs. */

/** A checker of a directory: argv with `{dir}`, exit 0 consistent, 1 inconsistent. */
export interface DirectoryChecker {
  template: string;
  argv: readonly string[];
  /** From the config file's wrappers (parity's), not from --command-wrapper. */
  fromConfig?: boolean;
}

export interface CommandSubject {
  name: string;
  /** As configured, for reports. */
  template: string;
  /** Run in the work directory (its cwd), no placeholder. */
  argv: readonly string[];
  /** Prepares an empty work directory `{dir}`; absent: the command starts in an empty directory. */
  setup?: readonly string[];
  checker: DirectoryChecker;
  builtIn: boolean;
  /** A wrapped run: the wrapper's name and the native command it wraps. */
  wraps?: { wrapper: string; native: string };
}

/** A wrapper under crash-safety parity: an argv prefix, as parity's --wrapper (`mytool git`). */
export interface CommandWrapper {
  name: string;
  template: string;
  argv: readonly string[];
  /** From the config file's wrappers (parity's), not from --command-wrapper. */
  fromConfig?: boolean;
}
