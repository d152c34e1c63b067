/** Order statistics over samples in milliseconds, and the rounding every reported figure gets. */

/** Nearest-rank percentile (p in 0..100) of unsorted samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

export function median(samples: readonly number[]): number {
  return percentile(samples, 50);
}

/** Three decimals: microseconds when the unit is ms, kilobytes when it is MB. */
export function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

export function ratio(measured: number, baseline: number): number {
  return round(measured / baseline);
}

/** Least-squares slope of `values` against `timesS` (seconds), per minute; 0 with fewer than two points. */
export function slopePerMinute(timesS: readonly number[], values: readonly number[]): number {
  const n = Math.min(timesS.length, values.length);
  if (n < 2) return 0;
  const xs = timesS.slice(0, n).map((t) => t / 60);
  const ys = values.slice(0, n);
  const [mx, my] = [xs.reduce((a, b) => a + b, 0) / n, ys.reduce((a, b) => a + b, 0) / n];
  let [num, den] = [0, 0];
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}
