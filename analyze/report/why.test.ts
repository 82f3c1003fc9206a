import { describe, expect, it } from 'vitest';
import { METRICS } from '../../core/schema.js';
import { BENCH_GATES } from '../gates/bench.js';
import { CRASH_GATES } from '../gates/crash.js';
import { HOOK_GATES } from '../gates/hook.js';
import { PARITY_GATES } from '../gates/parity.js';
import { evaluateGate } from '../gates/evaluate.js';
import type { Figure, GateResult, GateSpec } from '../types.js';
import { whyBlock, whyLines } from './why.js';

const KIB = 1024;
/** A regression-rule gate: its instances carry no subject. */
const REGRESSION_GATE_ID_FOR_TEST = 'bench.no_regression.latency_p50_ms';
const MIB8 = 8 * 1024 * 1024;

const spec = (id: string): GateSpec =>
  [...CRASH_GATES, ...BENCH_GATES, ...PARITY_GATES, ...HOOK_GATES].find((gate) => gate.id === id) as GateSpec;

function crash(subject: string, scenario: string, metric: string, value: number, more: Partial<Figure> = {}): Figure {
  return { scenario, subject, mode: 'durable', size_bytes: MIB8, metric, value, ...more };
}

function p50(subject: string, size: number, ms: number): Figure {
  return { scenario: 'write', subject, mode: 'durable', size_bytes: size, metric: METRICS.latencyP50, value: ms };
}

/** Every gate of these ids over the figures, as the analyzer evaluates them. */
function judge(ids: readonly string[], figures: readonly Figure[]): GateResult[] {
  return ids.flatMap((id) => evaluateGate(spec(id), figures));
}

const FIGURES: Figure[] = [
  // steno: loses a reported write and leaves temps; its trace says why.
  crash('steno', 'power_loss', METRICS.powerlossDurabilityViolationRate, 23 / 24, {
    cause: 'its trace shows no fsync of the directory after the rename',
  }),
  crash('steno', 'inject_error', METRICS.orphanTempRate, 0.8),
  crash('steno', 'concurrent', METRICS.falseSuccessRate, 1, { size_bytes: 128 * KIB }),
  // slowpoke: only slow, at two sizes.
  p50('reference', KIB, 1),
  p50('reference', 128 * KIB, 2),
  p50('slowpoke', KIB, 2.98),
  p50('slowpoke', 128 * KIB, 2.6),
  // good: passes everything it is judged on.
  crash('good', 'power_loss', METRICS.powerlossDurabilityViolationRate, 0),
  crash('good', 'inject_error', METRICS.orphanTempRate, 0),
  p50('good', KIB, 1.1),
  p50('good', 128 * KIB, 2.1),
];
const IDS = ['bench.durable_vs_reference', 'crash.orphan_temp', 'crash.false_success', 'crash.powerloss_durability'];

