import { embedLength } from "discord.js";
import { describe, expect, it } from "vitest";
import type { Citation } from "../../src/answer/answer.js";
import type { Briefing } from "../../src/briefing/briefing.js";
import { DISCORD_LIMITS } from "../../src/discord/limits.js";
import { renderBriefing } from "../../src/discord/render/briefing.js";

function citation(n: number, text: string): Citation {
  return {
    n,
    id: `${n}`.padStart(16, "0"),
    source: "a.md",
    title: "T".repeat(300),
    url: null,
    location: `¶ ${n}`,
    text,
  };
}

const corpus = { checksum: "0123456789abcdef0123", builtAt: "2025-06-18T09:00:00.000Z", articles: 2, passages: 40 };

describe("renderBriefing", () => {
  it("fits ten very long points, headings and sources into every limit of one embed", () => {
    const long = "Word ".repeat(900).trim();
    const citations = Array.from({ length: 10 }, (_, i) => citation(i + 1, long));
    const briefing: Briefing = {
      topic: "x".repeat(300),
      covered: true,
      requested: 10,
      points: citations.map((c, i) => ({ heading: `Heading ${i % 3} ${"h".repeat(300)}`, text: long, citations: [c] })),
      citations,
      corpus,
      method: "extractive briefing · test",
    };
    const { embeds, components } = renderBriefing(briefing, { ms: 12 });
    const e = embeds[0] ?? {};
    expect(e.title?.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedTitle);
    expect(e.description?.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedDescription);
    for (const f of e.fields ?? []) expect(f.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedFieldValue);
    expect(embedLength(e)).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
    // Every point keeps its citation marker: points are shortened, never dropped.
    for (let n = 1; n <= 10; n++) expect(e.description).toContain(`**[${n}]**`);
    expect(e.footer?.text).toBe("Quoted from the corpus · corpus 0123456789ab · extractive briefing · test · 12 ms");
    expect(components.flatMap((r) => r.components)).toHaveLength(10);
  });

  it("escapes what the corpus says, so a quoted article cannot ping or format", () => {
    const text = "@everyone look at **this** [link](https://evil.example) <@&1234567890123456789>";
    const c = citation(1, text);
    const briefing: Briefing = {
      topic: "@here",
      covered: true,
      requested: 3,
      points: [{ heading: "@everyone", text, citations: [c] }],
      citations: [c],
      corpus,
      method: "m",
    };
    const json = JSON.stringify(renderBriefing(briefing));
    expect(json).not.toMatch(/(?<!\\u200b)@(everyone|here)/);
    expect(json).not.toMatch(/<@&\d/);
    expect(json).not.toContain("](https://evil.example)");
    expect(json).not.toContain("**this**");
  });
});
