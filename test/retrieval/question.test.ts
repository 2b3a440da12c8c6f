import { describe, expect, it } from "vitest";
import type { ConceptSource } from "../../src/embed/concept-source.js";
import { WordNet } from "../../src/embed/wordnet/wordnet.js";
import { LexicalIndex } from "../../src/index/bm25/lexical-index.js";
import {
  type AnalyzedQuestion,
  analyzeQuestion,
  lexicalQuery,
  type QuestionTerm,
} from "../../src/retrieval/question.js";
import { SpellingIndex } from "../../src/retrieval/spelling.js";
import { stems } from "../../src/text/analyze.js";
import { questionOf, questionTerm } from "../helpers/questions.js";

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

describe("analyzeQuestion with WordNet", () => {
  const wordnet = WordNet.open();
  const withLexicon = (q: string) => analyzeQuestion(q, lexical, spelling, wordnet, { isName: (s) => s === "blinken" });

  it("does not 'correct' a word of the English lexicon into a corpus word one edit away", () => {
    const trade = new LexicalIndex([["trade"], ...corpus]);
    const tradeSpelling = new SpellingIndex(trade.vocabulary());
    expect(
      termOf(analyzeQuestion("What trace did the talks leave?", trade, tradeSpelling, wordnet), "trace"),
    ).toMatchObject({
      corrections: [],
    });
    // Without a lexicon it would be taken for a misspelling.
    expect(termOf(analyzeQuestion("What trace?", trade, tradeSpelling, null), "trace")?.corrections).toEqual(["trade"]);
  });

  it("still corrects a misspelt name into a name the corpus has, and no name into a word", () => {
    expect(termOf(withLexicon("What did Blinkin say?"), "blinkin")?.corrections).toEqual(["blinken"]);
    const wing = analyzeQuestion("Did Wung visit?", lexical, spelling, wordnet, { isName: () => false });
    expect(termOf(wing, "wung")?.corrections).toEqual([]);
  });

  it("asks what someone said, but not what the article says", () => {
    expect(termOf(withLexicon("What did Blinken tell reporters?"), "tell")?.role).toBe("action");
    expect(termOf(withLexicon("What did Qin say about Taiwan?"), "say")?.role).toBe("action");
    expect(termOf(withLexicon("What does the article say about Taiwan?"), "say")).toBeUndefined();
    expect(termOf(withLexicon("Tell me about Taiwan"), "tell")).toBeUndefined();
  });

  it("reads each word's role: a name (however typed), a thing, an action, a superlative", () => {
    const q = withLexicon("what is japan's biggest export and why did blinken visit");
    const roles = Object.fromEntries(q.terms.map((t) => [t.word, t.role]));
    expect(roles).toMatchObject({ japan: "name", biggest: "superlative", export: "thing", blinken: "name" });
    expect(termOf(withLexicon("How much does Blinken earn?"), "earn")?.role).toBe("action");
    // "say" is a light verb when the article says it, and what is asked when a person does.
    expect(termOf(withLexicon("What does the article say about talks?"), "say")).toBeUndefined();
  });

  it("takes the noun after the question word as the kind of answer, not a word the answer must repeat", () => {
    expect(termOf(withLexicon("In what year did the talks resume?"), "year")?.role).toBe("other");
  });

  it("drops casual fillers and misspelt function words", () => {
    expect(withLexicon("wher was blinken gonna go").terms.map((t) => t.word)).toEqual(["blinken", "go"]);
  });

  it("reads the constraints an answer must not contradict", () => {
    const c = withLexicon("Why didn't the second largest firm in Beijing grow in 2019 or in March?").constraints;
    expect(c.negated).toBe(true);
    expect(c.ordinals).toEqual([{ word: "second", ofNoun: true }]);
    expect(termOf(withLexicon("Why didn't the firm grow in 2019?"), "2019")?.role).toBe("number");
    expect(c.places).toEqual(["beijing"]);
    expect(c.opposites.find((o) => o.word === "largest")?.antonyms).toContain("small");
    expect(withLexicon("Whom did Blinken meet first?").constraints.ordinals).toEqual([
      { word: "first", ofNoun: false },
    ]);
  });

  it("takes a small count as counting the answer, but a count of years as pinning it", () => {
    expect(termOf(withLexicon("What were the four main talks?"), "four")?.role).toBe("modifier");
    expect(termOf(withLexicon("What rose in the last three years?"), "three")?.role).toBe("number");
    expect(termOf(withLexicon("Why was the March visit called off?"), "march")?.role).toBe("number");
  });
});

describe("lexicalQuery", () => {
  it("weighs the question's own stems 1 and a misspelling's corrections the correction weight", () => {
    const q = analyze("What did Blinkin write about fentanyl?");
    expect(lexicalQuery(q, 0.8)).toEqual(
      new Map([
        ["blinkin", 1],
        ["blinken", 0.8],
        ["write", 1],
        ["fentanyl", 1],
      ]),
    );
  });

  it("never lowers a stem the question uses itself to the weight of a correction", () => {
    const q = questionOf(
      questionTerm("a", { stem: "wrang", inCorpus: false, corrections: ["wang"] }),
      questionTerm("b", { stem: "wang" }),
      questionTerm("c", { stem: "wan", inCorpus: false, corrections: ["wang"] }),
    );
    expect(lexicalQuery(q, 0.5).get("wang")).toBe(1);
  });
});
