import { describe, expect, it } from "vitest";
import {
  ABSTENTION_MODEL,
  type AbstentionModel,
  answerProbability,
  type Evidence,
  features,
  unknownShare,
} from "../../src/answer/abstention.js";
import type { QuestionTerm } from "../../src/retrieval/question.js";
import { questionOf, questionTerm } from "../helpers/questions.js";

const base: Evidence = {
  support: 0.5,
  literalSupport: 0.5,
  denseSimilarity: 0.3,
  unknownShare: 0.2,
  typed: false,
  focusMissing: 0.2,
  focusLacking: false,
  refusal: null,
};

describe("the abstention model", () => {
  it("is more confident the more of the question the best sentence covers", () => {
    expect(answerProbability({ ...base, support: 0.9, literalSupport: 0.9 })).toBeGreaterThan(answerProbability(base));
    expect(answerProbability({ ...base, support: 0.1, literalSupport: 0.1 })).toBeLessThan(answerProbability(base));
  });

  it("is less confident when the question's words are foreign to the corpus", () => {
    expect(answerProbability({ ...base, unknownShare: 0.9 })).toBeLessThan(answerProbability(base));
  });

  it("is less confident when the best sentence lacks more of what the question asks about", () => {
    expect(answerProbability({ ...base, focusMissing: 0.8 })).toBeLessThan(answerProbability(base));
  });

  it("answers a fully covered question and refuses one that nothing covers", () => {
    const full: Evidence = {
      ...base,
      support: 1,
      literalSupport: 1,
      denseSimilarity: 0.6,
      unknownShare: 0,
      focusMissing: 0,
    };
    const none: Evidence = {
      ...base,
      support: 0,
      literalSupport: 0,
      denseSimilarity: 0.05,
      unknownShare: 1,
      typed: true,
      focusMissing: 1,
      focusLacking: true,
    };
    expect(answerProbability(full)).toBeGreaterThanOrEqual(ABSTENTION_MODEL.threshold);
    expect(answerProbability(none)).toBeLessThan(ABSTENTION_MODEL.threshold);
  });
});

describe("answerProbability", () => {
  const flat: AbstentionModel = {
    bias: 0,
    weights: {
      support: 0,
      literalSupport: 0,
      denseSimilarity: 0,
      unknownShare: 0,
      typed: 0,
      focusMissing: 0,
      focusLacking: 0,
    },
    threshold: 0.5,
  };

  it("is the logistic function of the bias plus each weighted feature", () => {
    expect(answerProbability(base, flat)).toBe(0.5);
    expect(answerProbability(base, { ...flat, bias: Math.log(3) })).toBeCloseTo(0.75, 12);
    const bySupport = { ...flat, weights: { ...flat.weights, support: 2 } };
    expect(answerProbability({ ...base, support: 0.5 }, bySupport)).toBeCloseTo(1 / (1 + Math.exp(-1)), 12);
  });

  it("counts a typed question as the feature 1, an untyped one as 0", () => {
    expect(features({ ...base, typed: true }).typed).toBe(1);
    expect(features({ ...base, typed: false }).typed).toBe(0);
    const byType = { ...flat, weights: { ...flat.weights, typed: -1 } };
    expect(answerProbability({ ...base, typed: true }, byType)).toBeLessThan(answerProbability(base, byType));
  });
});

describe("unknownShare", () => {
  const term = (word: string, weight: number, known: Partial<QuestionTerm>): QuestionTerm =>
    questionTerm(word, { weight, inCorpus: false, absent: true, ...known });

  it("is the weighted share of words the corpus lacks", () => {
    const fentanyl = term("fentanyl", 3, { inCorpus: true, absent: false });
    expect(unknownShare(questionOf(fentanyl, term("sourdough", 1, {})))).toBeCloseTo(0.25, 12);
  });

  it("does not count a misspelt word that has a correction as unknown", () => {
    expect(unknownShare(questionOf(term("blinkin", 1, { corrections: ["blinken"], absent: false })))).toBe(0);
  });

  it("counts a question with no content words as wholly unknown", () => {
    expect(unknownShare(questionOf())).toBe(1);
  });
});
