import { describe, expect, it } from "vitest";
import { Random } from "../../../scripts/lib/bench/random.js";
import { LexicalIndex } from "../../../src/index/bm25/lexical-index.js";
import { mergePostings } from "../../../src/index/bm25/merge.js";

function randomDocuments(random: Random, count: number): string[][] {
  return Array.from({ length: count }, () => Array.from({ length: random.int(0, 12) }, () => `t${random.int(0, 40)}`));
}

describe("mergePostings", () => {
  const random = new Random(7);

  it("equals a fresh build of the changed collection, for random removals, moves and additions", () => {
    for (let round = 0; round < 30; round++) {
      const before = randomDocuments(random, random.int(0, 40));
      // Keep a random subset in a random order, with new documents among them.
      const kept = before.map((doc, old) => ({ doc, old })).filter(() => random.chance(0.7));
      kept.sort(() => random.next() - 0.5);
      const after: string[][] = [];
      const keep = new Int32Array(before.length).fill(-1);
      const added = new Map<number, string[]>();
      for (const k of kept) {
        if (random.chance(0.2)) {
          const fresh = randomDocuments(random, 1)[0] ?? [];
          added.set(after.length, fresh);
          after.push(fresh);
        }
        keep[k.old] = after.length;
        after.push(k.doc);
      }
      const merged = mergePostings(new LexicalIndex(before).postings, keep, after.length, added);
      expect(merged).toEqual(new LexicalIndex(after).postings);
    }
  });

  it("throws when `keep` does not cover every old document, or moves one past the new size", () => {
    const previous = new LexicalIndex([["a"], ["b"]]).postings;
    expect(() => mergePostings(previous, Int32Array.of(0), 1, new Map())).toThrow(/keep has 1 entries for 2/);
    expect(() => mergePostings(previous, Int32Array.of(0, 5), 2, new Map())).toThrow(RangeError);
  });

  it("throws when an added document lies outside the new collection", () => {
    const previous = new LexicalIndex([["a"]]).postings;
    expect(() => mergePostings(previous, Int32Array.of(0), 1, new Map([[3, ["b"]]]))).toThrow(RangeError);
  });
});
