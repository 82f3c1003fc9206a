import { describe, expect, it } from 'vitest';
import { RowSink } from '../sink.js';
import { decodeDetail, DETAILS, encodeDetail, rowContractProblem } from './details.js';
import { ENV_KEYS, METRICS } from './metrics.js';

describe('the detail contract', () => {
  it('every metric and environment key has a unit and a detail schema', () => {
    const names = [...Object.values(METRICS), ...ENV_KEYS];
    expect(names.filter((name) => !Object.hasOwn(DETAILS, name))).toEqual([]);
    expect(rowContractProblem({ metric: 'made_up_metric', unit: '', detail: '' })).toMatch(/has no detail schema/);
  });

  it('counts travel as numbers and round-trip', () => {
    const text = encodeDetail(METRICS.corruptionRate, { k: 3, n: 4 });
    expect(JSON.parse(text)).toEqual({ k: 3, n: 4 });
    expect(decodeDetail(METRICS.corruptionRate, text)).toEqual({ k: 3, n: 4 });
  });

  it('refuses to encode a value its schema rejects', () => {
    expect(() => encodeDetail(METRICS.corruptionRate, { k: 5, n: 4 })).toThrow(/breaks its schema/);
    expect(() => encodeDetail(METRICS.failedTrial, { step: 'x' } as never)).toThrow(/breaks its schema/);
  });

  it('a writer must use the current form: 1.0.0 text, a wrong unit or a missing detail is a contract problem', () => {
    expect(rowContractProblem({ metric: METRICS.corruptionRate, unit: 'ratio', detail: '3/4' })).toMatch(
      /not its JSON schema/,
    );
    expect(rowContractProblem({ metric: METRICS.corruptionRate, unit: 'ms', detail: '{"k":3,"n":4}' })).toMatch(
      /unit "ms"/,
    );
    expect(rowContractProblem({ metric: METRICS.failedTrial, unit: 'count', detail: '' })).toMatch(/needs a detail/);
    expect(rowContractProblem({ metric: METRICS.stderrSignalMatch, unit: 'bool', detail: '' })).toBeUndefined();
    expect(
      rowContractProblem({ metric: METRICS.corruptionRate, unit: 'ratio', detail: '{"k":3,"n":4}' }),
    ).toBeUndefined();
  });

  it('the sink refuses a row outside the contract, so a suite test catches it', () => {
    const sink = new RowSink('run-1');
    expect(() =>
      sink.add({
        suite: 'crash',
        scenario: 'kill_at_step',
        subject: 'w',
        metric: METRICS.corruptionRate,
        value: 0.75,
        unit: 'ratio',
        detail: '3/4',
      }),
    ).toThrow(/outside the CSV contract/);
    expect(() =>
      sink.add({
        suite: 'crash',
        scenario: 'kill_at_step',
        subject: 'w',
        metric: 'corruption_rat',
        value: 0.75,
        unit: 'ratio',
      }),
    ).toThrow(/no detail schema/);
    sink.add({
      suite: 'crash',
      scenario: 'kill_at_step',
      subject: 'w',
      metric: METRICS.corruptionRate,
      value: 0.75,
      unit: 'ratio',
      detail: encodeDetail(METRICS.corruptionRate, { k: 3, n: 4 }),
    });
    expect(sink.rows).toHaveLength(1);
  });

  it('an empty or unreadable structured detail decodes to nothing; a text detail comes back as written', () => {
    expect(decodeDetail(METRICS.failedTrial, '')).toBeUndefined();
    expect(decodeDetail(METRICS.corruptionRate, 'three of four')).toBeUndefined();
    expect(decodeDetail(METRICS.imageObservation, '{"point":1}')).toBeUndefined();
    expect(decodeDetail(METRICS.skipped, 'k=v; 3/4')).toBe('k=v; 3/4');
  });
});

