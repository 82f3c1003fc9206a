/**
 * The release checks: a tag agrees with package.json or is refused, the CHANGELOG section becomes the
 * release notes or its absence refuses the release, and a pack's file list is judged (on lists, and on
 * a real `npm pack --dry-run` of a small package). The packed list of writegate itself, built, is
 * checked in test/package.test.ts.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../core/self-script.js';
import {
  changelogSection,
  packedFiles,
  packedFilesProblems,
  parseTag,
  releaseCheck,
  sourceDigest,
} from './release-check.js';

const CHANGELOG = `# Changelog

## [Unreleased]

## [1.2.3] - 2026-01-02

### Added

- The thing.

### Fixed

- The other thing.

## [1.2.2] - 2025-12-01

### Added

- An older thing.

[Unreleased]: https://example.org/compare/v1.2.3...HEAD
[1.2.3]: https://example.org/compare/v1.2.2...v1.2.3
`;

const temps: string[] = [];
function tempPackage(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-release-'));
  temps.push(dir);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}
afterEach(() => {
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const packageJson = (version: string) =>
  JSON.stringify({ name: 'rc-fixture', version, files: ['dist', 'LICENSE', 'README.md', 'CHANGELOG.md'] });

describe('tags', () => {
  it('reads the version, the major tag and a prerelease', () => {
    expect(parseTag('v1.2.3')).toEqual({ version: '1.2.3', majorTag: 'v1', prerelease: false });
    expect(parseTag('v10.0.0-rc.1')).toEqual({ version: '10.0.0-rc.1', majorTag: 'v10', prerelease: true });
    for (const bad of ['1.2.3', 'v1.2', 'v01.2.3', 'v1.2.3+build.5', 'v1', 'release-1.2.3'])
      expect(parseTag(bad), bad).toBeUndefined();
  });

  it('agreement: the tag of package.json version, with its changelog section as the notes', () => {
    const dir = tempPackage({ 'package.json': packageJson('1.2.3'), 'CHANGELOG.md': CHANGELOG });
    const check = releaseCheck(dir, 'v1.2.3', { pack: false });
    expect(check.problems).toEqual([]);
    expect(check.notes).toBe('### Added\n\n- The thing.\n\n### Fixed\n\n- The other thing.');
  });

  it('refuses a tag that does not match package.json, naming both', () => {
    const dir = tempPackage({ 'package.json': packageJson('1.2.3'), 'CHANGELOG.md': CHANGELOG });
    expect(releaseCheck(dir, 'v1.2.2', { pack: false }).problems).toEqual([
      `tag v1.2.2 does not match package.json's version 1.2.3: set "version" to 1.2.2 or tag v1.2.3`,
    ]);
    expect(releaseCheck(dir, '1.2.3', { pack: false }).problems[0]).toMatch(/not a release tag/);
  });
});

describe('the changelog section', () => {
  it('refuses a version without a section, with an empty one, and without a CHANGELOG', () => {
    const missing = tempPackage({ 'package.json': packageJson('1.3.0'), 'CHANGELOG.md': CHANGELOG });
    expect(releaseCheck(missing, 'v1.3.0', { pack: false }).problems).toEqual([
      'CHANGELOG.md has no "## [1.3.0]" section: add one with what this release changes',
    ]);
    const headingsOnly = CHANGELOG.replace('## [Unreleased]', '## [1.3.0] - 2026-02-01\n\n### Added\n\n### Fixed\n');
    const empty = tempPackage({ 'package.json': packageJson('1.3.0'), 'CHANGELOG.md': headingsOnly });
    expect(releaseCheck(empty, 'v1.3.0', { pack: false }).problems).toEqual([
      `CHANGELOG.md's "## [1.3.0]" section is empty: say what this release changes`,
    ]);
    const none = tempPackage({ 'package.json': packageJson('1.2.3') });
    expect(releaseCheck(none, 'v1.2.3', { pack: false }).problems).toEqual(['CHANGELOG.md is missing']);
  });

  it('ends at the next version and leaves out the link definitions', () => {
    expect(changelogSection(CHANGELOG, '1.2.2')).toBe('### Added\n\n- An older thing.');
    // A version is not found inside a longer one (1.2.2 in 1.2.20).
    expect(changelogSection(CHANGELOG.replace('## [1.2.2]', '## [1.2.20]'), '1.2.2')).toBeUndefined();
  });
});

describe('packed files', () => {
  const good = [
    'CHANGELOG.md',
    'LICENSE',
    'README.md',
    'package.json',
    'dist/cli/bin.js',
    'dist/source-digest.txt',
    'dist/index.js',
    'dist/index.d.ts',
    'dist/core/schema.d.ts',
    'examples/example-writer.mjs',
    'hook/shim/writegate-hook-shim',
  ];

  it('passes the command, the documents and declarations', () => {
    expect(packedFilesProblems(good)).toEqual([]);
  });

  it('refuses sources, tests, fixtures and maps, and a missing CLI or CHANGELOG', () => {
    const bad = [
      ...good.filter((f) => f !== 'CHANGELOG.md' && f !== 'dist/cli/bin.js'),
      'core/schema.ts',
      'dist/bench/plan.test.js',
      'dist/core/stats.test.d.ts',
      'test/fixtures/crash/in-place-writer.py',
      'dist/index.js.map',
    ];
    expect(packedFilesProblems(bad)).toEqual([
      'the package would not contain dist/cli/bin.js',
      'the package would not contain CHANGELOG.md',
      'the package would contain core/schema.ts: a TypeScript source (the package ships dist/)',
      'the package would contain dist/bench/plan.test.js: a test file',
      'the package would contain dist/core/stats.test.d.ts: a test file',
      'the package would contain test/fixtures/crash/in-place-writer.py: a test directory',
      'the package would contain dist/index.js.map: a source map of sources the package does not ship',
    ]);
  });

  it("reads npm pack's own list of a package, and finds a stray test in it", () => {
    const files = {
      'package.json': packageJson('1.2.3'),
      'CHANGELOG.md': CHANGELOG,
      'README.md': '# rc\n',
      LICENSE: 'MIT\n',
      'dist/cli/bin.js': '',
      'dist/index.js': '',
      'dist/index.d.ts': '',
      'src/index.ts': '',
    };
    const dir = tempPackage(files);
    fs.writeFileSync(path.join(dir, 'dist', 'source-digest.txt'), `${sourceDigest(dir)}\n`);
    expect(packedFiles(dir)).toEqual([
      'CHANGELOG.md',
      'LICENSE',
      'README.md',
      'dist/cli/bin.js',
      'dist/index.d.ts',
      'dist/index.js',
      'dist/source-digest.txt',
      'package.json',
    ]);
    expect(releaseCheck(dir, 'v1.2.3', { pack: true }).problems).toEqual([]);
    fs.writeFileSync(path.join(dir, 'dist', 'index.test.js'), '');
    expect(releaseCheck(dir, 'v1.2.3', { pack: true }).problems).toEqual([
      'the package would contain dist/index.test.js: a test file',
    ]);
  });

  it('refuses a dist/ built before the sources changed: the action would not take it for this release', () => {
    const files = {
      'package.json': packageJson('1.2.3'),
      'CHANGELOG.md': CHANGELOG,
      'README.md': '# rc\n',
      LICENSE: 'MIT\n',
      'dist/cli/bin.js': '',
      'dist/index.js': '',
      'dist/index.d.ts': '',
      'src/index.ts': 'export const a = 1;\n',
    };
    const dir = tempPackage(files);
    const built = sourceDigest(dir);
    fs.writeFileSync(path.join(dir, 'dist', 'source-digest.txt'), `${built}\n`);
    expect(releaseCheck(dir, 'v1.2.3', { pack: true }).problems).toEqual([]);
    fs.writeFileSync(path.join(dir, 'src', 'index.ts'), 'export const a = 2;\n');
    expect(sourceDigest(dir)).not.toBe(built);
    expect(releaseCheck(dir, 'v1.2.3', { pack: true }).problems).toEqual([
      'dist/ was built from other sources than this checkout (dist/source-digest.txt differs): run npm run build',
    ]);
    fs.rmSync(path.join(dir, 'dist', 'source-digest.txt'));
    expect(releaseCheck(dir, 'v1.2.3', { pack: true }).problems).toEqual([
      'the package would not contain dist/source-digest.txt',
      'dist/source-digest.txt is missing: run npm run build',
    ]);
  });
});

describe('the command, on this repository', () => {
  const run = (args: string[]) => {
    const loader = pathToFileURL(path.join(packageRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
    return spawnSync(
      process.execPath,
      ['--import', loader, path.join(packageRoot, 'scripts', 'release-check.ts'), ...args],
      { encoding: 'utf8' },
    );
  };

  it("releases package.json's version with this CHANGELOG's notes, and refuses another tag", () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as {
      version: string;
    };
    const notes = path.join(tempPackage({}), 'notes.md');
    const ok = run([`v${version}`, '--no-pack', '--notes', notes]);
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(fs.readFileSync(notes, 'utf8')).toBe(
      `${changelogSection(fs.readFileSync(path.join(packageRoot, 'CHANGELOG.md'), 'utf8'), version)}\n`,
    );
    expect(fs.readFileSync(notes, 'utf8').length).toBeGreaterThan(200);
    const wrong = run(['v0.0.1', '--no-pack']);
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain(`tag v0.0.1 does not match package.json's version ${version}`);
    expect(run([]).status).toBe(2);
  });
});
