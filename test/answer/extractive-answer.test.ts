import { describe, expect, it } from "vitest";
import { ABSTENTION_MODEL } from "../../src/answer/abstention.js";
import type { Answer } from "../../src/answer/answer.js";
import {
  type AnswerContext,
  composeExtractiveAnswer,
  DEFAULT_EXTRACTIVE_OPTIONS,
  type ExtractiveOptions,
} from "../../src/answer/extractive-answer.js";
import type { RetrievedPassage } from "../../src/retrieval/retriever.js";
import { TermMatcher } from "../../src/retrieval/term-match.js";
import { analyzedAgainst, articlePassages, asRetrieved } from "./hand-made-passages.js";

const [talks, fentanyl, warships, chips] = articlePassages("visit.md", [
  "Blinken met Wang Yi in Beijing on Monday. The two men talked for five hours. They agreed to keep talking.",
  "Fentanyl deaths in America have tripled since 2019. China makes most of the chemicals used to produce fentanyl.",
  "Warships from both navies have been facing off in the Taiwan Strait. Neither side backed down.",
  "Chip exports to China fell sharply last year.",
]);
if (!talks || !fentanyl || !warships || !chips) throw new Error("the article should split into four passages");
const all = [talks, fentanyl, warships, chips];
const matcher = new TermMatcher(null);
const context: AnswerContext = { articleCount: 2, method: "extractive · test" };

function answer(question: string, passages = all, options: Partial<ExtractiveOptions> = {}): Answer {
  return composeExtractiveAnswer(analyzedAgainst(all, question), asRetrieved(passages), matcher, context, {
    ...DEFAULT_EXTRACTIVE_OPTIONS,
    ...options,
  });
}

/** Every sentence is quoted verbatim from the passage its marker cites, and every citation is used. */
function expectGrounded(a: Answer): void {
  expect(a.abstained).toBe(false);
  expect(a.answer).toBe(a.sentences.map((s) => `${s.text} [${s.n}]`).join(" "));
  for (const s of a.sentences) expect(a.citations.find((c) => c.n === s.n)?.text).toContain(s.text);
  expect(a.citations.map((c) => c.n)).toEqual(a.citations.map((_, i) => i + 1));
  expect(new Set(a.citations.map((c) => c.n))).toEqual(new Set(a.sentences.map((s) => s.n)));
}

const ids = (a: Answer) => a.citations.map((c) => c.id);

describe("composeExtractiveAnswer", () => {
  it("answers from the passage that holds the answer, quoting it and citing it", () => {
    const a = answer("How many hours did Blinken and Wang Yi talk?", [fentanyl, talks, warships]);
    expectGrounded(a);
    expect(ids(a)).toEqual([talks.metadata.id]);
    expect(a.method).toBe(context.method);
  });

  it("cites every sentence it uses, numbering passages in order of first use", () => {
    const loose = { followRatio: 0, minSupport: 0, maxSentences: 3 };
    const a = answer("What about fentanyl and the talks?", all, loose);
    expectGrounded(a);
    expect(a.sentences).toHaveLength(3);
    expect(a.citations.length).toBeGreaterThan(1);
  });

  it("quotes no more sentences than its limit allows", () => {
    const loose = { followRatio: 0, minSupport: 0 };
    const question = "What about fentanyl and the talks?";
    expect(answer(question, all, { ...loose, maxSentences: 1 }).sentences).toHaveLength(1);
    expect(answer(question, all, { ...loose, maxSentences: 2 }).sentences).toHaveLength(2);
  });

  it("looks only at the first passages it is allowed to", () => {
    const question = "How many hours did Blinken and Wang Yi talk?";
    const first = answer(question, [chips, talks], { passages: 1 });
    expect(ids(first)).not.toContain(talks.metadata.id);
    expect(ids(answer(question, [chips, talks], { passages: 2 }))).toContain(talks.metadata.id);
  });

  it("abstains on a question the passages say nothing about, showing the closest passages", () => {
    const a = answer("What is the recipe for sourdough bread?");
    expect(a.abstained).toBe(true);
    expect(a.sentences).toEqual([]);
    expect(a.answer).toMatch(/^The articles don't say\. The closest passages are \[1\], \[2\], \[3\]\.$/);
    expect(ids(a)).toEqual(all.slice(0, DEFAULT_EXTRACTIVE_OPTIONS.abstainPassages).map((p) => p.metadata.id));
    expect(a.evidence?.unknownShare).toBeGreaterThan(0.5);
  });

  it("says 'the article' when the corpus has one", () => {
    const one = composeExtractiveAnswer(analyzedAgainst(all, "Who baked the bread?"), asRetrieved(all), matcher, {
      ...context,
      articleCount: 1,
    });
    expect(one.answer).toMatch(/^The article doesn't say\./);
  });

  it("shows only as many closest passages as it is allowed to", () => {
    const a = answer("What is the recipe for sourdough bread?", all, { abstainPassages: 2 });
    expect(a.citations.map((c) => c.n)).toEqual([1, 2]);
  });

  it("abstains when no sentence holds what the question asks for, however sure the model is", () => {
    const sure = { abstention: { ...ABSTENTION_MODEL, threshold: 0 } };
    const a = answer("How many warships were facing off in the Taiwan Strait?", all, sure);
    expect(a.abstained).toBe(true);
    expect(a.evidence?.typed).toBe(true);
  });

  it("abstains when the model puts the chance of an answer below its threshold", () => {
    const strict = { abstention: { ...ABSTENTION_MODEL, threshold: 1.01 } };
    expect(answer("How many hours did Blinken and Wang Yi talk?", all, strict).abstained).toBe(true);
  });

  it("abstains on a question with no content words", () => {
    const sure = { abstention: { ...ABSTENTION_MODEL, threshold: 0 } };
    expect(answer("What is it?", all, sure).abstained).toBe(true);
  });

  it("abstains without citations or evidence when nothing was retrieved", () => {
    const a = answer("How many hours did Blinken and Wang Yi talk?", []);
    expect(a).toMatchObject({ abstained: true, sentences: [], citations: [] });
    expect(a.evidence).toBeUndefined();
  });

  it("keeps the evidence it decided on: the best sentence's support and the dense similarity of its passage", () => {
    const retrieved: RetrievedPassage[] = asRetrieved([talks], 0.61);
    const a = composeExtractiveAnswer(
      analyzedAgainst(all, "How many hours did Blinken and Wang Yi talk?"),
      retrieved,
      matcher,
      context,
    );
    expect(a.evidence).toMatchObject({ denseSimilarity: 0.61, unknownShare: 0, typed: true });
    expect(a.evidence?.support).toBeGreaterThan(0.5);
    expect(a.evidence?.literalSupport).toBeLessThanOrEqual(a.evidence?.support ?? 0);
  });
});
