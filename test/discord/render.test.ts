import { embedLength } from "discord.js";
import { describe, expect, it } from "vitest";
import type { Answer, Citation } from "../../src/answer/answer.js";
import { parseArticle } from "../../src/corpus/load-corpus.js";
import { splitArticle } from "../../src/corpus/split-passages.js";
import { neutralizeMentions, safeText } from "../../src/discord/escape.js";
import { DISCORD_LIMITS, fitEmbed, truncate } from "../../src/discord/limits.js";
import { renderAnswer } from "../../src/discord/render/answer.js";
import { renderPassage } from "../../src/discord/render/passage.js";

function citation(n: number, text: string, title = "A title"): Citation {
  return { n, id: `${n}`.padStart(16, "0"), source: "a.md", title, url: null, location: `¶ ${n}`, text };
}

describe("truncate", () => {
  it("cuts on a word boundary with an ellipsis and respects the limit", () => {
    const t = truncate("the quick brown fox jumps over the lazy dog", 20);
    expect(t.length).toBeLessThanOrEqual(20);
    expect(t).toBe("the quick brown fox…");
  });
  it("leaves short text alone and never splits a surrogate pair or leaves a dangling backslash", () => {
    expect(truncate("short", 10)).toBe("short");
    expect(truncate("a😀😀😀😀😀😀😀", 6)).not.toMatch(/[\uD800-\uDBFF]…$/);
    expect(truncate("abc\\*def ghi jkl mno", 6)).not.toMatch(/[^\\]\\…$/);
  });
});

describe("fitEmbed and renderAnswer within Discord's limits", () => {
  it("fits a very long answer and many very long passages into every limit", () => {
    const long = "Word ".repeat(3000).trim();
    const citations = Array.from({ length: 30 }, (_, i) => citation(i + 1, long, "T".repeat(400)));
    const answer: Answer = {
      question: `${"Why ".repeat(200)}?`,
      kind: "answer",
      abstained: false,
      answer: long,
      sentences: [
        { text: long, n: 1 },
        { text: long, n: 2 },
      ],
      citations,
      method: "extractive · test",
    };
    const { embeds, components } = renderAnswer(answer);
    const e = embeds[0];
    expect(e).toBeDefined();
    expect(e?.title?.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedTitle);
    expect(e?.description?.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedDescription);
    expect(e?.fields?.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedFields);
    for (const f of e?.fields ?? []) {
      expect(f.name.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedFieldName);
      expect(f.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedFieldValue);
    }
    expect(embedLength(e ?? {})).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
    expect(e?.description?.endsWith("…")).toBe(true);
    expect(components.length).toBeLessThanOrEqual(5);
    for (const row of components) expect(row.components.length).toBeLessThanOrEqual(5);
  });

  it("shows an overview as its opening line and one bullet per point, within every limit", () => {
    const long = "Word ".repeat(1500).trim();
    const points = [1, 2, 3].map((n) => ({ text: `Point ${n} @everyone ${long}`, n }));
    const overview: Answer = {
      question: "what is this article about?",
      kind: "overview",
      abstained: false,
      answer: ["An overview of the article, in 3 key points:", ...points.map((p) => `• ${p.text} [${p.n}]`)].join("\n"),
      sentences: points,
      citations: points.map((p) => citation(p.n, p.text, "T".repeat(400))),
      method: "extractive briefing · test",
    };
    const e = renderAnswer(overview, { ms: 4 }).embeds[0];
    expect(e?.description).toMatch(/^An overview of the article, in 3 key points:\n• Point 1 /);
    expect(e?.description).not.toContain("@everyone");
    expect(e?.fields?.[0]?.name).toMatch(/^Sources — \[1\] /);
    expect(e?.footer?.text).toBe("Overview of the corpus, quoted from it · extractive briefing · test · 4 ms");
    expect(e?.description?.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedDescription);
    for (const f of e?.fields ?? []) expect(f.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedFieldValue);
    expect(embedLength(e ?? {})).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);

    // Short points keep one bullet each, every one with its bold marker.
    const short = [1, 2, 3].map((n) => ({ text: `Point ${n}.`, n }));
    const small = renderAnswer({ ...overview, sentences: short, citations: short.map((p) => citation(p.n, p.text)) });
    expect(small.embeds[0]?.description).toBe(
      "An overview of the article, in 3 key points:\n• Point 1. **[1]**\n• Point 2. **[2]**\n• Point 3. **[3]**",
    );
  });

  it("keeps every field when they fit, and shortens the tail when they do not", () => {
    const fitting = fitEmbed({
      description: "d",
      fields: [
        { name: "a", value: "v" },
        { name: "b", value: "w" },
      ],
    });
    expect(fitting.fields).toHaveLength(2);
    const crowded = fitEmbed({
      description: "x".repeat(4000),
      fields: Array.from({ length: 10 }, (_, i) => ({ name: `f${i}`, value: "y".repeat(1000) })),
    });
    expect(embedLength(crowded)).toBeLessThanOrEqual(6000);
    expect(crowded.fields?.length).toBeLessThan(10);
  });

  it("counts the footer and author against the 6,000 total, as Discord does, but not the url", () => {
    const full = fitEmbed({
      title: "t".repeat(256),
      description: "x".repeat(4096),
      footer: { text: "f".repeat(2048) },
      author: { name: "a".repeat(256) },
      url: `https://example.com/${"u".repeat(5000)}`,
    });
    expect(full.footer?.text).toHaveLength(2048);
    expect(full.author?.name).toHaveLength(256);
    expect(full.description?.length).toBe(6000 - 256 - 2048 - 256);
  });
});

