import { execFileSync } from 'node:child_process';
import { InputError } from './errors.js';

/** First line of `<tool> --version`, or undefined when the tool is not on PATH. */
export function toolVersion(tool: string, args: readonly string[] = ['--version']): string | undefined {
  try {
    const out = execFileSync(tool, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 });
    return out.split('\n')[0]?.trim() || undefined;
  } catch {
    return undefined;
  }
}

const INSTALL_HINT: Record<string, string> = {
  git: 'install git (Debian/Ubuntu: apt-get install git) or pass --git PATH',
  strace: 'install strace (Debian/Ubuntu: apt-get install strace)',
  python3: 'install python3',
};

/** How to get a missing tool, e.g. "install strace (Debian/Ubuntu: apt-get install strace)". */
export function installHint(tool: string): string {
  return INSTALL_HINT[tool] ?? `install ${tool}`;
}

/** The tool's version; an InputError (exit 2) naming the tool and how to get it when it is missing. */
export function requireTool(tool: string, purpose: string): string {
  const version = toolVersion(tool);
  if (!version) throw new InputError(`${tool} not found on PATH (needed for ${purpose}); ${installHint(tool)}`);
  return version;
}

export function straceAvailable(): boolean {
  return toolVersion('strace', ['-V']) !== undefined;
}

/** Why injection/accounting scenarios are skipped, in one line, or undefined when strace works. */
export function straceUnavailableReason(): string | undefined {
  if (straceAvailable()) return undefined;
  return `strace not found on PATH: syscall accounting and injection are skipped; ${INSTALL_HINT.strace}`;
}
