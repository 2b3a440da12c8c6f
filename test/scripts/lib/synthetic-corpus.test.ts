import { readFile } from "node:fs/promises";
import { beforeAll, describe, expect, it } from "vitest";
import { niceCeiling, renderChart } from "../../../scripts/lib/bench/chart.js";
import { syntheticQuestions } from "../../../scripts/lib/bench/questions.js";
import {
  articleSentences,
  type SyntheticCorpusOptions,
  syntheticArticles,
  wordnetTopics,
  wordnetVocabulary,
} from "../../../scripts/lib/bench/synthetic-corpus.js";
import { parseArticle } from "../../../src/corpus/load-corpus.js";
import { splitArticle } from "../../../src/corpus/split-passages.js";

let options: Omit<SyntheticCorpusOptions, "seed" | "passages">;

beforeAll(async () => {
  const seedArticle = await readFile(new URL("../../../corpus/blinken-china-visit.md", import.meta.url), "utf8");
  options = {
    sentences: articleSentences("seed.md", seedArticle),
    vocabulary: wordnetVocabulary(),
    topics: wordnetTopics(),
  };
});

function passagesOf(seed: number, passages: number) {
  return [...syntheticArticles({ ...options, seed, passages })].flatMap((a) =>
    splitArticle(parseArticle(a.source, a.content)),
  );
}

describe("synthetic corpus", () => {
  it("is the same for the same seed, and different for another", () => {
    const a = [...syntheticArticles({ ...options, seed: 7, passages: 300 })];
    const b = [...syntheticArticles({ ...options, seed: 7, passages: 300 })];
    const c = [...syntheticArticles({ ...options, seed: 8, passages: 300 })];
    expect(b).toEqual(a);
    expect(c.map((x) => x.content)).not.toEqual(a.map((x) => x.content));
  });

  it("splits into exactly the passages asked for, one per paragraph line", () => {
    for (const n of [50, 333, 1000]) expect(passagesOf(1, n)).toHaveLength(n);
  });

  it("makes a smaller corpus a prefix of a larger one", () => {
    const small = [...syntheticArticles({ ...options, seed: 2, passages: 200 })];
    const large = [...syntheticArticles({ ...options, seed: 2, passages: 1000 })];
    expect(large.slice(0, small.length - 1)).toEqual(small.slice(0, -1));
  });

  it("keeps the seed's sentence shapes with varied words, and a growing vocabulary", () => {
    const passages = passagesOf(1, 2000);
    const words = passages.flatMap((p) => p.pageContent.toLowerCase().match(/[a-z]+/g) ?? []);
    const distinct = new Set(words).size;
    expect(distinct).toBeGreaterThan(5000);
    expect(distinct).toBeLessThan(words.length / 3);
    const texts = new Set(passages.map((p) => p.pageContent));
    expect(texts.size).toBeGreaterThan(passages.length * 0.95);
  });

  it("draws the same questions for the same seed", () => {
    const passages = passagesOf(1, 200);
    const questions = syntheticQuestions(passages, 50, 4);
    expect(syntheticQuestions(passages, 50, 4)).toEqual(questions);
    expect(questions.every((q) => q.endsWith("?") && q.split(" ").length >= 3)).toBe(true);
  });
});

describe("benchmark chart", () => {
  it("draws a chart as plain SVG, with round axis tops", () => {
    const svg = renderChart(
      [
        {
          title: "T",
          yLabel: "ms",
          series: [
            {
              name: "a <b>",
              color: "red",
              points: [
                [1000, 1],
                [100000, 3],
              ],
            },
          ],
        },
      ],
      "caption",
    );
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain("<polyline");
    expect(svg).toContain("a &lt;b&gt;");
    expect([niceCeiling(0.7), niceCeiling(3), niceCeiling(21), niceCeiling(240)]).toEqual([1, 5, 25, 250]);
  });
});
