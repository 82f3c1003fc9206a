import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readResultsCsv } from '../core/csv.js';
import { METRICS, type ResultRow } from '../core/schema.js';
import { selfScriptArgv } from '../core/self-script.js';
import { FAULTY_WRAPPERS } from '../test/fixtures/parity/context.js';
import { resolveNativeGit } from './wrappers.js';

/** The CLI as a real child process, with exactly the environment given (nothing inherited). */
function writegate(
  args: string[],
  env: Record<string, string | undefined>,
  cwd: string,
  onStderr?: (text: string, child: ReturnType<typeof spawn>) => void,
) {
  const argv = selfScriptArgv('cli/bin.ts', args);
  const child = spawn(argv[0] as string, argv.slice(1), {
    cwd,
    env: env as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    onStderr?.(stderr, child);
  });
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; stdout: string }>(
    (resolve) => child.on('close', (code, signal) => resolve({ code, signal, stderr, stdout })),
  );
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-parity-cli-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A parent environment stripped to what a user shell has, with a private TMPDIR (the workspace lands there). */
function baseEnv(tmp: string): Record<string, string | undefined> {
  fs.mkdirSync(tmp, { recursive: true });
  return { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: tmp, CI: 'true' };
}

/** Every file under `root` with its content, to prove nothing there was written. */
function treeOf(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = path.join(rel, entry.name);
      if (entry.isDirectory()) visit(child);
      else out[child] = fs.readFileSync(path.join(root, child), 'utf8');
    }
  };
  visit('');
  return out;
}

/** Rows as comparable text: everything but run ids and timings. */
function comparable(rows: readonly ResultRow[]): string[] {
  return rows
    .filter((row) => row.suite === 'parity' && row.metric !== METRICS.durationMs)
    .map((row) => [row.scenario, row.subject, row.mode, row.metric, row.value, row.detail].join(' | '));
}

/** A HOME, XDG dir, system config and environment that would change every case if git read them. */
function hostileEnvironment(root: string, tmp: string): Record<string, string | undefined> {
  const hooks = path.join(root, 'hooks');
  fs.mkdirSync(hooks, { recursive: true });
  for (const hook of [
    'pre-commit',
    'commit-msg',
    'pre-push',
    'post-checkout',
    'pre-merge-commit',
    'reference-transaction',
    'post-index-change',
  ]) {
    fs.writeFileSync(path.join(hooks, hook), `#!/bin/sh\necho "hostile ${hook} hook ran" >&2\nexit 1\n`, {
      mode: 0o755,
    });
  }
  const config = [
    '[user]\n\tname = Hostile User\n\temail = hostile@example.invalid',
    '[init]\n\tdefaultBranch = other',
    `[core]\n\thooksPath = ${hooks}\n\texcludesFile = ${path.join(root, 'ignore')}\n\tautocrlf = true`,
    '[commit]\n\tgpgSign = true',
    '[pull]\n\trebase = true',
    '[push]\n\tdefault = nothing',
    '[credential]\n\thelper = store',
    '[advice]\n\tpushUpdateRejected = false',
    '[color]\n\tui = always',
  ].join('\n');
  const home = path.join(root, 'home');
  fs.mkdirSync(path.join(home, '.config', 'git'), { recursive: true });
  fs.writeFileSync(path.join(home, '.gitconfig'), `${config}\n`);
  fs.writeFileSync(path.join(home, '.config', 'git', 'config'), `${config}\n`);
  fs.writeFileSync(path.join(root, 'system-gitconfig'), `${config}\n`);
  fs.writeFileSync(path.join(root, 'ignore'), '*.txt\n');
  fs.mkdirSync(path.join(root, 'template', 'hooks'), { recursive: true });
  fs.copyFileSync(path.join(hooks, 'pre-commit'), path.join(root, 'template', 'hooks', 'pre-commit'));
  return {
    ...baseEnv(tmp),
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    GIT_CONFIG_GLOBAL: path.join(home, '.gitconfig'),
    GIT_CONFIG_SYSTEM: path.join(root, 'system-gitconfig'),
    GIT_TEMPLATE_DIR: path.join(root, 'template'),
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'core.hooksPath',
    GIT_CONFIG_VALUE_0: hooks,
    GIT_AUTHOR_NAME: 'Hostile Author',
    GIT_COMMITTER_DATE: '@1700000000 +0900',
    GIT_DIR: path.join(root, 'not-a-repo'),
    GIT_ASKPASS: path.join(hooks, 'pre-push'),
    LC_ALL: 'de_DE.UTF-8',
    TZ: 'Asia/Tokyo',
  };
}

