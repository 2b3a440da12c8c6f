/**
 * Grounding: a sentence answers a question only when it is about what the question asks (its
 * names, things, actions and figures) and says nothing against it (another ordinal, an opposite,
 * no negation). Real question analysis and WordNet, hand-written sentences.
 */
import { describe, expect, it } from "vitest";
import { type Grounding, ground, lacksFocus, missingShare, sameName } from "../../src/answer/grounding.js";
import { WordNet } from "../../src/embed/wordnet/wordnet.js";
import { LexicalIndex } from "../../src/index/bm25/lexical-index.js";
import { analyzeQuestion } from "../../src/retrieval/question.js";
import { SpellingIndex } from "../../src/retrieval/spelling.js";
import { TermMatcher } from "../../src/retrieval/term-match.js";
import { stems } from "../../src/text/analyze.js";

const SENTENCES = [
  "Blinken met Wang Yi in Beijing on Monday.",
  "The two men talked for five hours.",
  "Micron is the largest US manufacturer of memory chips.",
  "Chinese officials reacted coolly to the visit.",
  "A planned visit in February was called off after a balloon flew over the US.",
  "First, the visit is about restoring contact.",
  "The company traces its origins to a pulp mill founded in 1865.",
];
const wordnet = WordNet.open();
const matcher = new TermMatcher(wordnet);
const lexical = new LexicalIndex(SENTENCES.map(stems));
const spelling = new SpellingIndex(lexical.vocabulary());
const read = (text: string) => ({ text, prepared: matcher.prepare(text) });

/** Grounds `sentence` (with the sentence before it, if any) for `question`, in an article titled `title`. */
function check(question: string, sentence: string, previous?: string, title = "A visit"): Grounding {
  const q = analyzeQuestion(question, lexical, spelling, wordnet);
  return ground(q, read(sentence), previous === undefined ? [] : [read(previous)], null, read(title), matcher);
}
const missingWords = (g: Grounding) => g.missing.map((t) => t.word);

/** Grounds `sentence` for `question` in a corpus of the hand-written sentences and `more`, which weigh its words. */
function checkIn(more: readonly string[], question: string, sentence: string): Grounding {
  const corpus = new LexicalIndex([...SENTENCES, ...more].map(stems));
  const q = analyzeQuestion(question, corpus, new SpellingIndex(corpus.vocabulary()), wordnet);
  return ground(q, read(sentence), [], null, read("An article"), matcher);
}