describe('details as writegate 1.0.0 wrote them stay readable', () => {
  const cases: ReadonlyArray<[string, string, unknown]> = [
    [METRICS.corruptionRate, '3/4', { k: 3, n: 4 }],
    [METRICS.powerlossAtomicityViolationRate, '112/133', { k: 112, n: 133 }],
    [METRICS.imageUnsoundStates, '0/7', { k: 0, n: 7 }],
    [METRICS.mutatingRewriteRate, '1/6 mutating calls', { k: 1, n: 6, of: 'mutating calls' }],
    [METRICS.unknownRewriteRate, 'no unclassified cases ran', { k: 0, n: 0, of: 'unclassified cases' }],
    [METRICS.nativeRetryRate, 'no calls left as they were', { k: 0, n: 0, of: 'calls left as they were' }],
    [
      METRICS.failedTrial,
      'step=write_eio; fault=EIO at write(<target>) in 16779 [write #1 of its ' +
        'thread, counted]; held=old; reported=exit 0; failed=false success, corruption',
      {
        step: 'write_eio',
        fault: 'EIO at write(<target>) in 16779 [write #1 of its thread, counted]',
        held: 'old',
        reported: 'exit 0',
        failed: ['false success', 'corruption'],
      },
    ],
    [
      METRICS.notReachedTrial,
      'step=create_eacces; fault=EACCES; reason=cannot aim: openat(<dir>/x), twice',
      { step: 'create_eacces', fault: 'EACCES', reason: 'cannot aim: openat(<dir>/x), twice' },
    ],
    [
      METRICS.notReachedTrial,
      'before_rename: the writer exited first',
      { step: 'before_rename', reason: 'the writer exited first' },
    ],
    [
      METRICS.notApplicable,
      'rename_exdev: the subject writes the target in place: there is no rename; ' +
        'before_dir_fsync: it never fsyncs the directory; note that',
      [
        { step: 'rename_exdev', reason: 'the subject writes the target in place: there is no rename' },
        { step: 'before_dir_fsync', reason: 'it never fsyncs the directory; note that' },
      ],
    ],
    [
      METRICS.powerlossViolation,
      'check=atomicity; why=crash after openat(target.dat): the target is rewritten in place',
      { check: 'atomicity', why: 'crash after openat(target.dat): the target is rewritten in place' },
    ],
    [
      METRICS.spawnOverhead,
      'estimate: python3 --version startup',
      { method: 'estimate: python3 --version startup', estimated: true },
    ],
    [METRICS.spawnOverhead, 'noop template, median of 20', { method: 'noop template, median of 20', estimated: false }],
    [
      METRICS.sideEffectMatch,
      'ref refs/heads/main: native aaaaaaaaaa ≠ wrapper (absent); file a.txt: native "x" ≠ wrapper "y"',
      {
        differences: [
          'ref refs/heads/main: native aaaaaaaaaa ≠ wrapper (absent)',
          'file a.txt: native "x" ≠ wrapper "y"',
        ],
      },
    ],
    [
      METRICS.stderrSignalMatch,
      'missing: ! [rejected] main -> main (fetch first) | fatal: x',
      { missing: ['! [rejected] main -> main (fetch first)', 'fatal: x'] },
    ],
    [
      METRICS.mutatingRewrite,
      '{"command":"git push","class":"mutating","answers":["mytool git push"],"why":"a ' +
        'mutating command was rewritten"}',
      { command: 'git push', class: 'mutating', answers: ['mytool git push'], why: 'a mutating command was rewritten' },
    ],
    [
      METRICS.auditFile,
      '{"path":"/s/a.jsonl","kind":"transcript","malformed":1}',
      { path: '/s/a.jsonl', kind: 'transcript', malformed: 1 },
    ],
  ];
  it.each(cases)('%s: %s', (metric, text, expected) => {
    expect(decodeDetail(metric as keyof typeof DETAILS, text)).toEqual(expected);
  });
});
