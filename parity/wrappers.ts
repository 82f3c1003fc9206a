import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../core/errors.js';
import { resolveExecutable } from '../core/executable.js';
import { refuseUnknownPlaceholders, splitTemplate } from '../core/subjects/template.js';
import type { GitSandbox } from './git-env.js';

/** A wrapper under test: an argv prefix; each case's git arguments are appended. */
export interface Wrapper {
  name: string;
  /** As configured, for reports. */
  template: string;
  /** What is executed: the template split without a shell, its program resolved to a path. */
  argv: readonly string[];
  builtIn: boolean;
}

export const PASSTHROUGH = 'passthrough';

/**
 * The built-in control: a two-line sh script that execs its arguments, used as `passthrough git`. It
 * does no work of its own (one exec of /bin/sh), so it must score 100% on every metric; anything less
 * means the harness, not a wrapper, is at fault.
 */
const PASSTHROUGH_SCRIPT = '#!/bin/sh\n# writegate parity control: run the command unchanged.\nexec "$@"\n';

/**
 * Puts the native git and the built-in wrappers into the sandbox's bin directory (first on PATH), so a
 * wrapper that runs `git` gets the very git the native side runs, even when --git names another one.
 * Returns the path every native run uses: the link, whose name is `git` (git reads its own name, and a
 * binary called `git-foo` would try to be the `foo` subcommand).
 */
export function installSandboxBin(sandbox: GitSandbox, nativeGit: string): string {
  const gitLink = path.join(sandbox.binDir, 'git');
  fs.rmSync(gitLink, { force: true });
  fs.symlinkSync(nativeGit, gitLink);
  const passthrough = path.join(sandbox.binDir, PASSTHROUGH);
  fs.writeFileSync(passthrough, PASSTHROUGH_SCRIPT, { mode: 0o755 });
  return gitLink;
}

/** The built-in passthrough first, then every configured wrapper (config file and --wrapper, flags win). */
export function resolveWrappers(
  configured: Readonly<Record<string, string>> | undefined,
  sandbox: GitSandbox,
  searchPath: string,
): Wrapper[] {
  const wrappers: Wrapper[] = [
    {
      name: PASSTHROUGH,
      template: `${PASSTHROUGH} git`,
      argv: [path.join(sandbox.binDir, PASSTHROUGH), 'git'],
      builtIn: true,
    },
  ];
  for (const [name, template] of Object.entries(configured ?? {}))
    wrappers.push({ name, template, argv: wrapperArgv(name, template, searchPath), builtIn: false });
  return wrappers;
}

/** Checks every configured wrapper the way resolveWrappers will, before a sandbox exists. */
export function checkWrappers(configured: Readonly<Record<string, string>> | undefined, searchPath: string): void {
  for (const [name, template] of Object.entries(configured ?? {})) wrapperArgv(name, template, searchPath);
}

/** One wrapper's argv, its program resolved to a path; an InputError naming the wrapper on any defect. */
function wrapperArgv(name: string, template: string, searchPath: string): string[] {
  if (name === PASSTHROUGH || name === 'native')
    throw new InputError(
      `wrapper ${name}: the name is reserved for the built-in ` +
        `${name === 'native' ? 'native git' : 'passthrough wrapper'}; choose another`,
    );
  const argv = splitTemplate(template, `wrapper ${name}`);
  // A wrapper is an argv prefix: each case's git arguments are appended, nothing is filled in.
  refuseUnknownPlaceholders(argv, [], `wrapper ${name}`, 'a wrapper takes none (the git arguments are appended)');
  const [program = '', ...rest] = argv;
  const resolved = resolveExecutable(program, process.cwd(), searchPath);
  if (!resolved)
    throw new InputError(
      `wrapper ${name}: ${JSON.stringify(program)} ` +
        `is not an executable file${program.includes('/') ? '' : ' on PATH'} (template: ${template})`,
    );
  return [resolved, ...rest];
}

/** The native git: `--git PATH` / config `git`, else `git` on PATH; an InputError when it is not there. */
export function resolveNativeGit(configured: string | undefined, searchPath: string): string {
  const wanted = configured ?? 'git';
  const resolved = resolveExecutable(wanted, process.cwd(), searchPath);
  if (resolved) return resolved;
  if (configured)
    throw new InputError(
      `--git: ${JSON.stringify(configured)} is not an executable file${configured.includes('/') ? '' : ' on PATH'}`,
    );
  throw new InputError(
    'git not found on PATH (needed for parity); install git (Debian/Ubuntu: apt-get install git) or pass --git PATH',
  );
}
