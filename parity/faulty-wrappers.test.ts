import { describe, expect, it } from 'vitest';
import { decodeDetail, METRICS, type ResultRow } from '../core/schema.js';
import { FAULTY_WRAPPERS, parityContext } from '../test/fixtures/parity/context.js';
import { CASES } from './cases.js';
import { parseOptions } from '../core/suite-options.js';
import { parityOptionsSchema } from './options.js';
import { planParity } from './plan.js';
import { NATIVE_SUBJECT } from './rows.js';
import { runParity } from './runner.js';

const MATCH_METRICS = [METRICS.exitCodeMatch, METRICS.sideEffectMatch, METRICS.stderrSignalMatch];

/** Metrics on which `subject` mismatched at least once. */
function caughtBy(rows: readonly ResultRow[], subject: string): string[] {
  return MATCH_METRICS.filter((metric) =>
    rows.some((row) => row.subject === subject && row.metric === metric && row.value === 0),
  );
}

describe('faulty wrappers are each caught by exactly the metric that names their fault', () => {
  it('passthrough 100%; exit-zero → exit codes; drops-messages → signals; add-tracked-only → side effects', async () => {
    const ctx = parityContext({
      config: {
        wrappers: {
          'exit-zero': `${FAULTY_WRAPPERS.exitZero} git`,
          'drops-messages': `${FAULTY_WRAPPERS.dropsMessages} git`,
          'add-tracked-only': `${FAULTY_WRAPPERS.addTrackedOnly} git`,
        },
      },
    });
    try {
      await runParity(
        ctx,
        planParity(
          ctx,
          parseOptions(parityOptionsSchema, {
            cases:
              'add.all,add.dot,add.update,commit.staged,commit.nothing-to-commit,push.rejected-non-fast-forward,stash.pop-empty,branch.delete-unmerged',
          }),
        ),
      );
    } finally {
      await ctx.workspace.dispose();
    }
    const rows = ctx.sink.rows;
    expect(rows.filter((row) => row.metric === METRICS.nativeAsExpected).every((row) => row.value === 1)).toBe(true);
    expect(caughtBy(rows, 'passthrough')).toEqual([]);
    expect(caughtBy(rows, 'exit-zero')).toEqual([METRICS.exitCodeMatch]);
    expect(caughtBy(rows, 'drops-messages')).toEqual([METRICS.stderrSignalMatch]);
    expect(caughtBy(rows, 'add-tracked-only')).toEqual([METRICS.sideEffectMatch]);

    const row = (subject: string, scenario: string, metric: string) =>
      rows.find((r) => r.subject === subject && r.scenario === scenario && r.metric === metric);
    // The details say what differed, for the report.
    expect(row('exit-zero', 'commit.nothing-to-commit', METRICS.exitCodeMatch)?.detail).toBe(
      'native exit 1, wrapper exit 0',
    );
    expect(row('exit-zero', 'commit.nothing-to-commit', METRICS.wrapperExitCode)?.value).toBe(0);
    expect(row('exit-zero', 'commit.nothing-to-commit', METRICS.nativeExitCode)?.value).toBe(1);
    expect(
      decodeDetail(
        METRICS.stderrSignalMatch,
        row('drops-messages', 'push.rejected-non-fast-forward', METRICS.stderrSignalMatch)?.detail ?? '',
      )?.missing,
    ).toContainEqual(expect.stringMatching(/\[rejected\] main -> main/));
    expect(
      decodeDetail(METRICS.sideEffectMatch, row('add-tracked-only', 'add.all', METRICS.sideEffectMatch)?.detail ?? '')
        ?.differences,
    ).toContainEqual(expect.stringMatching(/^index <fixture>\/work new\.txt: native 100644 \w+ ≠ wrapper \(absent\)$/));
    // Successes stay matches for everyone: a fault shows only where it bites.
    for (const subject of ['exit-zero', 'drops-messages', 'add-tracked-only']) {
      expect(MATCH_METRICS.map((metric) => row(subject, 'commit.staged', metric)?.value)).toEqual([1, 1, 1]);
    }
    expect(row(NATIVE_SUBJECT, 'push.rejected-non-fast-forward', METRICS.keySignals)?.value).toBeGreaterThan(0);
  });
});

describe('the full matrix', () => {
  it('native git does what every case says, and the passthrough matches it on every case and metric', async () => {
    const ctx = parityContext({ profile: 'full' });
    try {
      await runParity(ctx, planParity(ctx, parseOptions(parityOptionsSchema, {})));
    } finally {
      await ctx.workspace.dispose();
    }
    const rows = ctx.sink.rows;
    const unexpected = rows
      .filter((row) => row.metric === METRICS.nativeAsExpected && row.value !== 1)
      .map((row) => `${row.scenario}: ${row.detail}`);
    expect(unexpected).toEqual([]);
    const mismatches = rows
      .filter((row) => MATCH_METRICS.includes(row.metric as never) && row.value !== 1)
      .map((row) => `${row.scenario} ${row.metric}: ${row.detail}`);
    expect(mismatches).toEqual([]);
    expect(
      new Set(
        rows
          .filter((row) => row.subject === 'passthrough' && row.metric === METRICS.exitCodeMatch)
          .map((row) => row.scenario),
      ).size,
    ).toBe(CASES.length);
  }, 240_000);
});
