/** A straight line through measured points: y ≈ intercept + slope · x. */
export interface LinearFit {
  readonly intercept: number;
  readonly slope: number;
  /** Share of the variance the line explains (1: every point on it); NaN when y does not vary. */
  readonly r2: number;
}

/**
 * The least-squares line through `points` ([x, y] pairs). Memory grows with the passages
 * held (vectors, graph links, postings, texts) on top of a fixed cost (the runtime, the
 * modules, WordNet): the slope is the first, the intercept the second.
 * Needs two distinct x values; throws otherwise, as no line is determined.
 */
export function linearFit(points: readonly (readonly [number, number])[]): LinearFit {
  const n = points.length;
  const meanX = points.reduce((s, [x]) => s + x, 0) / n;
  const meanY = points.reduce((s, [, y]) => s + y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const [x, y] of points) {
    sxx += (x - meanX) ** 2;
    sxy += (x - meanX) * (y - meanY);
    syy += (y - meanY) ** 2;
  }
  if (n < 2 || sxx === 0) throw new Error("a line needs at least two points with different x");
  const slope = sxy / sxx;
  const intercept = meanY - slope * meanX;
  const residual = points.reduce((s, [x, y]) => s + (y - (intercept + slope * x)) ** 2, 0);
  return { intercept, slope, r2: syy === 0 ? Number.NaN : 1 - residual / syy };
}
