import { describe, expect, it } from "vitest";
import type { ConceptSource } from "../../src/embed/concept-source.js";
import { LexicalIndex } from "../../src/index/bm25/lexical-index.js";
import {
  type AnalyzedQuestion,
  analyzeQuestion,
  lexicalQuery,
  type QuestionTerm,
} from "../../src/retrieval/question.js";
import { SpellingIndex } from "../../src/retrieval/spelling.js";
import { stems } from "../../src/text/analyze.js";

const corpus = [
  "Blinken met Wang Yi in Beijing.",
  "Fentanyl deaths have tripled.",
  "The US and China resumed talks.",
  "Warships faced off in the strait.",
].map(stems);
const lexical = new LexicalIndex(corpus);
const spelling = new SpellingIndex(lexical.vocabulary());
const related: ConceptSource = {
  id: "test-concepts",
  concepts: (word) => (word === "talks" ? [{ id: "discussion", weight: 0.8 }] : []),
};
const analyze = (q: string, concepts: ConceptSource | null = null) => analyzeQuestion(q, lexical, spelling, concepts);
const termOf = (q: AnalyzedQuestion, word: string): QuestionTerm | undefined => q.terms.find((t) => t.word === word);

describe("analyzeQuestion", () => {
  it("keeps the content words once each, leaving out words that only frame the question", () => {
    const q = analyze("What does the article say about fentanyl and fentanyl deaths?");
    expect(q.terms.map((t) => t.word)).toEqual(["fentanyl", "deaths"]);
  });

  it("weighs a word by how rare it is in the corpus", () => {
    const q = analyze("Did Blinken and China resume talks?");
    expect(termOf(q, "blinken")?.weight).toBe(lexical.idf("blinken"));
    expect(termOf(q, "blinken")?.inCorpus).toBe(true);
  });

  it("corrects a misspelt word against the corpus vocabulary and weighs it as its correction", () => {
    const blinkin = termOf(analyze("What did Blinkin say?"), "blinkin");
    expect(blinkin).toMatchObject({ inCorpus: false, corrections: ["blinken"] });
    expect(blinkin?.weight).toBe(lexical.idf("blinken"));
  });

  it("gives a word the corpus lacks entirely no corrections and the highest weight", () => {
    const sourdough = termOf(analyze("Is sourdough mentioned?"), "sourdough");
    expect(sourdough).toMatchObject({ inCorpus: false, corrections: [] });
    expect(sourdough?.weight).toBeGreaterThan(lexical.idf("blinken"));
  });

  it("reads 'U.S.' as the country, while 'us' in 'tell us' stays a framing word", () => {
    expect(termOf(analyze("What did the U.S. say about China?"), "us")).toMatchObject({ stem: "us", inCorpus: true });
    expect(termOf(analyze("Tell us about China."), "us")).toBeUndefined();
  });

  it("carries each word's related concepts when there is a concept source", () => {
    expect(termOf(analyze("When did talks resume?", related), "talks")?.concepts).toEqual(
      new Map([["discussion", 0.8]]),
    );
    expect(termOf(analyze("When did talks resume?"), "talks")?.concepts.size).toBe(0);
  });

  it("reads what kind of answer the question wants", () => {
    expect(analyze("How many warships faced off?").slot).toEqual({ type: "number", unit: "warships" });
  });
});

describe("lexicalQuery", () => {
  it("weighs the question's own stems 1 and a misspelling's corrections the correction weight", () => {
    const q = analyze("What did Blinkin say about fentanyl?");
    expect(lexicalQuery(q, 0.8)).toEqual(
      new Map([
        ["blinkin", 1],
        ["blinken", 0.8],
        ["fentanyl", 1],
      ]),
    );
  });

  it("never lowers a stem the question uses itself to the weight of a correction", () => {
    const q: AnalyzedQuestion = {
      text: "",
      slot: { type: "other", unit: null },
      terms: [
        { word: "a", stem: "wrang", weight: 1, inCorpus: false, corrections: ["wang"], concepts: new Map() },
        { word: "b", stem: "wang", weight: 1, inCorpus: true, corrections: [], concepts: new Map() },
        { word: "c", stem: "wan", weight: 1, inCorpus: false, corrections: ["wang"], concepts: new Map() },
      ],
    };
    expect(lexicalQuery(q, 0.5).get("wang")).toBe(1);
  });
});
