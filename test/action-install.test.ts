/**
 * How the GitHub Action's install step (action/install.sh) chooses the writegate it runs, with real npm
 * against a registry on 127.0.0.1: the release of exactly the action's sources when npm has it, the
 * action's checkout built when npm has no such version or a build of other sources, and an error when
 * the registry fails. The action here is a small stand-in package (its build is one script), so each
 * path costs seconds; test/package.test.ts installs the real packed writegate the same way.
 */
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../core/self-script.js';
import { sourceDigest } from '../scripts/release-check.js';

const VERSION = '0.0.0-test';
const run = promisify(execFile);

type Registry =
  | { kind: 'missing' }
  | { kind: 'other-versions' }
  | { kind: 'published'; tarball: Buffer }
  | { kind: 'failing' };

let temp = '';
let registry: Registry = { kind: 'missing' };
const requests: string[] = [];
let server: http.Server;
let registryUrl = '';

beforeAll(async () => {
  temp = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-action-install-'));
  server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (registry.kind === 'failing') return json(500, { error: 'internal error' });
    if (req.url === '/writegate') {
      if (registry.kind === 'missing') return json(404, { error: 'Not found' });
      const published = registry.kind === 'published' ? registry.tarball : undefined;
      const version = published ? VERSION : '0.0.1';
      const integrity = published ? `sha512-${createHash('sha512').update(published).digest('base64')}` : undefined;
      return json(200, {
        name: 'writegate',
        'dist-tags': { latest: version },
        versions: {
          [version]: {
            name: 'writegate',
            version,
            dist: { tarball: `${registryUrl}writegate/-/writegate-${version}.tgz`, integrity },
          },
        },
      });
    }
    if (req.url === `/writegate/-/writegate-${VERSION}.tgz` && registry.kind === 'published') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      return res.end(registry.tarball);
    }
    return json(404, { error: 'Not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  registryUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (temp) fs.rmSync(temp, { recursive: true, force: true });
});

afterEach(() => {
  requests.length = 0;
});

/** A fresh stand-in for the action's checkout: the real action/ scripts, a one-script build. */
function freshActionRoot(name: string): string {
  const root = path.join(temp, name);
  fs.mkdirSync(root);
  fs.symlinkSync(path.join(packageRoot, 'action'), path.join(root, 'action'), 'dir');
  fs.writeFileSync(
    path.join(root, 'package.json'),
    JSON.stringify({ name: 'writegate', version: VERSION, private: true, scripts: { build: 'node build.mjs' } }),
  );
  fs.writeFileSync(
    path.join(root, 'package-lock.json'),
    JSON.stringify({
      name: 'writegate',
      version: VERSION,
      lockfileVersion: 3,
      requires: true,
      packages: { '': { name: 'writegate', version: VERSION } },
    }),
  );
  fs.writeFileSync(path.join(root, 'index.ts'), 'export const built = true;\n');
  fs.writeFileSync(
    path.join(root, 'build.mjs'),
    `import fs from 'node:fs';\nfs.mkdirSync('dist/cli', { recursive: true ` +
      `});\nfs.writeFileSync('dist/cli/bin.js', "console.log('${VERSION} (source ` +
      `build)');\\n");\n`,
  );
  return root;
}

/** A packed writegate whose dist/ says it was built from sources with `digest`. */
function packedRelease(name: string, digest: string): Buffer {
  const dir = path.join(temp, `release-${name}`);
  fs.mkdirSync(path.join(dir, 'dist', 'cli'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: 'writegate', version: VERSION, bin: { writegate: 'dist/cli/bin.js' } }),
  );
  fs.writeFileSync(path.join(dir, 'dist', 'cli', 'bin.js'), `console.log('${VERSION} (release)');\n`);
  fs.writeFileSync(path.join(dir, 'dist', 'source-digest.txt'), `${digest}\n`);
  const file = execFileSync('npm', ['pack', '--ignore-scripts', '--silent'], { cwd: dir, encoding: 'utf8' }).trim();
  return fs.readFileSync(path.join(dir, file));
}

