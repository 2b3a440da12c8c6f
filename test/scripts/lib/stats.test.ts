import { describe, expect, it } from "vitest";
import { mean, percentile, percentiles, recallAtK } from "../../../scripts/lib/stats.js";

describe("statistics shared by eval and bench", () => {
  it("interpolates percentiles between ranks", () => {
    expect(percentile([3, 1, 2, 4], 50)).toBe(2.5);
    expect(percentile([1, 2, 3, 4, 5], 95)).toBeCloseTo(4.8);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
    expect(percentiles([1, 2, 3, 4, 5])).toEqual({ p50Ms: 3, p95Ms: 4.8, p99Ms: 4.96 });
  });

  it("averages, and has no mean of nothing", () => {
    expect(mean([1, 2, 6])).toBe(3);
    expect(mean([])).toBeNaN();
  });

  it("measures recall@k as the share of the exact top k found", () => {
    expect(recallAtK([[1, 2, 3]], [[1, 2, 4]], 3)).toBeCloseTo(2 / 3);
    expect(recallAtK([[1], [5]], [[1], [6]], 1)).toBe(0.5);
    expect(recallAtK([[]], [[]], 10)).toBeNaN();
  });
});
