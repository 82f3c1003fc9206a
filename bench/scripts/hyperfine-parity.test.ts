import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { selfScriptArgv } from '../../core/self-script.js';

/** The script as a user runs it, with its own PATH; nothing is benchmarked in these cases. */
function script(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const [node, ...rest] = selfScriptArgv('bench/scripts/hyperfine-parity.ts', args);
  return spawnSync(node as string, rest, { encoding: 'utf8', env, timeout: 60_000 });
}

describe('hyperfine-parity script input', () => {
  it('without hyperfine on PATH: one line saying so, exit 2', () => {
    const result = script([], { ...process.env, PATH: '/nonexistent' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /^hyperfine-parity: hyperfine is not installed \(not found on PATH\); install it .*\n$/,
    );
    expect(result.stdout).toBe('');
  });

  it.each([
    [['--runs', '0'], /^hyperfine-parity: --runs: .*\n$/],
    [['--rounds', 'many'], /^hyperfine-parity: --rounds: .*\n$/],
    [['--sizes', '1KiB'], /^hyperfine-parity: .*'--sizes'.*\n$/],
  ])('bad arguments %j: one line, exit 2', (args, message) => {
    const result = script(args);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});
