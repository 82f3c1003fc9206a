import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { explore } from './explore.js';
import { distinctStates, materialize, relativeDirPaths } from './materialize.js';
import { RunBuilder } from './run-builder.js';

const OLD = Buffer.from('old\n'.repeat(3000));
const FRESH = Buffer.from('fresh\n'.repeat(3000));

function toyRun() {
  const run = new RunBuilder();
  const dir = run.dir('/srv/app/data');
  const staging = run.dir('/srv/app/staging');
  run.existingFile(dir, 'target.dat', OLD);
  const tmp = run.create(staging, 'x.tmp');
  run.writeInChunks(tmp, FRESH, 8192).close(tmp).rename(staging, 'x.tmp', dir, 'target.dat');
  return run.build({ target: { dir, name: 'target.dat' }, fresh: FRESH });
}

const scratch: string[] = [];
afterAll(async () => {
  for (const dir of scratch) await rm(dir, { recursive: true, force: true });
});

describe('materialize', () => {
  it('places directories relative to their common parent', () => {
    expect([...relativeDirPaths(toyRun()).values()]).toEqual(['data', 'staging']);
  });

  it('writes a violating state and reads back exactly what the explanation says', async () => {
    const input = toyRun();
    const violation = explore(input, 'posix').violations.find(
      (v) => v.target.kind === 'other' && v.target.shape === 'empty',
    )!;
    expect(violation).toBeDefined();
    const dir = await mkdtemp(path.join(tmpdir(), 'powerloss-'));
    scratch.push(dir);
    await materialize(input, violation.state, dir);
    expect(await readFile(path.join(dir, 'data', 'target.dat'))).toEqual(Buffer.alloc(0));
    // The cross-directory rename's removal half is a separate change: the temp name may remain.
    const staging = await readdir(path.join(dir, 'staging'));
    expect(staging.length).toBeLessThanOrEqual(1);
  });

  it('writes torn and zero-filled files byte for byte (holes read as zeros)', async () => {
    const input = toyRun();
    const result = explore(input, 'posix');
    const zeros = result.violations.find((v) => v.target.kind === 'other' && v.target.shape === 'zeros')!;
    const dir = await mkdtemp(path.join(tmpdir(), 'powerloss-'));
    scratch.push(dir);
    await materialize(input, zeros.state, dir);
    const file = path.join(dir, 'data', 'target.dat');
    expect((await stat(file)).size).toBe(FRESH.length);
    expect(await readFile(file)).toEqual(Buffer.alloc(FRESH.length));
  });

  it('distinct states: one per distinct tree, each materializing to a different tree', async () => {
    const input = toyRun();
    const all = explore(input, 'posix');
    const distinct = distinctStates(input, 'posix');
    expect(distinct.length).toBeLessThan(all.states);
    expect(distinct.reduce((sum, d) => sum + d.sharedBy, 0)).toBe(all.states);
    const seen = new Set<string>();
    for (const { state } of distinct.slice(0, 12)) {
      const dir = await mkdtemp(path.join(tmpdir(), 'powerloss-'));
      scratch.push(dir);
      await materialize(input, state, dir);
      const tree: string[] = [];
      for (const sub of ['data', 'staging']) {
        for (const name of (await readdir(path.join(dir, sub))).sort()) {
          tree.push(`${sub}/${name}:${(await readFile(path.join(dir, sub, name))).toString('base64')}`);
        }
      }
      const key = tree.join('|');
      expect(seen.has(key)).toBe(false);
      seen.add(key);
    }
  });
});
