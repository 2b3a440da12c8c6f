import { describe, expect, it } from "vitest";
import { Random } from "../../../scripts/lib/bench/random.js";
import { BM25_DEFAULTS, type LexicalHit, LexicalIndex } from "../../../src/index/bm25/lexical-index.js";

/** BM25 the plain way (a Map of scores), as the index computed it before its postings were typed arrays. */
function referenceSearch(
  documents: readonly (readonly string[])[],
  query: readonly string[],
  k: number,
  weights?: ReadonlyMap<string, number>,
): LexicalHit[] {
  const postings = new Map<string, { doc: number; tf: number }[]>();
  let total = 0;
  documents.forEach((tokens, doc) => {
    total += tokens.length;
    const counts = new Map<string, number>();
    for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
    for (const [term, tf] of counts) postings.set(term, [...(postings.get(term) ?? []), { doc, tf }]);
  });
  const avg = documents.length > 0 ? total / documents.length : 0;
  const { k1, b } = BM25_DEFAULTS;
  const scores = new Map<number, number>();
  for (const term of new Set(query)) {
    const list = postings.get(term);
    if (!list) continue;
    const df = list.length;
    const idf = Math.log(1 + (documents.length - df + 0.5) / (df + 0.5)) * (weights?.get(term) ?? 1);
    for (const { doc, tf } of list) {
      const norm = tf + k1 * (1 - b + (b * (documents[doc]?.length ?? 0)) / (avg || 1));
      scores.set(doc, (scores.get(doc) ?? 0) + (idf * tf * (k1 + 1)) / norm);
    }
  }
  return [...scores]
    .map(([index, score]) => ({ index, score }))
    .sort((x, y) => y.score - x.score || x.index - y.index)
    .slice(0, k);
}

function randomDocuments(random: Random, count: number, vocabulary: number): string[][] {
  return Array.from({ length: count }, () =>
    Array.from({ length: random.int(0, 30) }, () => `w${Math.floor(random.next() ** 2 * vocabulary)}`),
  );
}

describe("LexicalIndex", () => {
  const random = new Random(42);
  const documents = randomDocuments(random, 400, 300);
  const index = new LexicalIndex(documents);

  it("ranks exactly as plain BM25 does, ties broken by position", () => {
    for (let q = 0; q < 200; q++) {
      const query = Array.from({ length: random.int(1, 6) }, () => `w${random.int(0, 320)}`);
      const weights = new Map(query.map((t) => [t, random.chance(0.5) ? 1 : 0.8]));
      expect(index.search(query, 20, weights)).toEqual(referenceSearch(documents, query, 20, weights));
    }
  });

  it("answers vocabulary, document frequency and idf", () => {
    const df = documents.filter((d) => d.includes("w0")).length;
    expect(index.documentFrequency("w0")).toBe(df);
    expect(index.has("w0")).toBe(true);
    expect(index.has("nope")).toBe(false);
    expect(index.idf("nope")).toBeCloseTo(Math.log(1 + (400 + 0.5) / 0.5));
    expect(new Set(index.vocabulary())).toEqual(new Set(documents.flat()));
  });

  it("survives serialisation byte for byte, and refuses damaged bytes", () => {
    const bytes = index.serialize();
    const back = LexicalIndex.deserialize(bytes);
    expect(back.serialize().equals(bytes)).toBe(true);
    expect(back.search(["w1", "w2"], 10)).toEqual(index.search(["w1", "w2"], 10));
    expect(() => LexicalIndex.deserialize(bytes.subarray(0, bytes.length - 4))).toThrow();
    const bad = Buffer.from(bytes);
    bad.writeUInt32LE(0, 0);
    expect(() => LexicalIndex.deserialize(bad)).toThrow();
  });

  it("derives the index of a changed collection equal, to the byte, to building it afresh", () => {
    // Drop every third document, keep the rest in a shuffled order, add new ones in between.
    const next: string[][] = [];
    const keep = new Int32Array(documents.length).fill(-1);
    const added = new Map<number, string[]>();
    const fresh = randomDocuments(random, 60, 400);
    documents.forEach((doc, old) => {
      if (old % 3 === 0) return;
      if (old % 7 === 0) {
        const extra = fresh.pop() ?? [];
        added.set(next.length, extra);
        next.push(extra);
      }
      keep[old] = next.length;
      next.push(doc);
    });
    const derived = LexicalIndex.derive(index, keep, next.length, added);
    expect(derived.serialize().equals(new LexicalIndex(next).serialize())).toBe(true);
    expect(derived.search(["w3", "w5"], 10)).toEqual(referenceSearch(next, ["w3", "w5"], 10));
  });

  it("derives it equally when kept documents change order (an article renamed) or everything is new", () => {
    // Kept documents in reverse order, with new ones at both ends.
    const fresh = randomDocuments(random, 20, 400);
    const kept = documents
      .map((doc, old) => ({ doc, old }))
      .filter(({ old }) => old % 5 !== 0)
      .reverse();
    const next: string[][] = [fresh[0] ?? [], ...kept.map((k) => k.doc), fresh[1] ?? []];
    const keep = new Int32Array(documents.length).fill(-1);
    kept.forEach(({ old }, i) => {
      keep[old] = i + 1;
    });
    const added = new Map<number, string[]>([
      [0, fresh[0] ?? []],
      [next.length - 1, fresh[1] ?? []],
    ]);
    const derived = LexicalIndex.derive(index, keep, next.length, added);
    expect(derived.serialize().equals(new LexicalIndex(next).serialize())).toBe(true);

    const none = new Int32Array(documents.length).fill(-1);
    const all = new Map(fresh.map((doc, i) => [i, doc]));
    expect(
      LexicalIndex.derive(index, none, fresh.length, all).serialize().equals(new LexicalIndex(fresh).serialize()),
    ).toBe(true);
  });

  it("throws on postings that point outside the index instead of scoring a silent zero", () => {
    const postings = (docs: number[], lengths: number[]) => ({
      terms: ["a"],
      offsets: Uint32Array.of(0, docs.length),
      docs: Uint32Array.from(docs),
      tfs: Uint32Array.from(docs, () => 1),
      lengths: Uint32Array.from(lengths),
    });
    expect(new LexicalIndex(postings([0, 1], [1, 1])).search(["a"], 5)).toHaveLength(2);
    expect(() => new LexicalIndex(postings([0, 5], [1, 1])).search(["a"], 5)).toThrow(RangeError);
    const short = { ...postings([0, 1], [1, 1]), tfs: Uint32Array.of(1) };
    expect(() => new LexicalIndex(short).search(["a"], 5)).toThrow(/posting 1 is outside/);
  });

  it("handles an empty collection", () => {
    const empty = new LexicalIndex([]);
    expect(empty.search(["a"], 5)).toEqual([]);
    expect(LexicalIndex.deserialize(empty.serialize()).size).toBe(0);
  });
});
