import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseArticle } from "../../src/corpus/load-corpus.js";
import { splitSentences } from "../../src/corpus/sentences.js";
import { DEFAULT_SPLIT_OPTIONS, passageId, splitArticle } from "../../src/corpus/split-passages.js";

const SEED = "blinken-china-visit.md";
const seed = parseArticle(SEED, readFileSync(new URL(`../../corpus/${SEED}`, import.meta.url), "utf8"));

describe("splitArticle", () => {
  const passages = splitArticle(seed);

  it("cuts the seed article into one passage per paragraph line", () => {
    const lines = seed.content
      .slice(seed.bodyStart)
      .split("\n")
      .filter((l) => l.trim() !== "");
    expect(passages).toHaveLength(lines.length);
    expect(passages.map((p) => p.metadata.paragraph)).toEqual(lines.map((_, i) => i + 1));
  });

  it("keeps offsets that reproduce every passage and sentence from the source file", () => {
    for (const p of passages) {
      const m = p.metadata;
      expect(seed.content.slice(m.start, m.end)).toBe(p.pageContent);
      expect(m.source).toBe(SEED);
      expect(m.title).toBe("Blinken’s visit to China — An Analysis");
      const joined = m.sentences.map((s) => seed.content.slice(s.start, s.end)).join(" ");
      expect(joined.replace(/\s+/g, " ")).toBe(p.pageContent.replace(/\s+/g, " "));
    }
  });

  it("gives the same ids when the same text is split again, and different ids to different text", () => {
    const again = splitArticle(parseArticle(SEED, seed.content));
    expect(again.map((p) => p.metadata.id)).toEqual(passages.map((p) => p.metadata.id));
    expect(new Set(passages.map((p) => p.metadata.id)).size).toBe(passages.length);
  });

  it("keeps a passage's id when other paragraphs change around it", () => {
    const edited = parseArticle(
      SEED,
      seed.content.replace(
        "Nothing special was announced after the meeting.",
        "A new paragraph.\nNothing special was announced after the meeting.",
      ),
    );
    const ids = new Set(splitArticle(edited).map((p) => p.metadata.id));
    for (const p of passages) expect(ids.has(p.metadata.id)).toBe(true);
  });

  it("keeps the article's typos and quotation marks verbatim", () => {
    const text = passages.map((p) => p.pageContent).join("\n");
    expect(text).toContain("ahead of Blinkin’s visit");
    expect(text).toContain("said ‘candid ‘ talks were held");
  });

  it("cuts a long paragraph between sentences and numbers repeated text apart", () => {
    const sentence = "This sentence is about forty characters long. ";
    const content = `${sentence.repeat(60).trim()}\nSame line.\nSame line.\n`;
    const article = parseArticle("long.txt", content);
    const ps = splitArticle(article, { maxChars: 400 });
    const first = ps.filter((p) => p.metadata.paragraph === 1);
    expect(first.length).toBeGreaterThan(5);
    for (const p of first) {
      expect(p.pageContent.length).toBeLessThanOrEqual(400);
      expect(p.pageContent.endsWith(".")).toBe(true);
    }
    const copies = ps.filter((p) => p.pageContent === "Same line.");
    expect(copies).toHaveLength(2);
    expect(copies[0]?.metadata.id).not.toBe(copies[1]?.metadata.id);
  });

  it("cuts an unpunctuated 1 MB paragraph into bounded passages at word boundaries, losing no word", () => {
    const words = Array.from({ length: 150_000 }, (_, i) => `word${i % 997}`);
    const content = `${words.join(" ")}\n`;
    expect(content.length).toBeGreaterThan(1_000_000);
    const article = parseArticle("run-on.txt", content);
    const ps = splitArticle(article);
    expect(ps.length).toBeGreaterThan(250);
    for (const p of ps) {
      expect(p.pageContent.length).toBeLessThanOrEqual(DEFAULT_SPLIT_OPTIONS.maxPassageChars);
      expect(p.pageContent).toBe(content.slice(p.metadata.start, p.metadata.end));
      // Cut between words: each piece begins and ends a word of the original.
      expect(p.pageContent).toMatch(/^word\d+( word\d+)*$/);
    }
    expect(ps.map((p) => p.pageContent).join(" ")).toBe(words.join(" "));
  });

  it("cuts a run with no white space at the maximum, never inside a surrogate pair", () => {
    const run = "𝔸".repeat(3000); // 6,000 UTF-16 units, no space anywhere
    const ps = splitArticle(parseArticle("run.txt", `${run}\n`), { maxChars: 1000, maxPassageChars: 1001 });
    expect(ps.map((p) => p.pageContent).join("")).toBe(run);
    for (const p of ps) {
      expect(p.pageContent.length).toBeLessThanOrEqual(1001);
      expect(p.pageContent).toMatch(/^(?:\uD835\uDD38)+$/);
    }
  });

  it("leaves Markdown headings out of passages but counts real paragraphs", () => {
    const article = parseArticle("h.md", "# Heading\n\nFirst paragraph.\n\n## Sub\nSecond paragraph.\n");
    const ps = splitArticle(article);
    expect(ps.map((p) => p.pageContent)).toEqual(["First paragraph.", "Second paragraph."]);
    expect(ps.map((p) => p.metadata.paragraph)).toEqual([1, 2]);
  });

  it("derives ids from the source and text", () => {
    expect(passageId("a.md", "text")).toBe(passageId("a.md", "text"));
    expect(passageId("a.md", "text")).not.toBe(passageId("b.md", "text"));
    expect(passageId("a.md", "text")).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe("splitSentences", () => {
  const texts = (t: string) => splitSentences(t).map((s) => t.slice(s.start, s.end));

  it("does not break after titles, initials or abbreviations", () => {
    expect(texts("Mr. Qin met Dr. Lee in the U.S. on Jan. 5 with John F. Kennedy. Then he left.")).toEqual([
      "Mr. Qin met Dr. Lee in the U.S. on Jan. 5 with John F. Kennedy.",
      "Then he left.",
    ]);
  });

  it("ends a sentence after closing quotes and keeps the quote with it", () => {
    expect(texts("He said “stop.” Then “go!” she said. Fine")).toEqual([
      "He said “stop.”",
      "Then “go!” she said.",
      "Fine",
    ]);
  });

  it("splits the seed's odd punctuation (a stray comma and period) where a reader would", () => {
    const t = "one of “China’s core interests”, . Reportedly Qin has said that";
    expect(texts(t)).toEqual(["one of “China’s core interests”, .", "Reportedly Qin has said that"]);
  });
});
