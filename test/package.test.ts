/**
 * The package as npm would publish it, built from this checkout: its files (scripts/release-check.ts's
 * checks on `npm pack --dry-run`), and its types and entry points seen by a TypeScript consumer that
 * imports `writegate` and `writegate/writer` under each module resolution users have (node10, node16,
 * nodenext, bundler), then by Node itself.
 *
 * The package is assembled in a temp dir, not taken from this checkout's dist/ (absent on a fresh clone,
 * stale after an edit, and shared with other runs): the checkout's files as git sees them (tracked and
 * untracked, minus what .gitignore drops), package.json as it is, and dist/ compiled from these sources
 * by tsconfig.build.json — what `npm run build` makes — into that dir. Consumers get it through a
 * node_modules/writegate symlink, the way an installed package is found; its dependencies (zod's types,
 * @types/node) through a symlink to this checkout's node_modules.
 *
 * Last, the GitHub Action's install step (action/install.sh) installs the packed tarball the way it
 * installs a release: from a cold npm cache, run-time dependencies only, no build.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../core/self-script.js';
import { packedFiles, packedFilesProblems, releaseCheck, sourceDigest } from '../scripts/release-check.js';

const tsc = path.join(packageRoot, 'node_modules', 'typescript', 'bin', 'tsc');
let temp = '';
let pkg = '';

beforeAll(() => {
  temp = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-package-'));
  pkg = path.join(temp, 'writegate');
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: packageRoot,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  for (const file of listed.split('\0').filter(Boolean)) {
    const from = path.join(packageRoot, file);
    if (!fs.existsSync(from) || !fs.lstatSync(from).isFile()) continue; // deleted in the work tree, or a symlink
    fs.mkdirSync(path.dirname(path.join(pkg, file)), { recursive: true });
    fs.copyFileSync(from, path.join(pkg, file));
  }
  expect(fs.existsSync(path.join(pkg, 'dist')), 'dist/ comes from the build below, not from the checkout').toBe(false);
  execFileSync(
    process.execPath,
    [tsc, '-p', path.join(packageRoot, 'tsconfig.build.json'), '--outDir', path.join(pkg, 'dist')],
    { cwd: packageRoot, stdio: 'pipe' },
  );
  fs.writeFileSync(path.join(pkg, 'dist', 'source-digest.txt'), `${sourceDigest(pkg)}\n`);
  fs.symlinkSync(path.join(packageRoot, 'node_modules'), path.join(pkg, 'node_modules'), 'dir');
}, 300_000);

afterAll(() => {
  if (temp) fs.rmSync(temp, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('holds the CLI, the documents and the declarations, and no sources or tests', () => {
    const files = packedFiles(pkg);
    expect(packedFilesProblems(files)).toEqual([]);
    for (const file of ['dist/core/writer/index.d.ts', 'dist/core/writer/index.js', 'hook/shim/writegate-hook-shim'])
      expect(files).toContain(file);
    expect(files.filter((f) => f.startsWith('dist/')).length).toBeGreaterThan(100);
  });

  it('passes the whole release check for its own version', () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8')) as { version: string };
    expect(releaseCheck(pkg, `v${version}`, { pack: true }).problems).toEqual([]);
  });
});

/** What a consumer writes: both entry points, a type from each, and one call the types must refuse. */
const CONSUMER = `import { writeFileAtomicSync, RESULT_COLUMNS, classifyCommand, type ResultRow, type WriteStats } from 'writegate';
import { writeFileAtomicSync as fromWriter, WriteError, type WriteMode } from 'writegate/writer';

const mode: WriteMode = 'fast';
const stats: WriteStats = fromWriter('out.txt', 'data', { mode });
const same: typeof writeFileAtomicSync = fromWriter;
const column: (typeof RESULT_COLUMNS)[number] = 'metric';
const row: Pick<ResultRow, 'suite' | 'metric'> = { suite: 'bench', metric: 'latency_ms' };
// @ts-expect-error a mode writegate does not have: only typed declarations refuse it
fromWriter('out.txt', 'data', { mode: 'sometimes' });
export { stats, same, column, row, classifyCommand, WriteError };
`;

interface Resolution {
  moduleResolution: string;
  module: string;
  esm: boolean;
}
const RESOLUTIONS: Resolution[] = [
  { moduleResolution: 'node10', module: 'commonjs', esm: false },
  { moduleResolution: 'node16', module: 'node16', esm: true },
  { moduleResolution: 'nodenext', module: 'nodenext', esm: true },
  { moduleResolution: 'bundler', module: 'esnext', esm: true },
];

