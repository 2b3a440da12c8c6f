import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { BaseRetriever } from "@langchain/core/retrievers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Retriever } from "../../src/retrieval/retriever.js";
import { makeStack, type TestStack } from "../helpers/services.js";

let stack: TestStack;
let retriever: Retriever;
const question = "What did Blinken tell reporters about fentanyl?";

beforeAll(async () => {
  stack = await makeStack();
  retriever = stack.services.answerer().retriever;
});
afterAll(() => stack.cleanup());

describe("the retriever as a LangChain retriever", () => {
  it("is a BaseRetriever in its own namespace", () => {
    expect(retriever).toBeInstanceOf(BaseRetriever);
    expect(retriever.lc_namespace).toEqual(["passage", "retrieval"]);
  });

  it("gives through invoke the passages retrieve gives, in the same order, with the same ranks", async () => {
    const [documents, retrieval] = await Promise.all([retriever.invoke(question), retriever.retrieve(question)]);
    expect(documents.length).toBeGreaterThan(0);
    expect(documents.map((d) => d.id)).toEqual(retrieval.passages.map((r) => r.passage.metadata.id));
    documents.forEach((d, i) => {
      const { passage, ...ranks } = retrieval.passages[i] ?? expect.unreachable();
      expect(d.metadata).toEqual({ ...passage.metadata, ...ranks });
    });
  });

  it("returns each passage with the provenance to cite it: the article's own text at its offsets", async () => {
    for (const d of await retriever.invoke(question)) {
      const article = await readFile(join(stack.corpusDir, d.metadata.source), "utf8");
      expect(article.slice(d.metadata.start, d.metadata.end)).toBe(d.pageContent);
      expect(d.metadata.score).toBeGreaterThan(0);
    }
  });

  it("returns as many passages as its k option says", async () => {
    const { indexes, embedder, concepts } = stack.services;
    expect(await new Retriever(indexes.current, embedder, concepts, { k: 2 }).invoke(question)).toHaveLength(2);
  });

  it("drops into a LangChain chain", async () => {
    const sources = retriever.pipe((documents) => documents.map((d) => d.metadata.paragraph));
    const paragraphs = await sources.invoke(question);
    expect(paragraphs.every((p) => Number.isInteger(p) && p >= 1)).toBe(true);
  });
});

describe("retrieval modes", () => {
  it("uses only the dense ranking in dense mode and only BM25 in lexical mode", async () => {
    const { indexes, embedder, concepts } = stack.services;
    const dense = await new Retriever(indexes.current, embedder, concepts, { mode: "dense" }).retrieve(question);
    const lexical = await new Retriever(indexes.current, embedder, concepts, { mode: "lexical" }).retrieve(question);
    expect(dense.passages.every((r) => r.denseRank !== null && r.lexicalRank === null && r.conceptRank === null)).toBe(
      true,
    );
    expect(
      lexical.passages.every((r) => r.lexicalRank !== null && r.denseRank === null && r.conceptRank === null),
    ).toBe(true);
  });
});
