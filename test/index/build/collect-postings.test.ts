import { describe, expect, it } from "vitest";
import type { Passage } from "../../../src/corpus/passage.js";
import { WordNet } from "../../../src/embed/wordnet/wordnet.js";
import { PostingsCollector } from "../../../src/index/build/collect-postings.js";
import { passageOfText } from "../passage-of-text.js";

const before = ["Herons stood in the estuary.", "The harbour froze in January.", "Ships waited for the thaw."].map(
  passageOfText,
);
const after = [before[2], passageOfText("A new lighthouse was lit."), before[0]].filter((p): p is Passage => !!p);

describe("PostingsCollector", () => {
  const concepts = WordNet.open();

  it("merges the added passages into the previous postings as a full collection would hold them", async () => {
    const full = new PostingsCollector(before, concepts, null);
    full.add([2, 0, 1]);
    const previous = await full.finish();
    const merged = new PostingsCollector(after, concepts, { ...previous, keep: Int32Array.of(2, -1, 0) });
    merged.add([1]);
    const fresh = new PostingsCollector(after, concepts, null);
    fresh.add([0, 1, 2]);
    const [a, b] = [await merged.finish(), await fresh.finish()];
    expect(a.lexical.serialize().equals(b.lexical.serialize())).toBe(true);
    expect(a.concepts.serialize().equals(b.concepts.serialize())).toBe(true);
    expect(b.concepts.size).toBe(3);
  });

  it("stores empty concept postings without a concept source", async () => {
    const collector = new PostingsCollector(before, null, null);
    collector.add([0, 1, 2]);
    const { lexical, concepts } = await collector.finish();
    expect(lexical.has("heron")).toBe(true);
    expect([...concepts.vocabulary()]).toEqual([]);
  });
});