/**
 * A consumer project using `packageDir` as its node_modules/writegate; tsc's output and exit code.
 * `libCheck` also checks every declaration file it loads (writegate's, zod's, @types/node's): four
 * times the work, so it is done once.
 */
async function compileConsumer(
  name: string,
  packageDir: string,
  r: Resolution,
  libCheck = false,
): Promise<{ status: number | null; output: string }> {
  const dir = path.join(temp, `consumer-${name}`);
  fs.mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
  fs.symlinkSync(packageDir, path.join(dir, 'node_modules', 'writegate'), 'dir');
  fs.symlinkSync(path.join(packageRoot, 'node_modules', '@types'), path.join(dir, 'node_modules', '@types'), 'dir');
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: `consumer-${name}`, private: true, ...(r.esm ? { type: 'module' } : {}) }),
  );
  fs.writeFileSync(path.join(dir, 'index.ts'), CONSUMER);
  // A consumer's usual settings: tsc --init's strict, esModuleInterop and skipLibCheck.
  const compilerOptions = {
    strict: true,
    esModuleInterop: true,
    skipLibCheck: !libCheck,
    noEmit: true,
    target: 'es2022',
    types: ['node'],
    module: r.module,
    moduleResolution: r.moduleResolution,
  };
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['index.ts'] }));
  return tscSlots.run(() => tscOutput(dir));
}

/** tsc on one project, as a child process: its exit code and everything it printed. */
function tscOutput(dir: string): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsc, '-p', dir], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, output: output.trim() }));
  });
}

/**
 * At most `limit` jobs at once. The consumers' compiles are independent single-threaded tsc runs, so
 * two at a time use both cores instead of one; more would only queue behind each other.
 */
function slots(limit: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return {
    async run<T>(job: () => Promise<T>): Promise<T> {
      if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
      running++;
      try {
        return await job();
      } finally {
        running--;
        waiting.shift()?.();
      }
    },
  };
}
const tscSlots = slots(2);

/** A copy of the package whose package.json is changed by `edit` (dist/ and node_modules shared). */
function packageVariant(name: string, edit: (json: Record<string, unknown>) => void): string {
  const dir = path.join(temp, `variant-${name}`);
  fs.mkdirSync(dir);
  for (const entry of ['dist', 'node_modules']) fs.symlinkSync(path.join(pkg, entry), path.join(dir, entry), 'dir');
  const json = JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8')) as Record<string, unknown>;
  edit(json);
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(json, null, 2));
  return dir;
}

// Concurrent: each case compiles its own consumer project (tscSlots keeps it to two tsc at a time). A
// case's time includes its wait for a slot, hence the timeout of all of them.
const CONSUMERS_TIMEOUT = 240_000;
describe.concurrent('a TypeScript consumer', { timeout: CONSUMERS_TIMEOUT }, () => {
  it.each(RESOLUTIONS)('compiles with moduleResolution $moduleResolution (module $module)', async (r) => {
    expect(await compileConsumer(r.moduleResolution, pkg, r)).toEqual({ status: 0, output: '' });
  });

  it("finds no error in writegate's own declarations (skipLibCheck off, nodenext)", async () => {
    expect(await compileConsumer('lib-check', pkg, RESOLUTIONS[2] as Resolution, true)).toEqual({
      status: 0,
      output: '',
    });
  });

  it('fails where the package gives no types: node10 without typesVersions, node16 without the ./writer export', async () => {
    const [node10, node16] = RESOLUTIONS as [Resolution, Resolution];
    const noTypesVersions = packageVariant('no-types-versions', (json) => delete json.typesVersions);
    const noWriterExport = packageVariant(
      'no-writer-export',
      (json) => delete (json.exports as Record<string, unknown>)['./writer'],
    );
    const [node10Run, node16Run] = await Promise.all([
      compileConsumer('bad-node10', noTypesVersions, node10),
      compileConsumer('bad-node16', noWriterExport, node16),
    ]);
    expect(node10Run.status).not.toBe(0);
    expect(node10Run.output).toContain("Cannot find module 'writegate/writer'");
    expect(node16Run.status).not.toBe(0);
    expect(node16Run.output).toContain("'writegate/writer'");
  });
});

