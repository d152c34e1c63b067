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

/** Least-squares slope of evenly spaced samples over `seconds`, per minute. */
export function slopePerMinute(samples: readonly number[], seconds: number): number {
  const n = samples.length;
  if (n < 2) return 0;
  const xs = samples.map((_, i) => ((i + 1) * seconds) / n / 60);
  const [mx, my] = [xs.reduce((a, b) => a + b, 0) / n, samples.reduce((a, b) => a + b, 0) / n];
  let [num, den] = [0, 0];
  samples.forEach((y, i) => {
    num += (xs[i]! - mx) * (y - my);
    den += (xs[i]! - mx) ** 2;
  });
  return num / den;
}
