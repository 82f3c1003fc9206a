import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rowsToCsv } from '../../core/csv.js';
import { BORDERLINE_ROUND_SHIFTS, syntheticRun } from '../../test/fixtures/trend/synthetic.js';
import { useCliHarness } from '../../test/support/cli-harness.js';
import { main } from '../main.js';
import { PROBE } from '../../analyze/regression/validation-report.js';

const cli = useCliHarness({ prefix: 'wg-vg-' });

describe('validate-gate bad input', () => {
  for (const [args, message] of [
    [['--effect', '0'], /--effect: a fraction like 0\.25/],
    [['--effect', 'lots'], /--effect/],
    [['-k', '0'], /--comparisons: at least 1/],
    [['--rounds', 'x'], /--rounds: expected a whole number/],
    [['--rounds', '1'], /--rounds: at least 2 \(with one run per arm the gate judges no timing change/],
    [['--samples', '3'], /--samples: at least 5/],
    [['--mode', 'sideways'], /--mode: expected durable, fast, unchanged/],
    [['--size', 'big'], /--size: not a size/],
    [['--inject', 'sleep'], /--inject/],
    [['--multiplicity', 'holm'], /--multiplicity/],
  ] as const) {
    it(`${args.join(' ')} → exit 2, one line, nothing written`, async () => {
      const out = path.join(cli.dir, 'out');
      expect(await main(['validate-gate', ...args, '--out', out])).toBe(2);
      expect(cli.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(cli.stderr).toMatch(message);
      expect(fs.existsSync(out)).toBe(false);
    });
  }
});

describe('validate-gate --rescore', () => {
  // One kept comparison of 20 interleaved rounds: floor and reference unchanged, the probe's slowed arm
  // exp(d[i]) × base in round i, +15% in the middle but spread so that a 95% paired interval clears 1
  // and the family's 99.1% one (six gated timing series) does not.
  const d = BORDERLINE_ROUND_SHIFTS;
  function keptRuns(dir: string): void {
    fs.mkdirSync(path.join(dir, 'runs'), { recursive: true });
    const arm = (name: string, offset: number, probe: (i: number) => number) =>
      d.flatMap((_, i) =>
        syntheticRun({
          runId: `20260301T${String(i).padStart(2, '0')}${String(offset).padStart(2, '0')}00Z-${name}${i}`,
          seed: offset * 100 + i,
          series: [
            { subject: 'floor', median: 0.8, sigma: 0.01, samples: 40 },
            { subject: 'reference', median: 0.9, sigma: 0.01, samples: 40 },
            { subject: PROBE, median: probe(i), sigma: 0.01, samples: 40 },
          ],
        }),
      );
    const arms = {
      base: arm('base', 0, () => 1),
      again: arm('again', 20, () => 1),
      slowed: arm('slowed', 40, (i) => Math.exp(d[i]!)),
    };
    for (const [name, rows] of Object.entries(arms))
      fs.writeFileSync(path.join(dir, 'runs', `c001-${name}.csv`), rowsToCsv(rows));
    const settings = {
      subject: 'reference',
      sizeBytes: 1024,
      mode: 'durable',
      rounds: 1,
      runsPerArm: 20,
      effect: 0.15,
      inject: 'spin',
      samples: 40,
    };
    fs.writeFileSync(
      path.join(dir, 'validate-gate.json'),
      JSON.stringify({
        command: 'writegate validate-gate -k 1',
        settings,
        injected: 'synthetic',
        calibrated_p50_ms: 1,
        machine_class: 'synthetic',
        load_start: [0, 0, 0],
        load_end: [0, 0, 0],
        minutes: 0,
      }),
    );
  }

  it('judges kept runs by the family rule, and with --multiplicity none by each series alone', async () => {
    const kept = path.join(cli.dir, 'kept');
    keptRuns(kept);
    const scored = async (extra: string[]) => {
      const out = path.join(cli.dir, `out-${extra.join('') || 'default'}`);
      const code = await main(['validate-gate', '--rescore', kept, '--out', out, ...extra]);
      return { code, report: fs.readFileSync(path.join(out, 'validate-gate.md'), 'utf8') };
    };
    const family = await scored([]);
    expect(family.report).toMatch(/Detections of the slowed probe \(p50\) \| \*\*0 \/ 1\*\*/);
    expect(family.code).toBe(1);
    const alone = await scored(['--multiplicity', 'none']);
    expect(alone.report).toMatch(/Detections of the slowed probe \(p50\) \| \*\*1 \/ 1\*\*/);
    expect(alone.report).toMatch(/re-scored with --rescore .*kept --multiplicity none\)/);
    expect(alone.report).toMatch(/A\/A comparisons the gate failed \| \*\*0 \/ 1\*\*/);
    expect(alone.code).toBe(0);
  });
});