const ISOLATION_CASES = [
  'add.all',
  'commit.staged',
  'commit.nothing-to-commit',
  'push.fast-forward',
  'push.auth-failed',
  'pull.divergent-unconfigured',
  'branch.create',
  'stash.push',
  'worktree.add-new-branch',
].join(',');

describe('writegate parity (CLI, real processes)', () => {
  it('gives the same rows under a hostile HOME, global/system config and git ' +
    'environment, and writes nothing outside its workspace', async () => {
    const cleanTmp = path.join(dir, 'tmp-clean');
    const hostileTmp = path.join(dir, 'tmp-hostile');
    const hostileRoot = path.join(dir, 'hostile');
    const env = hostileEnvironment(hostileRoot, hostileTmp);
    const before = treeOf(hostileRoot);

    const clean = await writegate(
      ['parity', '--cases', ISOLATION_CASES, '--out', path.join(dir, 'out-clean')],
      baseEnv(cleanTmp),
      dir,
    );
    expect(clean.stderr).toContain('parity: 9 case(s)');
    expect(clean.code).toBe(0);
    const hostile = await writegate(
      ['parity', '--cases', ISOLATION_CASES, '--out', path.join(dir, 'out-hostile')],
      env,
      dir,
    );
    expect(hostile.code).toBe(0);

    const cleanRows = readResultsCsv(path.join(dir, 'out-clean', 'results_raw.csv'));
    const hostileRows = readResultsCsv(path.join(dir, 'out-hostile', 'results_raw.csv'));
    expect(comparable(hostileRows)).toEqual(comparable(cleanRows));
    // Every case still behaves as git does with no configuration at all.
    expect(hostileRows.filter((row) => row.metric === METRICS.nativeAsExpected).map((row) => row.value)).toEqual(
      Array(9).fill(1),
    );

    // Nothing read from there changed anything, and nothing was written there: no hook ran, no credential stored.
    expect(treeOf(hostileRoot)).toEqual(before);
    // The workspaces are gone; what is left in TMPDIR is only the tsx loader's compile cache (this test runs from
    // source).
    for (const tmp of [cleanTmp, hostileTmp])
      expect(fs.readdirSync(tmp).filter((name) => !name.startsWith('tsx-'))).toEqual([]);
    // The run ends with its own verdict, so its report is there too.
    expect(fs.readdirSync(path.join(dir, 'out-hostile')).sort()).toEqual([
      'RESULTS.md',
      'results_env.txt',
      'results_raw.csv',
    ]);
    expect(fs.readdirSync(dir).sort()).toEqual(['hostile', 'out-clean', 'out-hostile', 'tmp-clean', 'tmp-hostile']);
  }, 180_000);

  it('--wrapper NAME=TEMPLATE puts a faulty wrapper beside the passthrough and scores it', async () => {
    const out = path.join(dir, 'out-wrapper');
    const run = await writegate(
      [
        'parity',
        '--cases',
        'commit.nothing-to-commit,branch.create',
        '--wrapper',
        `bad=${FAULTY_WRAPPERS.exitZero} git`,
        '--out',
        out,
      ],
      baseEnv(path.join(dir, 'tmp-wrapper')),
      dir,
    );
    // The run judges its own rows: the faulty wrapper fails the exit-code gate, so the command exits 1.
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/failed parity\.exit_code.*bad/);
    const rows = readResultsCsv(path.join(out, 'results_raw.csv'));
    const value = (subject: string, scenario: string, metric: string) =>
      rows.find((r) => r.subject === subject && r.scenario === scenario && r.metric === metric)?.value;
    expect(value('bad', 'commit.nothing-to-commit', METRICS.exitCodeMatch)).toBe(0);
    expect(value('bad', 'commit.nothing-to-commit', METRICS.wrapperExitCode)).toBe(0);
    expect(value('bad', 'branch.create', METRICS.exitCodeMatch)).toBe(1);
    expect(value('passthrough', 'commit.nothing-to-commit', METRICS.exitCodeMatch)).toBe(1);
  }, 60_000);

  it('config file form (wrappers, git) and --readiness: one NO-GO line with its reasons, exit 1', async () => {
    const project = path.join(dir, 'project');
    fs.mkdirSync(project);
    // A native git under another name: wrappers that run `git` must still get this very binary.
    fs.symlinkSync(resolveNativeGit(undefined, process.env.PATH ?? ''), path.join(project, 'git-under-test'));
    fs.writeFileSync(
      path.join(project, 'writegate.config.json'),
      JSON.stringify({ wrappers: { bad: `${FAULTY_WRAPPERS.exitZero} git` }, git: './git-under-test' }),
    );
    const out = path.join(project, 'out');
    const run = await writegate(
      ['parity', '--readiness', '--cases', 'commit.nothing-to-commit,branch.create', '--out', out],
      baseEnv(path.join(dir, 'tmp-config')),
      project,
    );
    expect(run.stderr).toContain(`native + passthrough, bad; git ${path.join(project, 'git-under-test')}`);
    expect(run.stdout.trimEnd().split('\n')).toEqual([
      'NO-GO: not safe to enable rewriting of mutating git commands: only 2 ' +
        'of 87 cases ran; readiness needs the full matrix; ' +
        'bad: exit code match rate 50.00%, needs = 100% (1 unlisted mismatch: commit.nothing-to-commit)',
    ]);
    expect(run.code).toBe(1);
    const report = fs.readFileSync(path.join(out, 'RESULTS.md'), 'utf8');
    expect(report).toContain('## Parity — native git vs wrappers');
    expect(report).toContain('- **`bad` · `commit.nothing-to-commit`** — `git commit -m nothing`');
  }, 60_000);

  it('a wrapper that cannot be found, or a bad known-differences file with ' +
    '--readiness, is bad input before anything runs: exit 2, one line', async () => {
    const out = path.join(dir, 'out-missing');
    const run = await writegate(
      ['parity', '--wrapper', 'ghost=no-such-wrapper-xyz git', '--out', out],
      baseEnv(path.join(dir, 'tmp-missing')),
      dir,
    );
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      'writegate: wrapper ghost: "no-such-wrapper-xyz" is not an executable ' +
        'file on PATH (template: no-such-wrapper-xyz git)',
    ]);
    expect(fs.existsSync(out)).toBe(false);

    const known = path.join(dir, 'known-bad.json');
    fs.writeFileSync(
      known,
      JSON.stringify({ differences: [{ case: 'add.all', metric: 'exit_code', rationale: 'x' }] }),
    );
    const readiness = await writegate(
      ['parity', '--readiness', '--known-differences', known, '--out', out],
      baseEnv(path.join(dir, 'tmp-missing')),
      dir,
    );
    expect(readiness.code).toBe(2);
    expect(readiness.stderr.trim().split('\n')).toEqual([
      `writegate: known-differences file ${known}: key "differences.0.metric": ` +
        `one of exit_code_match, side_effect_match, stderr_signal_match`,
    ]);
    expect(fs.existsSync(out)).toBe(false);
  }, 60_000);

  it('SIGINT mid-case stops the loopback server and every child process, and removes the workspace', async () => {
    const tmp = path.join(dir, 'tmp-interrupt');
    let port: number | undefined;
    let sent = false;
    const run = await writegate(
      [
        'parity',
        '--cases',
        'push.auth-failed',
        '--wrapper',
        `hang=${FAULTY_WRAPPERS.hangs} git`,
        '--out',
        path.join(dir, 'out-interrupt'),
      ],
      baseEnv(tmp),
      dir,
      (stderr, child) => {
        const match = /loopback server on 127\.0\.0\.1:(\d+)/.exec(stderr);
        if (match && !sent) {
          sent = true;
          port = Number(match[1]);
          // Native has run by now or soon; the hanging wrapper holds the case until the signal.
          setTimeout(() => child.kill('SIGINT'), 1500);
        }
      },
    );
    expect(sent).toBe(true);
    expect(run.code).toBe(130);
    expect(await connectionRefused(port as number)).toBe(true);
    const workspaces = fs.readdirSync(tmp).filter((name) => name.startsWith('writegate-'));
    expect(workspaces).toEqual([]);
    expect(processesInside(tmp)).toEqual([]);
    expect(fs.existsSync(path.join(dir, 'out-interrupt'))).toBe(false);
  }, 60_000);
});

function connectionRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

/** Live processes whose working directory is (or was) under `root`: leftovers of an interrupted run. */
function processesInside(root: string): string[] {
  const found: string[] = [];
  for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
      if (cwd.startsWith(root))
        found.push(`${pid} ${fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ')}`);
    } catch {
      // Gone, or not ours to read.
    }
  }
  return found;
}
