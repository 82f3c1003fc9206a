/**
 * `writegate hook` and `writegate readiness` from the command line: bad input refused before anything
 * runs (exit 2, one line, nothing written), the config file's hooks and env sets, gate leaving hook
 * out when no hook is configured, and one real run analyzed end to end.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gateSuites, main } from '../cli/main.js';
import { resolveRun } from '../cli/run-options.js';
import { readResultsCsv } from '../core/csv.js';
import { METRICS } from '../core/schema.js';
import { FIXTURE_HOOKS, nodeHook } from '../test/fixtures/hooks/hook-context.js';
import { useCliHarness } from '../test/support/cli-harness.js';
import { expectRefused as refused } from '../test/support/refused.js';

const cli = useCliHarness({ prefix: 'wg-hook-cli-', chdir: true });
const REF = `ref=${nodeHook(FIXTURE_HOOKS.reference)}`;

const expectRefused = (args: string[], mentions: RegExp) => refused(cli, args, mentions);

describe('bad input is refused before anything runs', () => {
  it('a hook program that is missing or not executable', async () => {
    await expectRefused(
      ['hook', '--hook', 'x=/nonexistent/hook --flag', '--out', 'out'],
      /hook x: "\/nonexistent\/hook" is not an executable file \(template: \/nonexistent\/hook --flag\)/,
    );
    cli.clear();
    fs.writeFileSync('plain-hook.sh', '#!/bin/sh\n');
    await expectRefused(
      ['hook', '--hook', 'x=./plain-hook.sh', '--out', 'out'],
      /hook x: "\.\/plain-hook\.sh" is not an executable file/,
    );
    cli.clear();
    await expectRefused(
      ['hook', '--hook', 'x=node {file}', '--out', 'out'],
      /hook x: unknown placeholder \{file\}; a hook takes none/,
    );
  });

  it('an audit file that is a directory or missing', async () => {
    fs.mkdirSync('sessions');
    await expectRefused(
      ['hook', '--audit', 'sessions', '--out', 'out'],
      /--audit: .*\/sessions: a directory, not a regular file/,
    );
    cli.clear();
    await expectRefused(
      ['hook', '--hook', REF, '--audit', 'missing.jsonl', '--out', 'out'],
      /--audit: .*\/missing\.jsonl: cannot read \(ENOENT\)/,
    );
  });

  it('a malformed --hook-env', async () => {
    await expectRefused(
      ['hook', '--hook', REF, '--hook-env', 'REWRITE_MUTATING=1', '--out', 'out'],
      /--hook-env: expected SET:VAR=VALUE, got "REWRITE_MUTATING=1"/,
    );
    cli.clear();
    await expectRefused(
      ['hook', '--hook', REF, '--hook-env', 'optin:REWRITE_MUTATING', '--out', 'out'],
      /--hook-env: expected SET:VAR=VALUE/,
    );
    cli.clear();
    await expectRefused(
      ['hook', '--hook', REF, '--hook-env', 'default:A=1', '--out', 'out'],
      /command line: key "hookEnvs\.default": the env set "default" is the one with no opt-in variable/,
    );
    cli.clear();
    await expectRefused(
      ['hook', '--hook', REF, '--hook-env', 'optin:1A=1', '--out', 'out'],
      /key "hookEnvs\.optin\.1A": variable names use letters, digits and _/,
    );
  });

  it('a hook that never answers: one probe call, killed at the per-call timeout, and nothing measured', async () => {
    await expectRefused(
      ['hook', '--hook', `hangs=${nodeHook(FIXTURE_HOOKS.hangs)}`, '--hook-timeout', '1500', '--out', 'out'],
      /hook hangs: no answer to a PreToolUse call for `git status` within 1\.5 s/,
    );
    // The message is the probe's: a run that got as far as the corpus would record invalid answers instead.
  });

  it('nothing to run, a zero timeout, readiness without a hook', async () => {
    await expectRefused(['hook', '--out', 'out'], /hook: nothing to run; give --hook NAME=COMMAND/);
    cli.clear();
    await expectRefused(
      ['hook', '--hook', REF, '--hook-timeout', '0', '--out', 'out'],
      /--hook-timeout: expected a whole number >= 1, got "0"/,
    );
    cli.clear();
    await expectRefused(
      ['readiness', '--wrapper', 'mytool=git', '--out', 'out'],
      /readiness: no hook to judge; give --hook NAME=COMMAND/,
    );
  });
});

describe('configuration', () => {
  it('the config file names hooks and env sets; --hook-env adds to a set, flags win', () => {
    fs.writeFileSync(
      'writegate.config.json',
      JSON.stringify({ hooks: { mine: 'node my-hook.mjs' }, hookEnvs: { optin: { A: '1', B: '2' } } }),
    );
    const run = resolveRun({
      out: 'out',
      profile: 'quick',
      json: false,
      hook: ['other=node other.mjs'],
      hookEnv: ['optin:B=3', 'optin:C=4', 'more:D=='],
    });
    expect(run.config.hooks).toEqual({ mine: 'node my-hook.mjs', other: 'node other.mjs' });
    expect(run.config.hookEnvs).toEqual({ optin: { A: '1', B: '3', C: '4' }, more: { D: '=' } });
  });

  it('gate runs hook only when a hook is configured', () => {
    const names = (hooks?: Record<string, string>) =>
      gateSuites({ ...resolveRun({ out: 'out', profile: 'quick', json: false }), config: hooks ? { hooks } : {} }).map(
        (suite) => suite.name,
      );
    expect(names()).toEqual(['bench', 'crash', 'parity']);
    expect(names({ ref: 'node ref.mjs' })).toEqual(['bench', 'crash', 'parity', 'hook']);
  });
});

describe('a real run', () => {
  it('writegate hook, then analyze: the reference hook passes, its section ' +
    'and prefixes are in RESULTS.md', async () => {
    expect(await main(['hook', '--hook', REF, '--hook-env', 'optin:REWRITE_MUTATING=1', '--out', 'out'])).toBe(0);
    const rows = readResultsCsv(path.join(cli.dir, 'out/results_raw.csv')).filter((row) => row.suite === 'hook');
    expect(new Set(rows.filter((row) => row.scenario === 'policy').map((row) => `${row.subject}:${row.mode}`))).toEqual(
      new Set(['ref:default', 'ref:optin']),
    );
    expect(rows.find((row) => row.mode === 'default' && row.metric === METRICS.mutatingRewriteRate)?.value).toBe(0);
    expect(
      rows.find((row) => row.mode === 'optin' && row.metric === METRICS.mutatingRewriteRate)?.value,
    ).toBeGreaterThan(0);

    fs.writeFileSync('thresholds.json', JSON.stringify({ gates: { 'hook.latency_p95': { threshold: 5000 } } }));
    cli.clear();
    expect(await main(['analyze', 'out/results_raw.csv', '--out', 'out', '--thresholds', 'thresholds.json'])).toBe(0);
    const report = fs.readFileSync(path.join(cli.dir, 'out/RESULTS.md'), 'utf8');
    expect(report).toContain('## Hook — what a PreToolUse hook rewrites');
    expect(report).toContain('| `ref` | default | `mytool git` |');
    expect(report).toMatch(/\| mutating commands rewritten by default · `ref` \| 0\.00% \| = 0% \| ✅ pass \|/);
  }, 120_000);
});

describe('a hook given relative to the current directory', () => {
  it('still runs, though each hook runs in a project directory of its own', async () => {
    fs.copyFileSync(FIXTURE_HOOKS.reference, 'my-hook.mjs');
    fs.copyFileSync(path.join(path.dirname(FIXTURE_HOOKS.reference), 'rewrite-lib.mjs'), 'rewrite-lib.mjs');
    expect(await main(['hook', '--hook', 'mine=node my-hook.mjs', '--out', 'out'])).toBe(0);
    const rows = readResultsCsv(path.join(cli.dir, 'out/results_raw.csv'));
    expect(rows.find((row) => row.metric === METRICS.invalidOutputRate)?.value).toBe(0);
    expect(rows.find((row) => row.metric === METRICS.hookCommand)?.detail).toBe('node my-hook.mjs');
  }, 120_000);
});
