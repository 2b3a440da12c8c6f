import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bestSentenceSystem, byEmbedding, byWordOverlap } from "../../../scripts/lib/eval/baselines.js";
import { Retriever } from "../../../src/retrieval/retriever.js";
import { makeStack, type TestStack } from "../../helpers/services.js";

let stack: TestStack;
beforeAll(async () => {
  stack = await makeStack();
});
afterAll(() => stack.cleanup());

describe("naive best-sentence baselines", () => {
  it("quote the sentence of the first passage that shares most of the question, citing it, and never abstain", async () => {
    const { indexes, embedder, concepts } = stack.services;
    const index = indexes.current;
    const bm25 = bestSentenceSystem(
      "bm25",
      new Retriever(index, embedder, concepts, { mode: "lexical" }),
      byWordOverlap(index),
    );
    const a = await bm25.answer("Where was the meeting held?");
    expect(a).toMatchObject({ kind: "answer", abstained: false, method: "baseline · bm25" });
    expect(a.answer).toMatch(/^Meeting was held at Diaoyutai State Guest House.* \[1\]$/);
    expect(a.citations[0]?.text).toContain(a.sentences[0]?.text);
    expect((await bm25.answer("How do I make pasta?")).abstained).toBe(false);

    const dense = bestSentenceSystem(
      "dense",
      new Retriever(index, embedder, concepts, { mode: "dense" }),
      byEmbedding(embedder),
    );
    expect((await dense.answer("Where was the meeting held?")).kind).toBe("answer");
    expect((await dense.retrieve("Where was the meeting held?", 3)).length).toBe(3);
  });
});
