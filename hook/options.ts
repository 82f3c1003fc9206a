/** hook's command-line options: how they appear (HOOK_OPTIONS) and what they mean once parsed. */
import type { z } from 'zod';
import { isAbsent, MAX_TIMEOUT_MS } from '../core/parse.js';
import type { SuiteOption } from '../core/suite.js';
import { optionParsers, suiteOptionsSchema } from '../core/suite-options.js';
import { DEFAULT_CALL_TIMEOUT_MS } from './protocol.js';

/** hook's own command-line options, as data (cli/main.ts registers them; `gate` uses the defaults). */
export const HOOK_OPTIONS: readonly SuiteOption[] = [
  {
    flags: '--audit <files...>',
    description: 'also audit recorded sessions: Claude Code transcripts and `writegate hook-shim` logs',
  },
  {
    flags: '--hook-timeout <ms>',
    description:
      `per call: a hook that has not answered by then is killed and its answer ` +
      `counts as invalid (default ${DEFAULT_CALL_TIMEOUT_MS})`,
  },
  {
    flags: '--every-case',
    description:
      'send every command line as often as the full profile does (quick sends ' +
      'each once and a spread of them twice, for determinism; readiness sets this)',
    defaultValue: false,
  },
];

/**
 * The hook suite's own options (the hooks and env sets come from the config): `--audit FILE...`,
 * transcripts and hook logs of recorded sessions; `--hook-timeout MS`, per call; `--every-case`, every
 * command line sent as often as the full profile sends it (readiness sets it).
 */
export const hookOptionsSchema = suiteOptionsSchema({
  audit: (value: unknown): string[] => (isAbsent(value) ? [] : (Array.isArray(value) ? value : [value]).map(String)),
  hookTimeout: optionParsers.count(1, MAX_TIMEOUT_MS),
  everyCase: optionParsers.switch(),
});
export type HookOptions = z.infer<typeof hookOptionsSchema>;