async function install(root: string, runnerTemp: string, env: Record<string, string> = {}) {
  fs.mkdirSync(runnerTemp, { recursive: true });
  const output = path.join(runnerTemp, 'github-output');
  const result = await run('bash', [path.join(packageRoot, 'action', 'install.sh')], {
    cwd: runnerTemp,
    env: {
      ...process.env,
      GITHUB_ACTION_PATH: root,
      GITHUB_OUTPUT: output,
      RUNNER_TEMP: runnerTemp,
      WG_COMMAND: 'parity',
      npm_config_registry: registryUrl,
      npm_config_cache: path.join(runnerTemp, 'npm-cache'),
      npm_config_fetch_retries: '0',
      npm_config_update_notifier: 'false',
      ...env,
    },
    timeout: 120_000,
  }).then(
    (r) => ({ status: 0, out: r.stdout + r.stderr }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({
      status: e.code ?? -1,
      out: `${e.stdout ?? ''}${e.stderr ?? ''}`,
    }),
  );
  const bin = /^bin=(.*)$/m.exec(fs.existsSync(output) ? fs.readFileSync(output, 'utf8') : '')?.[1];
  const says = bin ? execFileSync(process.execPath, [bin], { encoding: 'utf8' }).trim() : undefined;
  return { ...result, bin, says };
}

describe("the action's install step chooses what runs", () => {
  it("npm has this version, built from the action's own sources: that release " +
    'is installed, nothing is built', async () => {
    const root = freshActionRoot('released');
    registry = { kind: 'published', tarball: packedRelease('same', sourceDigest(root)) };
    const got = await install(root, path.join(temp, 'runner-released'));
    expect(got.status, got.out).toBe(0);
    expect(got.out).toContain(`installed the release writegate@${VERSION} from npm`);
    expect(got.says).toBe(`${VERSION} (release)`);
    expect(fs.existsSync(path.join(root, 'dist')), 'no build in the action checkout').toBe(false);
    expect(requests).toContain(`/writegate/-/writegate-${VERSION}.tgz`);
  }, 120_000);

  it('npm has no such package: the checkout is built, and a second use in the job asks npm nothing', async () => {
    const root = freshActionRoot('unreleased');
    registry = { kind: 'missing' };
    const runner = path.join(temp, 'runner-unreleased');
    const first = await install(root, runner);
    expect(first.status, first.out).toBe(0);
    expect(first.out).toContain(
      `writegate@${VERSION} is not on npm (an unreleased version), so this checkout is built`,
    );
    expect(first.says).toBe(`${VERSION} (source build)`);
    expect(first.bin).toBe(path.join(root, 'dist', 'cli', 'bin.js'));
    requests.length = 0;
    const second = await install(root, runner);
    expect(second.status, second.out).toBe(0);
    expect(second.out).toContain('already built in this job');
    expect(requests).toEqual([]);
  }, 120_000);

  it('npm has the package but not this version: the checkout is built', async () => {
    const root = freshActionRoot('newer');
    registry = { kind: 'other-versions' };
    const got = await install(root, path.join(temp, 'runner-newer'));
    expect(got.status, got.out).toBe(0);
    expect(got.out).toContain('is not on npm (an unreleased version)');
    expect(got.says).toBe(`${VERSION} (source build)`);
  }, 120_000);

  it('npm has this version built from other sources (a commit after the release): ' +
    'the checkout is built, not the release run', async () => {
    const root = freshActionRoot('between-releases');
    registry = { kind: 'published', tarball: packedRelease('other', 'f'.repeat(64)) };
    const got = await install(root, path.join(temp, 'runner-between'));
    expect(got.status, got.out).toBe(0);
    expect(got.out).toContain('was built from other sources than this checkout');
    expect(got.says).toBe(`${VERSION} (source build)`);
  }, 120_000);

  it('the registry fails: an error that says so, and nothing to run', async () => {
    const root = freshActionRoot('failing');
    registry = { kind: 'failing' };
    const got = await install(root, path.join(temp, 'runner-failing'));
    expect(got.status).toBe(1);
    expect(got.out).toContain(`::error title=writegate::could not install writegate@${VERSION} from npm`);
    expect(got.bin).toBeUndefined();
    expect(fs.existsSync(path.join(root, 'dist'))).toBe(false);
  }, 120_000);

  it('package: source builds the checkout without asking npm', async () => {
    const root = freshActionRoot('forced-source');
    registry = { kind: 'published', tarball: packedRelease('forced', sourceDigest(root)) };
    const got = await install(root, path.join(temp, 'runner-forced'), { WG_PACKAGE: 'source' });
    expect(got.status, got.out).toBe(0);
    expect(got.says).toBe(`${VERSION} (source build)`);
    expect(requests).toEqual([]);
  }, 120_000);
});
