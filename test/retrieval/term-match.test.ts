import { describe, expect, it } from "vitest";
import type { ConceptSource } from "../../src/embed/concept-source.js";
import type { QuestionTerm } from "../../src/retrieval/question.js";
import { MATCH_WEIGHTS, TermMatcher } from "../../src/retrieval/term-match.js";
import { stem } from "../../src/text/analyze.js";
import { questionOf, questionTerm } from "../helpers/questions.js";

/** Related words by hand: a session and a meeting are both gatherings, a rally only partly one. */
const RELATED: Record<string, { id: string; weight: number }[]> = {
  session: [{ id: "gathering", weight: 1 }],
  meeting: [{ id: "gathering", weight: 1 }],
  rally: [{ id: "gathering", weight: 0.5 }],
};
const related: ConceptSource = { id: "test-concepts", concepts: (word) => RELATED[word] ?? [] };

function term(word: string, extra: Partial<QuestionTerm> = {}): QuestionTerm {
  const concepts = new Map((RELATED[word] ?? []).map((c) => [c.id, c.weight]));
  return questionTerm(word, { concepts, ...extra });
}

const question = questionOf;

const matcher = new TermMatcher(related);

describe("TermMatcher.match", () => {
  it("matches a word the text uses fully, in any inflection", () => {
    expect(matcher.match(term("reporters"), matcher.prepare("He told a reporter."))).toBe(1);
  });

  it("matches a misspelt word through its correction, for less than the word itself", () => {
    const misspelt = term("blinkin", { inCorpus: false, corrections: [stem("blinken")] });
    expect(matcher.match(misspelt, matcher.prepare("Blinken spoke."))).toBe(MATCH_WEIGHTS.correction);
  });

  it("matches a stem of four letters or more inside a longer one, as an affix", () => {
    expect(matcher.match(term("establish"), matcher.prepare("They reestablished contact."))).toBe(MATCH_WEIGHTS.affix);
    // "war" is too short to be looked for inside "warships".
    expect(matcher.match(term("war"), matcher.prepare("Warships faced off."))).toBe(0);
  });

  it("matches a related word through shared concepts, never for more than the concept weight", () => {
    expect(matcher.match(term("session"), matcher.prepare("The meeting began."))).toBe(MATCH_WEIGHTS.concept);
    expect(matcher.match(term("session"), matcher.prepare("The rally began."))).toBeCloseTo(
      MATCH_WEIGHTS.concept * 0.5,
      12,
    );
  });

  it("counts only the words themselves when asked to match literally", () => {
    expect(matcher.match(term("session"), matcher.prepare("The meeting began."), true)).toBe(0);
  });

  it("finds no related words without a concept source", () => {
    const plain = new TermMatcher(null);
    expect(plain.match(term("session"), plain.prepare("The meeting began."))).toBe(0);
  });

  it("matches nothing in a text that has neither the word nor anything like it", () => {
    expect(matcher.match(term("fentanyl"), matcher.prepare("The meeting began."))).toBe(0);
  });
});

describe("TermMatcher.coverage", () => {
  it("weighs each question term by how informative it is", () => {
    const q = question(term("fentanyl", { weight: 3 }), term("talks", { weight: 1 }));
    expect(matcher.coverage(q, matcher.prepare("Fentanyl was on the agenda."))).toBeCloseTo(0.75, 12);
    expect(matcher.coverage(q, matcher.prepare("The talks went on."))).toBeCloseTo(0.25, 12);
  });

  it("counts a related word's partial match, unless literal", () => {
    const q = question(term("session"), term("began"));
    const text = matcher.prepare("The meeting began.");
    expect(matcher.coverage(q, text)).toBeCloseTo((MATCH_WEIGHTS.concept + 1) / 2, 12);
    expect(matcher.coverage(q, text, true)).toBeCloseTo(0.5, 12);
  });

  it("is zero for a question with no content words", () => {
    expect(matcher.coverage(question(), matcher.prepare("Anything at all."))).toBe(0);
  });
});
