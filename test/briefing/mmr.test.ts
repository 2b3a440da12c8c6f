import { describe, expect, it } from "vitest";
import { selectByMmr } from "../../src/briefing/mmr.js";

/** Similarity from a symmetric table of pairs ("0-1": 0.9); unlisted pairs are 0. */
function table(pairs: Record<string, number>): (i: number, j: number) => number {
  return (i, j) => pairs[`${Math.min(i, j)}-${Math.max(i, j)}`] ?? 0;
}

const options = { lambda: 0.7, maxSimilarity: 0.6 };

describe("selectByMmr", () => {
  it("picks the most relevant candidate first, then by relevance when nothing repeats", () => {
    expect(selectByMmr([0.2, 0.9, 0.5, 0.7], 4, table({}), options)).toEqual([1, 3, 2, 0]);
  });

  it("never picks a near-duplicate of a chosen candidate", () => {
    // 1 says what 0 says (0.8 ≥ maxSimilarity): it is left out even though it is the second most relevant.
    expect(selectByMmr([1, 0.9, 0.3], 3, table({ "0-1": 0.8 }), options)).toEqual([0, 2]);
  });

  it("prefers a less relevant candidate that says something new over one that partly repeats", () => {
    // 1 overlaps 0 by 0.5 (below the cut-off): 0.7·0.9 − 0.3·0.5 = 0.48 loses to 0.7·0.8 − 0 = 0.56.
    expect(selectByMmr([1, 0.9, 0.8], 2, table({ "0-1": 0.5 }), options)).toEqual([0, 2]);
    // Relevance is scaled to the best candidate's, so its units do not matter.
    expect(selectByMmr([10, 9, 8], 2, table({ "0-1": 0.5 }), options)).toEqual([0, 2]);
  });

  it("weighs repetition by lambda: with lambda 1 only relevance counts", () => {
    expect(selectByMmr([1, 0.9, 0.8], 2, table({ "0-1": 0.5 }), { lambda: 1, maxSimilarity: 0.6 })).toEqual([0, 1]);
  });

  it("honours k, and returns fewer when fewer candidates are relevant", () => {
    expect(selectByMmr([0.5, 0.4, 0.3, 0.2], 2, table({}), options)).toEqual([0, 1]);
    expect(selectByMmr([0.5, 0, 0.3, 0], 4, table({}), options)).toEqual([0, 2]);
    expect(selectByMmr([0.5, 0.4], 0, table({}), options)).toEqual([]);
  });

  it("chooses nothing when no candidate is relevant", () => {
    expect(selectByMmr([0, 0, 0], 3, table({}), options)).toEqual([]);
    expect(selectByMmr([], 3, table({}), options)).toEqual([]);
  });

  it("measures repetition against the closest chosen candidate, not the last one", () => {
    // After 0 and 1, candidate 2 is 0.5 like 0 and unlike 1; candidate 3 is new but less relevant.
    const similarity = table({ "0-2": 0.5 });
    expect(selectByMmr([1, 0.95, 0.9, 0.75], 3, similarity, options)).toEqual([0, 1, 3]);
  });
});