describe('why-lines', () => {
  it('give every failing subject exactly one line and a passing one none, built from the failing gates', () => {
    const gates = judge(IDS, FIGURES);
    const lines = whyLines(gates);
    const failingSubjects = [...new Set(gates.filter((gate) => gate.status === 'fail').map((gate) => gate.subject))];
    expect(lines.map((line) => line.subject).sort()).toEqual([...failingSubjects].sort());
    expect(lines.map((line) => line.subject)).not.toContain('good');
    // Each line names exactly its subject's failing gates.
    for (const line of lines) {
      const failed = new Set(
        gates.filter((gate) => gate.status === 'fail' && gate.subject === line.subject).map((gate) => gate.id),
      );
      expect(new Set(line.gates)).toEqual(failed);
    }
  });

  it('name the most serious failure first: data loss, then false success, then leftover temps, then speed', () => {
    const lines = whyLines(judge(IDS, FIGURES));
    const steno = lines.find((line) => line.subject === 'steno');
    expect(steno?.gates).toEqual(['crash.powerloss_durability', 'crash.false_success', 'crash.orphan_temp']);
    expect(steno?.markdown).toBe(
      '- `steno`: can lose a reported write on power loss (in 96% of crash states ' +
        'at 8 MiB) — its trace shows no fsync of the directory after the rename; ' +
        'also can report success for a write that failed (concurrent at 128 KiB); ' +
        'leaves temp files behind after a failed write (inject_error at 8 MiB).',
    );
    // The subject losing data leads the block; the one only slow comes after.
    expect(lines.map((line) => line.subject)).toEqual(['steno', 'slowpoke']);
    expect(lines[1]?.markdown).toBe(
      '- `slowpoke`: slower than the reference when durable (2.98× at 1 KiB, 1.30× at 128 KiB).',
    );
  });

  it('count a match rate that must reach 100% by what it misses, and a violation rate by what it hits', () => {
    const rate = (subject: string, scenario: string, mode: string, metric: string, value: number): Figure => ({
      scenario,
      subject,
      mode,
      size_bytes: null,
      metric,
      value,
    });
    const gates = judge(
      ['parity.exit_code_match', 'hook.mutating_rewrite'],
      [
        rate('mytool', '(matrix)', '', METRICS.exitCodeMatchRate, 0.92),
        rate('myhook', 'policy', 'default', METRICS.mutatingRewriteRate, 0.05),
      ],
    );
    expect(whyLines(gates).map((line) => line.markdown)).toEqual([
      '- `mytool`: exits differently from git (in 8% of cases).',
      '- `myhook`: rewrites commands that change things, by default (in 5% of cases).',
    ]);
  });

  it('show the input inert, and nothing when nothing fails', () => {
    const hostile = '<b>@team</b> `x`';
    const gates = judge(['crash.orphan_temp'], [crash(hostile, 'inject_error', METRICS.orphanTempRate, 0.5)]);
    expect(whyLines(gates)[0]?.markdown.startsWith('- `` <b>@team</b> `x` ``: leaves temp files')).toBe(true);
    expect(
      whyBlock(
        judge(
          IDS,
          FIGURES.filter((figure) => figure.subject !== 'steno' && figure.subject !== 'slowpoke'),
        ),
      ),
    ).toBe('');
  });

  it('give a failure --require-judged made of a gate it could not judge its reason, after every judged failure', () => {
    const gates = judge(
      ['crash.powerloss_durability', 'crash.orphan_temp'],
      [
        {
          ...crash('uring', 'power_loss', METRICS.powerlossDurabilityViolationRate, 0),
          value: null,
          notJudged: 'its I/O goes through io_uring',
        },
        crash('uring', 'inject_error', METRICS.orphanTempRate, 1),
      ],
    ).map((gate): GateResult => (gate.status === 'not_judged' ? { ...gate, status: 'fail' } : gate));
    const [line] = whyLines(gates);
    expect(line?.gates).toEqual(['crash.orphan_temp', 'crash.powerloss_durability']);
    expect(line?.markdown).toContain(
      '; also could not be judged, which --require-judged counts as a failure ' +
        '(at 8 MiB): `its I/O goes through io_uring`.',
    );
  });

  it('give a failing gate without a subject (the regression rule) a line of its own', () => {
    const wide: GateResult = {
      ...(judge(['crash.orphan_temp'], [crash('w', 'inject_error', METRICS.orphanTempRate, 1)])[0] as GateResult),
      id: REGRESSION_GATE_ID_FOR_TEST,
      subject: undefined,
      title: 'no p50 regression',
      instance: 'vs base',
      reason: ['regressed: ', { input: 'w · durable +40%' }],
    };
    const lines = whyLines([wide]);
    expect(lines).toEqual([
      {
        gates: [REGRESSION_GATE_ID_FOR_TEST],
        markdown: '- no p50 regression: vs base: regressed: `w · durable +40%`.',
      },
    ]);
  });
});