describe('a Node consumer', () => {
  it('imports both entry points and writes a file with the reference writer', () => {
    const dir = path.join(temp, 'consumer-runtime');
    fs.mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
    fs.symlinkSync(pkg, path.join(dir, 'node_modules', 'writegate'), 'dir');
    const script = [
      "import { writeFileAtomicSync, RESULT_COLUMNS } from 'writegate';",
      "import * as writer from 'writegate/writer';",
      "import fs from 'node:fs';",
      "const stats = writer.writeFileAtomicSync('written.txt', 'hello');",
      'console.log(JSON.stringify({ same: writeFileAtomicSync === writer.writeFileAtomicSync, ' +
        "columns: RESULT_COLUMNS.length, text: fs.readFileSync('written.txt', 'utf8'), " +
        'fsyncs: stats.fsyncCount }));',
    ].join('\n');
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toMatchObject({ same: true, text: 'hello' });
    expect(JSON.parse(run.stdout).columns).toBeGreaterThan(10);
    expect(JSON.parse(run.stdout).fsyncs).toBeGreaterThanOrEqual(2);
  });
});

describe("the GitHub Action's install step, given the packed package", () => {
  /** action/install.sh run as the action runs it, from the assembled package as the action's checkout. */
  function install(runnerTemp: string, env: Record<string, string>) {
    fs.mkdirSync(runnerTemp, { recursive: true });
    const output = path.join(runnerTemp, 'github-output');
    const run = spawnSync('bash', [path.join(pkg, 'action', 'install.sh')], {
      cwd: runnerTemp,
      encoding: 'utf8',
      // The runner's own environment (npm's registry, proxy and CA settings included), as a step gets it.
      env: {
        ...process.env,
        GITHUB_ACTION_PATH: pkg,
        GITHUB_OUTPUT: output,
        RUNNER_TEMP: runnerTemp,
        // parity needs no strace: the step installs none.
        WG_COMMAND: 'parity',
        npm_config_cache: path.join(runnerTemp, 'npm-cache'),
        npm_config_update_notifier: 'false',
        ...env,
      },
      timeout: 240_000,
    });
    const bin = /^bin=(.*)$/m.exec(fs.existsSync(output) ? fs.readFileSync(output, 'utf8') : '')?.[1];
    return { status: run.status, out: run.stdout + run.stderr, bin };
  }

  it('installs writegate and its run-time dependencies from a cold cache: no ' +
    'TypeScript, no test tools, no build', () => {
    const packDir = path.join(temp, 'packed');
    fs.mkdirSync(packDir);
    execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', packDir], { cwd: pkg, stdio: 'pipe' });
    const tarball = path.join(packDir, fs.readdirSync(packDir).find((f) => f.endsWith('.tgz')) as string);
    const runnerTemp = path.join(temp, 'runner');
    const first = install(runnerTemp, { WG_PACKAGE: tarball });
    expect(first.status, first.out).toBe(0);
    expect(first.out).toContain(`writegate: installed ${tarball}`);
    expect(first.bin?.startsWith(runnerTemp)).toBe(true);
    const installed = path.join(path.dirname(first.bin as string), '..', '..', '..');
    const names = fs
      .readdirSync(installed)
      .flatMap((n) => (n.startsWith('@') ? fs.readdirSync(path.join(installed, n)).map((m) => `${n}/${m}`) : [n]));
    const { dependencies, devDependencies, version } = JSON.parse(
      fs.readFileSync(path.join(pkg, 'package.json'), 'utf8'),
    ) as { dependencies: Record<string, string>; devDependencies: Record<string, string>; version: string };
    for (const dep of Object.keys(dependencies)) expect(names).toContain(dep);
    for (const dev of [...Object.keys(devDependencies), 'esbuild', '@esbuild/linux-x64'])
      expect(names).not.toContain(dev);
    // Nothing was built in the action's checkout.
    expect(fs.existsSync(path.join(pkg, 'dist', '.writegate-action-build'))).toBe(false);
    expect(execFileSync(process.execPath, [first.bin as string, '--version'], { encoding: 'utf8' }).trim()).toBe(
      version,
    );
    // A second use in the same job: nothing installed again.
    const second = install(runnerTemp, { WG_PACKAGE: tarball });
    expect(second.status, second.out).toBe(0);
    expect(second.out).toContain('already installed in this job');
    expect(second.bin).toBe(first.bin);
    // The same tarball under an action whose sources differ is refused: its scripts read this version's output.
    const other = path.join(temp, 'other-action');
    fs.mkdirSync(other);
    fs.symlinkSync(path.join(pkg, 'action'), path.join(other, 'action'), 'dir');
    fs.copyFileSync(path.join(pkg, 'package.json'), path.join(other, 'package.json'));
    const refused = install(path.join(temp, 'runner-other'), { WG_PACKAGE: tarball, GITHUB_ACTION_PATH: other });
    expect(refused.status).toBe(2);
    expect(refused.out).toContain("was not built from this action's sources");
    expect(refused.bin).toBeUndefined();
  }, 300_000);
});
