import { describe, expect, it } from "vitest";
import type { Article } from "../../../src/corpus/article.js";
import { splitArticle } from "../../../src/corpus/split-passages.js";
import { emptyCorpusError, splitCorpus } from "../../../src/index/build/split-corpus.js";
import { sha256 } from "../../../src/index/checksum.js";

function article(source: string, body: string): Article {
  const content = `---\ntitle: ${source}\n---\n${body}`;
  return { source, title: source, url: null, date: null, content, bodyStart: content.indexOf(body) };
}

const one = article("one.md", "First paragraph of one.\n\nSecond paragraph of one.\n");
const two = article("two.md", "Only paragraph of two.\n");

describe("splitCorpus", () => {
  it("splits every article in order and lists each with its passage count and checksum", async () => {
    const { passages, articles } = await splitCorpus({ articles: [one, two], skipped: [] }, null);
    expect(passages).toEqual([...splitArticle(one), ...splitArticle(two)]);
    expect(articles).toEqual([
      { source: "one.md", title: "one.md", passages: splitArticle(one).length, sha256: sha256(one.content) },
      { source: "two.md", title: "two.md", passages: 1, sha256: sha256(two.content) },
    ]);
  });

  it("takes the stored passages of an unchanged article, and splits a changed one again", async () => {
    const before = { articles: [one, two], skipped: [] };
    const first = await splitCorpus(before, null);
    const previous = { manifest: { articles: first.articles }, stored: { passages: first.passages } };
    const changed = article("two.md", "A rewritten paragraph of two.\n");
    const { passages } = await splitCorpus({ articles: [one, changed], skipped: [] }, previous);
    const n = splitArticle(one).length;
    // The very objects stored, not equal copies: they were not split again.
    expect(passages.slice(0, n).every((p, i) => p === first.passages[i])).toBe(true);
    expect(passages.slice(n)).toEqual(splitArticle(changed));
    expect(passages[n]).not.toBe(first.passages[n]);
  });

  it("splits again an article whose stored passages do not add up to its count", async () => {
    const first = await splitCorpus({ articles: [one], skipped: [] }, null);
    const previous = { manifest: { articles: first.articles }, stored: { passages: first.passages.slice(1) } };
    const { passages } = await splitCorpus({ articles: [one], skipped: [] }, previous);
    expect(passages).toEqual(first.passages);
    expect(passages[0]).not.toBe(first.passages[0]);
  });

  it("explains an empty corpus with the files it skipped", () => {
    expect(emptyCorpusError("corpus", [{ source: "x.md", reason: "it is empty" }])).toMatchObject({
      code: "CORPUS_EMPTY",
      message:
        "The corpus folder corpus has no readable articles (skipped: x.md: it is empty). The current index was kept.",
    });
  });
});
