/**
 * Mann-Whitney U with the normal approximation, tie correction and continuity correction. Not the
 * gate's test (see bootstrap.ts for why): validate-gate runs it on the same samples so the choice
 * between the two stays a measured one.
 */
export interface MannWhitneyResult {
  /** U of `head` (how often a head sample beats a base sample, ties half). */
  u: number;
  /** z of U against its null mean, continuity-corrected; positive when head tends to be larger. */
  z: number;
  /** One-sided p-value for "head is stochastically larger". */
  pGreater: number;
  pTwoSided: number;
}

export function mannWhitneyU(base: readonly number[], head: readonly number[]): MannWhitneyResult {
  const n1 = base.length;
  const n2 = head.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('mannWhitneyU: an arm has no samples');
  const all = [...base.map((value) => ({ value, head: false })), ...head.map((value) => ({ value, head: true }))].sort((a, b) => a.value - b.value);
  const n = all.length;
  let headRankSum = 0;
  let tieTerm = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && (all[j + 1] as { value: number }).value === (all[i] as { value: number }).value) j++;
    const rank = (i + j) / 2 + 1;
    const ties = j - i + 1;
    tieTerm += ties ** 3 - ties;
    for (let k = i; k <= j; k++) if ((all[k] as { head: boolean }).head) headRankSum += rank;
    i = j + 1;
  }
  const u = headRankSum - (n2 * (n2 + 1)) / 2;
  const meanU = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (variance <= 0) return { u, z: 0, pGreater: 0.5, pTwoSided: 1 };
  const diff = u - meanU;
  const z = diff === 0 ? 0 : (diff - Math.sign(diff) * 0.5) / Math.sqrt(variance);
  const pGreater = 1 - normalCdf(z);
  return { u, z, pGreater, pTwoSided: Math.min(1, 2 * Math.min(pGreater, 1 - pGreater)) };
}

/** Standard normal CDF from erfc. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** Complementary error function, Numerical Recipes `erfcc` (fractional error < 1.2e-7 everywhere). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}
