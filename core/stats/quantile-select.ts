/**
 * Type-7 quantile (descriptive.ts `percentile`) by selection instead of sorting: the bootstrap takes
 * thousands of quantiles of resamples, and selection is O(n). Reorders `values` in place.
 */
export function quantileInPlace(values: Float64Array, length: number, p: number): number {
  if (length === 0) return Number.NaN;
  const rank = (p / 100) * (length - 1);
  const lower = Math.floor(rank);
  const lo = select(values, length, lower);
  if (rank === lower) return lo;
  // After selection everything right of `lower` is >= lo; the next order statistic is their minimum.
  let hi = Number.POSITIVE_INFINITY;
  for (let i = lower + 1; i < length; i++) if ((values[i] as number) < hi) hi = values[i] as number;
  return lo + (hi - lo) * (rank - lower);
}

/** Hoare-style quickselect with median-of-three pivots: leaves the k-th smallest at index k. */
function select(a: Float64Array, length: number, k: number): number {
  let left = 0;
  let right = length - 1;
  while (right > left) {
    const mid = (left + right) >>> 1;
    const pivot = medianOfThree(a[left] as number, a[mid] as number, a[right] as number);
    let i = left;
    let j = right;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        const t = a[i] as number;
        a[i] = a[j] as number;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return a[k] as number;
  }
  return a[k] as number;
}

function medianOfThree(a: number, b: number, c: number): number {
  if (a < b) return b < c ? b : a < c ? c : a;
  return a < c ? a : b < c ? c : b;
}
