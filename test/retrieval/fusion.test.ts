import { describe, expect, it } from "vitest";
import { fuseRankings, type Rankings } from "../../src/retrieval/fusion.js";

const none: Rankings = { dense: [], lexical: [], concept: [] };
const dense = (...indexes: number[]) => indexes.map((index, i) => ({ index, similarity: 0.9 - i / 10 }));
const scored = (...indexes: number[]) => indexes.map((index, i) => ({ index, score: 10 - i }));

describe("fuseRankings", () => {
  it("gives each ranking's hit 1/(k + rank), ranks counted from 1", () => {
    const [hit] = fuseRankings({ ...none, lexical: scored(7) }, 60);
    expect(hit?.position).toBe(7);
    expect(hit?.score).toBeCloseTo(1 / 61, 12);
    expect(hit?.lexicalRank).toBe(1);
  });

  it("adds up the scores of a passage that several rankings found", () => {
    const fused = fuseRankings({ dense: dense(3, 1), lexical: scored(1), concept: scored(9, 8, 1) }, 60);
    const one = fused.find((h) => h.position === 1);
    expect(one?.score).toBeCloseTo(1 / 62 + 1 / 61 + 1 / 63, 12);
    expect(one).toMatchObject({ denseRank: 2, lexicalRank: 1, conceptRank: 3 });
  });

  it("ranks a passage found by two rankings above one found first by only one", () => {
    const fused = fuseRankings({ ...none, dense: dense(5, 2), lexical: scored(4, 2) }, 60);
    expect(fused.map((h) => h.position)).toEqual([2, 4, 5]);
  });

  it("keeps each ranking's own score beside its rank, and null where a ranking missed the passage", () => {
    const fused = fuseRankings(
      { ...none, dense: [{ index: 0, similarity: 0.42 }], lexical: [{ index: 1, score: 3.5 }] },
      60,
    );
    expect(fused.find((h) => h.position === 0)).toMatchObject({
      denseSimilarity: 0.42,
      lexicalRank: null,
      lexicalScore: null,
      conceptRank: null,
    });
    expect(fused.find((h) => h.position === 1)).toMatchObject({
      lexicalScore: 3.5,
      denseRank: null,
      denseSimilarity: null,
    });
  });

  it("breaks ties by position, whatever ranking the passages came from", () => {
    const fused = fuseRankings({ dense: dense(6), lexical: scored(2), concept: scored(4) }, 60);
    expect(fused.map((h) => h.position)).toEqual([2, 4, 6]);
  });

  it("lets a larger k flatten the difference between ranks", () => {
    const gap = (k: number) => {
      const [first, second] = fuseRankings({ ...none, lexical: scored(0, 1) }, k);
      return (first?.score ?? 0) / (second?.score ?? 1);
    };
    expect(gap(1)).toBeGreaterThan(gap(60));
    expect(gap(60)).toBeGreaterThan(1);
  });

  it("finds nothing when no ranking found anything", () => {
    expect(fuseRankings(none, 60)).toEqual([]);
  });
});
