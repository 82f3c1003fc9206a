import { describe, expect, it } from 'vitest';
import { decodeDetail, METRICS } from '../core/schema.js';
import { CASES } from './cases.js';
import { makeNormaliser } from './normalise.js';
import { caseRows, coverageRows, NATIVE_SUBJECT } from './rows.js';
import type { CaseOutcome, SideResult } from './types.js';
import type { RepoSnapshot } from './snapshot.js';

const EMPTY: RepoSnapshot = { worktrees: {}, refs: {}, stash: [], config: [], remotes: {}, files: {}, errors: [] };

function side(fields: Partial<SideResult>): SideResult {
  return { argv: ['git'], exitCode: 0, stdout: '', stderr: '', durationMs: 5, snapshot: EMPTY, ...fields };
}

const parityCase = CASES.find((c) => c.id === 'push.rejected-non-fast-forward');
if (!parityCase) throw new Error('matrix lost push.rejected-non-fast-forward');

describe('parity rows', () => {
  it('a wrapper killed by the timeout: empty exit code with the reason, and an exit-code mismatch', () => {
    const outcome: CaseOutcome = {
      parityCase,
      native: side({ exitCode: 1 }),
      nativeSignals: ['! [rejected] main -> main (fetch first)'],
      expectationProblems: [],
      comparisons: [
        {
          wrapper: { name: 'slow', template: 'slow git', argv: ['/bin/slow', 'git'], builtIn: false },
          side: side({ exitCode: null, abnormal: 'killed after the 60 s timeout' }),
          exitCodeMatch: false,
          differences: [{ key: 'ref refs/heads/main', native: 'a'.repeat(40), wrapper: undefined }],
          missingSignals: ['! [rejected] main -> main (fetch first)'],
        },
      ],
      normalise: makeNormaliser({ fixtureRoot: '/ws/parity/fx/diverged', sandboxRoot: '/ws/parity' }),
    };
    const rows = caseRows(outcome);
    const get = (subject: string, metric: string) =>
      rows.find((row) => row.subject === subject && row.metric === metric);
    expect(
      rows.every(
        (row) => row.suite === 'parity' && row.scenario === 'push.rejected-non-fast-forward' && row.mode === 'mutating',
      ),
    ).toBe(true);
    expect(get(NATIVE_SUBJECT, METRICS.commandLine)?.detail).toBe('git push');
    expect(get(NATIVE_SUBJECT, METRICS.keySignals)).toMatchObject({
      value: 1,
      detail: '! [rejected] main -> main (fetch first)',
    });
    expect(get('slow', METRICS.exitCodeMatch)).toMatchObject({
      value: 0,
      detail: 'native exit 1, wrapper no exit code (killed after the 60 s timeout)',
    });
    expect(get('slow', METRICS.wrapperExitCode)).toMatchObject({
      value: null,
      detail: 'killed after the 60 s timeout',
    });
    expect(get('slow', METRICS.nativeExitCode)?.value).toBe(1);
    expect(get('slow', METRICS.sideEffectMatch)?.value).toBe(0);
    expect(decodeDetail(METRICS.sideEffectMatch, get('slow', METRICS.sideEffectMatch)?.detail ?? '')).toEqual({
      differences: ['ref refs/heads/main: native aaaaaaaaaa ≠ wrapper (absent)'],
    });
    expect(get('slow', METRICS.stderrSignalMatch)?.value).toBe(0);
    expect(decodeDetail(METRICS.stderrSignalMatch, get('slow', METRICS.stderrSignalMatch)?.detail ?? '')).toEqual({
      missing: ['! [rejected] main -> main (fetch first)'],
    });
  });

  it('coverage rows say how much of the matrix ran and how it was chosen', () => {
    expect(coverageRows(3, 'quick', 'push').map((row) => [row.metric, row.value, row.detail])).toEqual([
      [METRICS.casesInMatrix, CASES.length, `${CASES.length} cases in parity/cases.ts`],
      [METRICS.casesRun, 3, '--cases push'],
    ]);
  });
});
