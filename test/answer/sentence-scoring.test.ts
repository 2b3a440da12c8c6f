import { describe, expect, it } from "vitest";
import { DEFAULT_EXTRACTIVE_OPTIONS } from "../../src/answer/extractive-answer.js";
import { scoreSentences } from "../../src/answer/sentence-scoring.js";
import { TermMatcher } from "../../src/retrieval/term-match.js";
import { analyzedAgainst, articlePassages, asRetrieved } from "./hand-made-passages.js";

const matcher = new TermMatcher(null);
const scoring = DEFAULT_EXTRACTIVE_OPTIONS;

describe("scoreSentences", () => {
  it("scores every sentence of every passage, best first, each quoted verbatim from its passage", () => {
    const passages = articlePassages("a.md", [
      "Blinken met Wang Yi. They talked about trade.",
      "Fentanyl deaths have tripled. China makes the chemicals.",
    ]);
    const scored = scoreSentences(
      analyzedAgainst(passages, "What did they say about fentanyl?"),
      asRetrieved(passages),
      matcher,
      scoring,
    );
    expect(scored).toHaveLength(4);
    for (const s of scored) expect(s.retrieved.passage.pageContent).toContain(s.text);
    expect(scored.map((s) => s.score)).toEqual(scored.map((s) => s.score).sort((a, b) => b - a));
    expect(scored[0]?.text).toContain("Fentanyl");
  });

  it("ranks a sentence holding the figure a 'how many' question asks for above one that only covers its words", () => {
    const passages = articlePassages("a.md", [
      "Blinken and Wang talked for hours. Blinken and Wang talked for five hours.",
    ]);
    const question = analyzedAgainst(passages, "How many hours did Blinken and Wang talk?");
    const [best, second] = scoreSentences(question, asRetrieved(passages), matcher, scoring);
    expect(best?.text).toMatch(/five/);
    expect(best?.typeOk).toBe(true);
    expect(second?.typeOk).toBe(false);
  });

  it("wants the counted thing too: a figure that counts something else does not hold the answer", () => {
    const passages = articlePassages("a.md", ["The navy sent five warships.", "The talks took five hours."]);
    const question = analyzedAgainst(passages, "How many hours did the talks take?");
    const scored = scoreSentences(question, asRetrieved(passages), matcher, scoring);
    expect(scored.find((s) => /warships/.test(s.text))?.typeOk).toBe(false);
    expect(scored.find((s) => /hours/.test(s.text))?.typeOk).toBe(true);
  });

  it("lifts the sentences of a passage retrieval ranked higher", () => {
    const [a] = articlePassages("a.md", ["Fentanyl deaths have tripled."]);
    const [b] = articlePassages("b.md", ["Fentanyl deaths have tripled."]);
    if (!a || !b) throw new Error("each article should have a passage");
    const scored = scoreSentences(analyzedAgainst([a, b], "fentanyl deaths"), asRetrieved([b, a]), matcher, scoring);
    expect(scored.map((s) => s.retrieved.passage.metadata.source)).toEqual(["b.md", "a.md"]);
    expect(scored[0]?.score).toBeGreaterThan(scored[1]?.score ?? Infinity);
  });

  it("measures support by the sentence and its passage, and literal support by the question's own words only", () => {
    const passages = articlePassages("a.md", ["Fentanyl deaths have tripled. China makes the chemicals."]);
    const question = analyzedAgainst(passages, "fentanyl deaths");
    const byText = new Map(scoreSentences(question, asRetrieved(passages), matcher, scoring).map((s) => [s.text, s]));
    // The sentence covers both words and so does its passage; the other sentence covers neither.
    expect(byText.get("Fentanyl deaths have tripled.")?.support).toBeCloseTo(1, 12);
    expect(byText.get("China makes the chemicals.")?.support).toBeCloseTo(0.3, 12);
    expect(byText.get("China makes the chemicals.")?.literalSupport).toBeCloseTo(0.3, 12);
  });
});
