import { describe, expect, it } from "vitest";
import { citeSentences, toCitation } from "../../src/answer/citations.js";
import { articlePassages, asRetrieved } from "./hand-made-passages.js";

const [first, second] = asRetrieved(
  articlePassages("visit.md", [
    "---\ntitle: The visit\nurl: https://example.com/visit\n---",
    "Blinken met Wang Yi. They talked for hours.",
    "Fentanyl deaths have tripled.",
  ]),
);
if (!first || !second) throw new Error("the article should split into two passages");

describe("toCitation", () => {
  it("renders a citation from the passage's provenance, quoting the whole passage", () => {
    expect(toCitation(second, 4)).toEqual({
      n: 4,
      id: second.passage.metadata.id,
      source: "visit.md",
      title: "The visit",
      url: "https://example.com/visit",
      location: `¶ ${second.passage.metadata.paragraph}`,
      text: second.passage.pageContent,
    });
  });
});

describe("citeSentences", () => {
  it("numbers passages in order of first use and gives a passage's sentences one number", () => {
    const { sentences, citations } = citeSentences([
      { text: "Fentanyl deaths have tripled.", retrieved: second },
      { text: "Blinken met Wang Yi.", retrieved: first },
      { text: "They talked for hours.", retrieved: first },
    ]);
    expect(sentences.map((s) => s.n)).toEqual([1, 2, 2]);
    expect(citations.map((c) => [c.n, c.id])).toEqual([
      [1, second.passage.metadata.id],
      [2, first.passage.metadata.id],
    ]);
  });

  it("cites nothing when nothing is quoted", () => {
    expect(citeSentences([])).toEqual({ sentences: [], citations: [] });
  });
});
