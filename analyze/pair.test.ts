import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { commitResults, RESULTS_CSV, RESULTS_ENV, RowSink } from '../core/sink.js';
import { analyze } from './analyze.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-pair-'));
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterEach(() => {
  vi.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

function commit(profile: string): void {
  const sink = new RowSink();
  sink.add({ suite: 'bench', scenario: 's', subject: 'x', metric: 'latency_ms', value: 1, unit: 'ms' });
  commitResults(dir, ['bench'], sink.rows, { profile });
}

const stderr = () =>
  vi
    .mocked(process.stderr.write)
    .mock.calls.map(([text]) => String(text))
    .join('');

it('analyze flags a results_env.txt that names another run than the CSV, on stderr and in the report', async () => {
  commit('quick');
  const oldEnv = fs.readFileSync(path.join(dir, RESULTS_ENV), 'utf8');
  commit('full');
  fs.writeFileSync(path.join(dir, RESULTS_ENV), oldEnv); // a kill between the two commits
  const outcome = await analyze({
    inputs: [path.join(dir, RESULTS_CSV)],
    outDir: dir,
    json: false,
    githubStepSummary: null,
  });
  expect(stderr()).toMatch(/warning: .*results_env\.txt describes run \S+, not run \S+ that last wrote/);
  // In the report the path and the run ids are the input's: inline code.
  expect(fs.readFileSync(outcome.reportPath, 'utf8')).toMatch(
    /^⚠ `[^`]*results_env\.txt` describes run `[^`]+`, not run `[^`]+` that last wrote `[^`]*results_raw\.csv`;/m,
  );
});

it('says nothing about a consistent pair', async () => {
  commit('quick');
  await analyze({ inputs: [path.join(dir, RESULTS_CSV)], outDir: dir, json: false, githubStepSummary: null });
  expect(stderr()).not.toMatch(/results_env/);
});
