import { describe, expect, it } from "vitest";
import { ABSTENTION_MODEL, answerProbability, type Evidence } from "../../src/answer/abstention.js";

const base: Evidence = { support: 0.5, literalSupport: 0.5, denseSimilarity: 0.3, unknownShare: 0.2, typed: false };

describe("the abstention model", () => {
  it("is more confident the more of the question the best sentence covers", () => {
    expect(answerProbability({ ...base, support: 0.9, literalSupport: 0.9 })).toBeGreaterThan(answerProbability(base));
    expect(answerProbability({ ...base, support: 0.1, literalSupport: 0.1 })).toBeLessThan(answerProbability(base));
  });

  it("is less confident when the question's words are foreign to the corpus", () => {
    expect(answerProbability({ ...base, unknownShare: 0.9 })).toBeLessThan(answerProbability(base));
  });

  it("answers a fully covered question and refuses one that nothing covers", () => {
    const full: Evidence = { support: 1, literalSupport: 1, denseSimilarity: 0.6, unknownShare: 0, typed: false };
    const none: Evidence = { support: 0, literalSupport: 0, denseSimilarity: 0.05, unknownShare: 1, typed: true };
    expect(answerProbability(full)).toBeGreaterThanOrEqual(ABSTENTION_MODEL.threshold);
    expect(answerProbability(none)).toBeLessThan(ABSTENTION_MODEL.threshold);
  });
});
