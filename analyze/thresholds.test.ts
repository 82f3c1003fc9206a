import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { BENCH_GATES } from './gates/bench.js';
import { applyThresholds, loadThresholds } from './thresholds.js';

const bad = (name: string) =>
  path.join(path.dirname(fileURLToPath(import.meta.url)), '../test/fixtures/analyze/bad', name);

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('expected an InputError');
}

describe('thresholds file', () => {
  it('overrides a threshold and disables a gate with its reason, leaving the others at the seed defaults', () => {
    const gates = applyThresholds(
      BENCH_GATES,
      loadThresholds(path.join(bad('..'), 'thresholds-relaxed.json')),
      'thresholds-relaxed.json',
    );
    const byId = Object.fromEntries(gates.map((gate) => [gate.id, gate]));
    expect(byId['bench.durable_vs_reference']?.threshold).toBe(1.75);
    expect(byId['bench.durable_vs_reference']?.override?.defaults.threshold).toBe(1.25);
    expect(byId['bench.unchanged_p50']?.disabled).toMatch(/under rework/);
    expect(byId['bench.fast_vs_durable']?.threshold).toBe(0.8);
    expect(byId['bench.fast_vs_durable']?.override).toBeUndefined();
  });

  it("replaces a gate's scope", () => {
    const gates = applyThresholds(BENCH_GATES, {
      gates: { 'bench.unchanged_p50': { excludeSubjects: ['floor', 'mine'], sizes: [1024] } },
    });
    const gate = gates.find((g) => g.id === 'bench.unchanged_p50');
    expect(gate?.selector.excludeSubjects).toEqual(['floor', 'mine']);
    expect(gate?.selector.sizes).toEqual([1024]);
    expect(gate?.selector.mode).toEqual(['unchanged']);
  });

  it.each([
    [
      'thresholds-unknown-key.json',
      /thresholds-unknown-key\.json: unknown key "gates\.bench\.unchanged_p50\.treshold"/,
    ],
    [
      'thresholds-wrong-type.json',
      /thresholds-wrong-type\.json: key "gates\.bench\.durable_vs_reference\.threshold": .*expected number/,
    ],
    [
      'thresholds-no-reason.json',
      /thresholds-no-reason\.json: key "gates\.bench\.fast_vs_durable\.disabled": give the reason/,
    ],
    ['thresholds-not-json.json', /thresholds-not-json\.json: not valid JSON .*line 1/],
    ['missing.json', /missing\.json: cannot read \(ENOENT\)/],
  ])('%s is bad input named by file and key', (name, expected) => {
    const message = messageOf(() => loadThresholds(bad(name)));
    expect(message).toMatch(expected);
    expect(message).not.toContain('\n');
  });

  it('an id that names no gate is bad input, listing the known ones', () => {
    const file = bad('thresholds-unknown-gate.json');
    const message = messageOf(() => applyThresholds(BENCH_GATES, loadThresholds(file), file));
    expect(message).toMatch(
      /key "gates\.bench\.no_such_gate": no such gate; known gates: .*bench\.durable_vs_reference/,
    );
  });
});
