/** Latency percentiles, in milliseconds. */
export interface Percentiles {
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
}

/**
 * The p-th percentile (0–100) of `values` by linear interpolation between the two nearest
 * ranks (the definition numpy and spreadsheets use by default). NaN for no values.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (Math.min(100, Math.max(0, p)) / 100) * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  const a = sorted[lo] ?? Number.NaN;
  const b = sorted[hi] ?? Number.NaN;
  return a + (b - a) * (at - lo);
}

/** The arithmetic mean of `values`; NaN for no values. */
export function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
}

/** p50, p95 and p99 of latencies in milliseconds, rounded to microseconds. */
export function percentiles(valuesMs: readonly number[]): Percentiles {
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return { p50Ms: r(percentile(valuesMs, 50)), p95Ms: r(percentile(valuesMs, 95)), p99Ms: r(percentile(valuesMs, 99)) };
}

/**
 * Mean share of the exact top-k that the approximate top-k found, per query (recall@k as ANN
 * benchmarks define it). Queries whose exact list is empty are skipped.
 */
export function recallAtK(
  approximate: readonly (readonly number[])[],
  exact: readonly (readonly number[])[],
  k: number,
): number {
  let sum = 0;
  let n = 0;
  exact.forEach((truth, q) => {
    const top = truth.slice(0, k);
    if (top.length === 0) return;
    const found = new Set((approximate[q] ?? []).slice(0, k));
    sum += top.filter((t) => found.has(t)).length / top.length;
    n++;
  });
  return n > 0 ? sum / n : Number.NaN;
}