describe("ground", () => {
  it("finds every name, thing and action of the question in a sentence that answers it", () => {
    const g = check("Whom did Blinken meet in Beijing?", SENTENCES[0] ?? "");
    expect(g).toMatchObject({ missing: [], contradiction: null });
  });

  it("misses what the sentence does not say: another person, another place, an unasked-for action", () => {
    expect(missingWords(check("Whom did Kerry meet in Beijing?", SENTENCES[0] ?? ""))).toContain("kerry");
    expect(missingWords(check("Whom did Blinken meet in Shanghai?", SENTENCES[0] ?? ""))).toContain("shanghai");
    expect(missingWords(check("How much does Blinken earn?", SENTENCES[0] ?? ""))).toContain("earn");
  });

  it("takes a name from the sentence before when the sentence stands for it ('The two men…')", () => {
    expect(check("How long did Blinken and Wang Yi talk?", SENTENCES[1] ?? "", SENTENCES[0]).missing).toEqual([]);
    expect(missingWords(check("How long did Blinken and Wang Yi talk?", SENTENCES[1] ?? ""))).toContain("blinken");
  });

  it("looks back only as far as the nearest sentence that names someone", () => {
    const q = analyzeQuestion("Who founded Gadir?", lexical, spelling, wordnet);
    const gadir = read("Gadir was founded around 1100 BC.");
    const carthage = read("The most successful colony was Carthage.");
    const legend = read("According to legend it was founded by Elissa.");
    const g = ground(q, legend, [gadir, carthage], null, read("Phoenicia"), matcher);
    expect(missingWords(g)).toEqual(["gadir"]);
    const near = ground(q, legend, [carthage, gadir], null, read("Phoenicia"), matcher);
    expect(near.missing).toEqual([]);
  });

  it("in a biography, takes the subject's name from the title when the sentence says 'she'", () => {
    expect(
      check("When did Meitner become a Swedish citizen?", "She became a Swedish citizen in 1949.").missing,
    ).not.toEqual([]);
    expect(
      check(
        "When did Meitner become a Swedish citizen?",
        "She became a Swedish citizen in 1949.",
        undefined,
        "Lise Meitner",
      ).missing,
    ).toEqual([]);
  });

  it("takes a date from the sentence before when it gives none itself, but not over another date", () => {
    const before = "In December 1938 the nucleus was split.";
    const that = "Meitner spent that Christmas in Sweden.";
    expect(check("Where did Meitner spend Christmas 1938?", that, before).missing).toEqual([]);
    const drew = check(
      "How many entries did the 1955 contest draw?",
      "It drew 233 entries.",
      "The contest opened in 1955.",
    );
    expect(drew.missing).toEqual([]);
    const other = "Meitner spent Christmas 1939 in Sweden.";
    expect(missingWords(check("Where did Meitner spend Christmas 1938?", other, before))).toEqual(["1938"]);
  });

  it("takes the subject's name from an encyclopedic title in any sentence, but not from a headline", () => {
    const nasa = "NASA has used the region to test rovers.";
    expect(check("Which agency tested rovers in the Atacama?", nasa, undefined, "Atacama Desert").missing).toEqual([]);
    expect(
      missingWords(check("Which agency tested rovers in the Atacama?", nasa, undefined, "Atacama — a history")),
    ).toEqual(["atacama"]);
  });

  it("names a person of several words only by their most telling word: 'John Roebling' is not John Snow", () => {
    const roebling = "The plan was drawn up by John Augustus Roebling.";
    const g = checkIn([roebling, "John Snow traced the outbreak."], "Where was John Snow born?", roebling);
    expect(missingWords(g)).toContain("snow");
  });

  it("reads an acronym as the name it spells out: the UN is the United Nations, the EU is not", () => {
    const un = "Since 1954 the United Nations has given the award each year.";
    expect(check("Since when has the UN given the award?", un).missing).toEqual([]);
    expect(missingWords(check("Since when has the EU given the award?", un))).toEqual(["eu"]);
  });

  it("names a person by their surname alone", () => {
    const ramsay = "Ramsay received the Nobel Prize in 1904.";
    const articles = [ramsay, "William Ramsay found helium.", "William Blake wrote."];
    const g = checkIn(articles, "When did William Ramsay win the Nobel Prize?", ramsay);
    expect(missingWords(g)).not.toContain("william");
  });

  it("does not ask the parts of a compound one by one: 'her mother' answers 'mother-in-law'", () => {
    expect(check("Who was Blinken's mother-in-law?", "Blinken lived with her mother, Maria.").missing).toEqual([]);
  });

  it("takes a name from the article's title when the sentence says 'The company…'", () => {
    expect(check("When was Nokia founded?", SENTENCES[6] ?? "", undefined, "Nokia").missing).toEqual([]);
  });

  it("wants a year, a month or a figure the question names in the sentence itself", () => {
    expect(missingWords(check("Why was the March visit called off?", SENTENCES[4] ?? ""))).toEqual(["march"]);
    expect(check("Why was the February visit called off?", SENTENCES[4] ?? "").missing).toEqual([]);
    expect(missingWords(check("When was the mill founded in 1868?", SENTENCES[6] ?? ""))).toContain("1868");
  });

  it("matches a people's name to its country and a capital to its country, never one country to another", () => {
    expect(check("How did China react to the visit?", SENTENCES[3] ?? "").missing).toEqual([]);
    expect(missingWords(check("How did Japan react to the visit?", SENTENCES[3] ?? ""))).toEqual(["japan"]);
  });

  it("wants a superlative in the sentence itself, as a superlative: 'a large manufacturer' is not 'the largest'", () => {
    expect(check("Which is the largest US manufacturer?", SENTENCES[2] ?? "").missing).toEqual([]);
    expect(missingWords(check("Which is the largest US manufacturer?", "Micron is a large US manufacturer."))).toEqual([
      "largest",
    ]);
  });

  it("takes no opposite from a noun, from 'how many', or from part of a compound the question does not use", () => {
    expect(
      check("How many children did Vermeer have?", "He had fifteen children; his parents had two.").contradiction,
    ).toBeNull();
    expect(
      check("Which city is the mine close to?", "The mine, near the city of Calama, is an open-pit mine.")
        .contradiction,
    ).toBeNull();
    expect(
      check("Who is the lowest-ranking US official?", "Blinken is the highest-ranking US official.").contradiction,
    ).toBe("opposite");
  });

  it("sees a contradiction in an opposite, another rank or a missing negation", () => {
    expect(check("Which is the smallest US manufacturer?", SENTENCES[2] ?? "").contradiction).toBe("opposite");
    expect(check("How did Chinese officials react warmly?", SENTENCES[3] ?? "").contradiction).toBe("opposite");
    expect(check("What is the second thing the visit is about?", SENTENCES[5] ?? "").contradiction).toBe("ordinal");
    expect(check("Why didn't the balloon fly over the US?", SENTENCES[4] ?? "").contradiction).toBe("negation");
    expect(check("Which is the largest US manufacturer?", SENTENCES[2] ?? "").contradiction).toBeNull();
  });

  it("weighs what is missing by how informative it is, and knows whether the focus is among it", () => {
    const q = analyzeQuestion("How much does Blinken earn?", lexical, spelling, wordnet);
    const sentence = read(SENTENCES[0] ?? "");
    const g = ground(q, sentence, [], null, read("A visit"), matcher);
    expect(missingShare(q, g)).toBeGreaterThan(0.5);
    expect(lacksFocus(q, g)).toBe(true);
    const met = analyzeQuestion("Whom did Blinken meet?", lexical, spelling, wordnet);
    expect(missingShare(met, ground(met, sentence, [], null, read("A visit"), matcher))).toBe(0);
  });
});

describe("sameName", () => {
  it("matches a people and its country by their shared start", () => {
    expect(sameName("chinese", "china")).toBe(true);
    expect(sameName("russian", "russia")).toBe(true);
    expect(sameName("americans", "america")).toBe(true);
    expect(sameName("austrian", "australia")).toBe(false);
  });
});
