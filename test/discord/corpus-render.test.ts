/**
 * `/corpus`'s pure pieces: its custom ids (they fit Discord's 100 characters whatever the
 * source path), the list's pages and buttons, and that text from articles and names of members
 * is escaped, mention-free and within Discord's limits however long it is.
 */
import { embedLength } from "discord.js";
import { describe, expect, it } from "vitest";
import type { CorpusArticle } from "../../src/curation/types.js";
import { articleKey, pageId, removeId } from "../../src/discord/corpus/custom-ids.js";
import { DISCORD_LIMITS } from "../../src/discord/limits.js";
import {
  ARTICLES_PER_PAGE,
  pageCount,
  renderArticle,
  renderCorpusList,
  renderRemoveQuestion,
} from "../../src/discord/render/corpus.js";

function article(n: number, overrides: Partial<CorpusArticle> = {}): CorpusArticle {
  return {
    source: `article-${n}.md`,
    title: `Article ${n}`,
    passages: n,
    addedBy: null,
    addedAt: null,
    ...overrides,
  };
}

const HOSTILE = "@everyone <@123> **bold** [link](https://evil.example) # heading";

describe("corpus custom ids", () => {
  it("stay within 100 characters and free of ':' for any source", () => {
    const long = `${"deep/".repeat(60)}a:b.md`;
    expect(removeId(long).length).toBeLessThanOrEqual(DISCORD_LIMITS.customId);
    expect(removeId(long).split(":")).toHaveLength(2);
    expect(articleKey(long)).toBe(articleKey(long));
    expect(articleKey("a.md")).not.toBe(articleKey("b.md"));
    expect(pageId(3)).toBe("corpus-page:3");
  });
});

describe("renderCorpusList", () => {
  it("pages ten articles at a time with ◀ and ▶, disabled at the ends", () => {
    const articles = Array.from({ length: 23 }, (_, i) => article(i + 1));
    expect(pageCount(23)).toBe(3);
    const middle = renderCorpusList(articles, [], 2);
    const lines = middle.embeds[0]?.description?.split("\n") ?? [];
    expect(lines).toHaveLength(ARTICLES_PER_PAGE);
    expect(lines[0]).toMatch(/^11\. \*\*Article 11\*\*/);
    expect(middle.embeds[0]?.footer?.text).toBe("Page 2 of 3");
    const buttons = middle.components[0]?.components ?? [];
    expect(buttons.map((b) => ("custom_id" in b ? [b.custom_id, b.disabled] : null))).toEqual([
      ["corpus-page:1", false],
      ["corpus-page:3", false],
    ]);
    // A page past the end (the corpus shrank since the button was drawn) shows the last one.
    expect(renderCorpusList(articles, [], 9).embeds[0]?.footer?.text).toBe("Page 3 of 3");
    const last = renderCorpusList(articles, [], 3).components[0]?.components ?? [];
    expect(last.map((b) => ("disabled" in b ? b.disabled : null))).toEqual([false, true]);
  });

  it("has no buttons for one page, and says how to add to an empty corpus", () => {
    expect(renderCorpusList([article(1)], [], 1).components).toEqual([]);
    expect(renderCorpusList([], [], 1).embeds[0]?.description).toMatch(/\/corpus add/);
  });

  it("escapes titles and members' names and keeps them mention-free, within the embed limits", () => {
    const articles = Array.from({ length: 10 }, (_, i) =>
      article(i, { title: `${HOSTILE} ${"x".repeat(3000)}`, addedBy: HOSTILE, addedAt: "2026-01-02T03:04:05.000Z" }),
    );
    const log = Array.from({ length: 5 }, (_, i) => ({
      id: i,
      at: "2026-01-02T03:04:05.000Z",
      actor: { id: "1", name: HOSTILE },
      action: "add" as const,
      source: "a.md",
      title: HOSTILE,
      origin: "a.md",
      checksum: "0",
      undone: i === 0,
    }));
    const embed = renderCorpusList(articles, log, 1).embeds[0];
    const text = JSON.stringify(embed);
    expect(text).not.toMatch(/@everyone|<@123>|\]\(https/);
    expect(text).toMatch(/\\\\\*\\\\\*bold/);
    expect(text).toMatch(/<t:1767323045:R>/);
    expect(embed && embedLength(embed)).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
    expect(embed?.description?.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedDescription);
  });
});

describe("renderArticle and renderRemoveQuestion", () => {
  it("quote the article escaped and within limits", () => {
    const shown = renderArticle({
      source: "a.md",
      title: HOSTILE,
      frontMatter: { title: HOSTILE, author: "<@&42>", url: "https://example.com/a" },
      firstParagraph: `${HOSTILE} ${"long ".repeat(2000)}`,
      passages: 4,
    }).embeds[0];
    const text = JSON.stringify(shown);
    expect(text).not.toMatch(/@everyone|<@123>|<@&42>/);
    expect(shown?.description?.startsWith("> ")).toBe(true);
    expect(shown && embedLength(shown)).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
    const question = renderRemoveQuestion(article(1, { title: HOSTILE }));
    expect(JSON.stringify(question)).not.toMatch(/@everyone/);
    expect(question.components[0]?.components.map((b) => ("label" in b ? b.label : ""))).toEqual(["Remove", "Keep it"]);
  });
});
