import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import { runIdOfDay, syntheticRun } from '../../test/fixtures/trend/synthetic.js';
import { DEFAULT_POLICIES } from '../regression/policy.js';
import { appendToHistory, classSlug, historyRows, loadHistory, machineClassOf } from './store.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-history-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const CLASS = 'Linux|x64|synthetic cpu|2cpu|ext4';
const series = [{ subject: 'w', median: 2, samples: 30, extra: { content_ok: 1 } }];
const runOn = (day: number, machineClass = CLASS) =>
  syntheticRun({ runId: runIdOfDay(day), seed: day, series, machineClass });

describe('history store', () => {
  it('appends one file per run under its machine class and loads them oldest first', () => {
    for (const day of [3, 1, 2]) appendToHistory(dir, runOn(day), DEFAULT_POLICIES);
    const classDir = path.join(dir, classSlug(CLASS));
    expect(fs.readdirSync(classDir).sort()).toEqual([1, 2, 3].map((day) => `${runIdOfDay(day)}.csv`));
    const loaded = loadHistory(dir, CLASS);
    expect(loaded.map((entry) => entry.id)).toEqual([1, 2, 3].map((day) => runIdOfDay(day)));
    expect(loaded[0]!.time).toBe('2026-03-02T02:00:00Z');
  });

  it('keeps figures, not raw samples: the p50 and p95 from the samples plus the suites’ own per-run rows', () => {
    const rows = historyRows(runOn(1), DEFAULT_POLICIES);
    expect(rows.some((row) => row.sample !== null)).toBe(false);
    const metrics = rows
      .filter((row) => row.suite === 'bench')
      .map((row) => row.metric)
      .sort();
    expect(metrics).toEqual(['content_ok', 'latency_p50_ms', 'latency_p95_ms']);
    expect(rows.find((row) => row.metric === 'latency_p50_ms')!.detail).toBe('from 30 latency_ms samples');
    expect(rows.filter((row) => row.suite === 'env').map((row) => row.metric)).toEqual(['time', 'machine_class']);
  });

  it('is idempotent: appending the same run again rewrites its one entry', () => {
    appendToHistory(dir, runOn(1), DEFAULT_POLICIES);
    const first = fs.readFileSync(path.join(dir, classSlug(CLASS), `${runIdOfDay(1)}.csv`), 'utf8');
    appendToHistory(dir, runOn(1), DEFAULT_POLICIES);
    expect(loadHistory(dir, CLASS)).toHaveLength(1);
    expect(fs.readFileSync(path.join(dir, classSlug(CLASS), `${runIdOfDay(1)}.csv`), 'utf8')).toBe(first);
  });

  it('loads a rolling window without the run being judged, and prunes beyond `keep`', () => {
    for (let day = 0; day < 8; day++) appendToHistory(dir, runOn(day), DEFAULT_POLICIES, 6);
    expect(loadHistory(dir, CLASS).map((e) => e.id)).toEqual([2, 3, 4, 5, 6, 7].map((d) => runIdOfDay(d)));
    expect(loadHistory(dir, CLASS, { window: 3, exclude: runIdOfDay(7) }).map((e) => e.id)).toEqual(
      [4, 5, 6].map((d) => runIdOfDay(d)),
    );
  });

  it('keeps machine classes apart', () => {
    appendToHistory(dir, runOn(1), DEFAULT_POLICIES);
    appendToHistory(dir, runOn(2, 'Linux|arm64|other|4cpu|xfs'), DEFAULT_POLICIES);
    expect(loadHistory(dir, CLASS)).toHaveLength(1);
    expect(loadHistory(dir, 'Linux|arm64|other|4cpu|xfs')).toHaveLength(1);
    expect(loadHistory(dir, 'never seen')).toEqual([]);
    expect(classSlug(CLASS)).toMatch(/^linux-x64-synthetic-cpu-2cpu-ext4-[0-9a-f]{8}$/);
  });

  it('refuses a result set spanning machine classes, and a file filed under the wrong class', () => {
    expect(() =>
      machineClassOf([
        ...runOn(1),
        ...syntheticRun({ runId: runIdOfDay(2, 'bbbbbb'), seed: 2, series, machineClass: 'other' }),
      ]),
    ).toThrow(/2 machine classes/);
    appendToHistory(dir, runOn(1, 'other'), DEFAULT_POLICIES);
    const misfiled = path.join(dir, classSlug(CLASS));
    fs.mkdirSync(misfiled, { recursive: true });
    fs.copyFileSync(
      path.join(dir, classSlug('other'), `${runIdOfDay(1)}.csv`),
      path.join(misfiled, `${runIdOfDay(1)}.csv`),
    );
    expect(() => loadHistory(dir, CLASS)).toThrow(/filed under/);
  });

  it('names a broken history file in an InputError', () => {
    const classDir = path.join(dir, classSlug(CLASS));
    fs.mkdirSync(classDir, { recursive: true });
    fs.writeFileSync(path.join(classDir, `${runIdOfDay(1)}.csv`), 'not,a,results,file\n1,2,3,4\n');
    expect(() => loadHistory(dir, CLASS)).toThrow(InputError);
    expect(() => loadHistory(dir, CLASS)).toThrow(new RegExp(`${runIdOfDay(1)}\\.csv: missing column`));
  });

  it('leaves no temp files behind', () => {
    appendToHistory(dir, runOn(1), DEFAULT_POLICIES);
    expect(fs.readdirSync(path.join(dir, classSlug(CLASS))).filter((name) => name.startsWith('.'))).toEqual([]);
  });
});