describe("safeText", () => {
  it("breaks every kind of mention", () => {
    const out = safeText(
      "@everyone @here <@123456789012345678> <@!123456789012345678> <@&123456789012345678> <#123456789012345678>",
    );
    expect(out).not.toMatch(/@everyone|@here|<@\d|<@!|<@&|<#\d/);
  });
  it("escapes Markdown so quoted text cannot format or hide a link", () => {
    const out = safeText("**bold** _it_ `code` ||spoiler|| # Heading [text](https://x.example) ~~s~~");
    expect(out).toContain("\\*\\*bold\\*\\*");
    expect(out).toContain("\\`code\\`");
    expect(out).toContain("\\|\\|spoiler\\|\\|");
    expect(out).not.toContain("](https://");
  });
  it("leaves ordinary article text readable", () => {
    expect(neutralizeMentions("US officials say the main goal is to stabilise relations.")).toBe(
      "US officials say the main goal is to stabilise relations.",
    );
  });
});

describe("rendering a huge passage", () => {
  // Italic markers over a megabyte: escaping all of it took minutes before it was cut first.
  const huge = "_a b_ *c* ".repeat(100_000);
  const passage = splitArticle(parseArticle("huge.txt", `${huge}\n`), {
    maxChars: 1000,
    maxPassageChars: 2_000_000,
  })[0];

  it("cuts the text to Discord's size before escaping it, so it is bounded and still escaped", () => {
    expect(passage?.pageContent.length).toBeGreaterThan(900_000);
    if (!passage) return;
    const embed = renderPassage(passage).embeds[0];
    const description = embed?.description ?? "";
    expect(description.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedDescription);
    expect(description.startsWith("\\_a b\\_ \\*c\\* \\_a b\\_")).toBe(true);
    expect(description.endsWith("…")).toBe(true);
    expect(embedLength(embed ?? {})).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
  });

  it("quotes an answer sentence of a megabyte within the limits", () => {
    const answer = {
      question: "q",
      answer: huge,
      kind: "answer",
      abstained: false,
      method: "hybrid",
      sentences: [{ n: 1, text: huge }],
      citations: [],
    } as unknown as Answer;
    const embed = renderAnswer(answer).embeds[0];
    expect(embed?.description?.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedDescription);
    expect(embed?.description?.startsWith("\\_a b\\_")).toBe(true);
  });
});
