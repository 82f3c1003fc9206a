/**
 * The commit point of `compare`: signalled right as its last round ends, aimed by the progress line that
 * precedes the commit, it either exits 130/143 with --out byte for byte as it was, or — the signal
 * came after the commit — finishes with --out complete. Never half of a new set beside an old one.
 */
import path from 'node:path';
import { packageRoot } from '../core/self-script.js';
import { describe, expect, it } from 'vitest';
import { snapshot, useInterruptHarness } from '../test/support/interrupt-harness.js';

const harness = useInterruptHarness('wg-commit-');
const writegate: typeof harness.writegate = (...args) => harness.writegate(...args);
const workspaces = () => harness.workspaces();
const TRIES = 10;

describe('the commit point: after a signal --out is as it was, or complete', () => {
  it(`compare, signalled as its last round ends (${TRIES} tries): rounds, report ` +
    `and trend.json change together or not at all`, async () => {
    // A Python writer: it starts in a third of Node's time, and the runs, not the writer, are what is tested.
    const writer = `w=/usr/bin/python3 ${path.join(packageRoot, 'test/fixtures/crash/correct-writer.py')} {source} {target}`;
    const out = path.join(harness.dir, 'out');
    const compare = [
      'compare',
      '--base',
      writer,
      '--head',
      writer,
      '--sizes',
      '1KiB',
      '--modes',
      'durable',
      '--max-rounds',
      '2',
      '--samples',
      '5',
      '--allow-inconclusive',
      '--out',
      out,
    ];
    const first = await writegate(compare, 'SIGINT', () => false);
    expect([0, 1]).toContain(first.code);
    for (let i = 0; i < TRIES; i++) {
      const before = snapshot(out);
      const ended = await writegate(compare, i % 2 ? 'SIGTERM' : 'SIGINT', (stderr) => stderr.includes('round 2/2'));
      const after = snapshot(out);
      if (ended.code === 130 || ended.code === 143) expect(after).toEqual(before);
      else {
        expect([0, 1]).toContain(ended.code);
        // Complete: every file of the set was rewritten by this run.
        for (const file of ['RESULTS.md', 'trend.json', 'rounds/round-01-base.csv', 'rounds/round-02-head.csv'])
          expect(after[file], file).not.toBe(before[file]);
      }
      expect(workspaces()).toEqual([]);
    }
  }, 600_000);
});
