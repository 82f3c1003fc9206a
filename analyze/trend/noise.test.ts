import { describe, expect, it } from 'vitest';
import { syntheticRun } from '../../test/fixtures/trend/synthetic.js';
import { DEFAULT_POLICIES } from '../regression/policy.js';
import { noiseFigures } from './noise.js';

const p50 = DEFAULT_POLICIES.find((policy) => policy.metric === 'latency_p50_ms')!;

describe('noiseFigures', () => {
  it('gives the sample CV within runs and the p50 CV across the input’s runs', () => {
    const rows = [1, 1.1, 0.9].flatMap((level, i) =>
      syntheticRun({
        runId: `20260301T00000${i}Z-run00${i}`,
        seed: 50 + i,
        series: [{ subject: 'w', median: 2, sigma: 0.02, samples: 200 }],
        runFactor: level,
      }),
    );
    const [figure] = noiseFigures(rows, p50);
    expect(figure).toMatchObject({ label: 'write · w · durable · 1 KiB', samples: 600, runs: 3 });
    expect(figure!.withinRunCv).toBeGreaterThan(0.015);
    expect(figure!.withinRunCv).toBeLessThan(0.025);
    // p50s of about 2, 2.2 and 1.8: a CV of 0.1.
    expect(figure!.runToRunCv).toBeCloseTo(0.1, 1);
  });

  it('has no run-to-run figure below three runs, and nothing for a correctness policy', () => {
    const rows = syntheticRun({
      runId: '20260301T000000Z-run000',
      seed: 1,
      series: [{ subject: 'w', median: 2, samples: 50 }],
    });
    expect(noiseFigures(rows, p50)[0]!.runToRunCv).toBeNull();
    expect(noiseFigures(rows, DEFAULT_POLICIES.find((policy) => policy.kind === 'correctness')!)).toEqual([]);
  });
});
