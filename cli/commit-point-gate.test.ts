/**
 * The commit point of `gate`: signalled right as its last suite ends, aimed by the progress line that
 * precedes the commit, it either exits 130/143 with --out byte for byte as it was, or — the signal
 * came after the commit — finishes with --out complete. Never half of a new set beside an old one.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { completeRun, snapshot, useInterruptHarness } from '../test/support/interrupt-harness.js';

const harness = useInterruptHarness('wg-commit-');
const writegate: typeof harness.writegate = (...args) => harness.writegate(...args);
const workspaces = () => harness.workspaces();
const TRIES = 10;

describe('the commit point: after a signal --out is as it was, or complete', () => {
  it(`gate, signalled as its last suite finishes (${TRIES} tries): exit 130 ` +
    `leaves --out byte for byte as it was; a later one finds it complete`, async () => {
    const out = path.join(harness.dir, 'out');
    // One suite: the commit after the last suite is the same whichever suites ran, and a bench-only gate
    // keeps each of the eleven runs to seconds.
    const gate = ['gate', '--suites', 'bench', '--subjects', 'reference', '--sizes', '1KiB', '--out', out];
    const first = await writegate(gate, 'SIGINT', () => false);
    expect([0, 1]).toContain(first.code);
    const outcomes: string[] = [];
    for (let i = 0; i < TRIES; i++) {
      const before = snapshot(out);
      const previous = completeRun(out);
      // bench's strace accounting is the last pass of this gate: its "done" line precedes the analysis and the commit.
      const ended = await writegate(gate, i % 2 ? 'SIGTERM' : 'SIGINT', (stderr) =>
        /bench accounting \(strace\): \d+\/\d+ done/.test(stderr),
      );
      if (ended.code === 130 || ended.code === 143) {
        expect(snapshot(out)).toEqual(before);
        outcomes.push('unchanged');
      } else {
        expect([0, 1]).toContain(ended.code);
        expect(completeRun(out)).not.toBe(previous);
        outcomes.push('complete');
      }
      expect(workspaces()).toEqual([]);
    }
    expect(outcomes).toHaveLength(TRIES);
  }, 600_000);
});
