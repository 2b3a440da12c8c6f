/**
 * Briefings on the seed article, made by the real stack: the index, retrieval, WordNet and the
 * local embedder. They must cover the article's distinct angles without repeating themselves,
 * stay on a topic when given one, say so when the corpus does not cover it, and quote every
 * point verbatim from the passage it cites.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Briefing } from "../../src/briefing/briefing.js";
import { briefingJson } from "../../src/briefing/briefing-json.js";
import { briefingFileName, briefingMarkdown } from "../../src/briefing/markdown-document.js";
import { briefingSections } from "../../src/briefing/presentation.js";
import { briefingUnits } from "../../src/briefing/units.js";
import { brief, cleanPoints, cleanTopic } from "../../src/commands/brief.js";
import { markNewSince } from "../../src/schedule/changes.js";
import { stems } from "../../src/text/analyze.js";
import { makeStack, type TestStack } from "../helpers/services.js";

let stack: TestStack;
beforeAll(async () => {
  stack = await makeStack();
});
afterAll(() => stack.cleanup());

/** The angles of the seed article a reader would want briefed, by the words that show each. */
const ANGLES: Record<string, RegExp> = {
  taiwan: /taiwan/i,
  technology: /\bchips?\b|computer|technolog|micron/i,
  fentanyl: /fentanyl|\bdrugs?\b|opioid/i,
  russiaUkraine: /russia|ukrain/i,
  military: /military|warship|\bwar\b|weapons|conflict/i,
  domesticPolitics: /election|rhetoric|trump|tariff/i,
};

/**
 * How many angles distinct points cover: a maximum matching of points to angles, so one point
 * that lists several issues counts for one angle only.
 */
function anglesCovered(points: readonly { text: string }[]): string[] {
  const owner = new Map<string, number>();
  const assign = (p: number, seen: Set<string>): boolean => {
    for (const [angle, re] of Object.entries(ANGLES)) {
      if (seen.has(angle) || !re.test(points[p]?.text ?? "")) continue;
      seen.add(angle);
      const other = owner.get(angle);
      if (other === undefined || assign(other, seen)) {
        owner.set(angle, p);
        return true;
      }
    }
    return false;
  };
  points.forEach((_, p) => {
    assign(p, new Set());
  });
  return [...owner.keys()].sort();
}

/** Share of content stems two texts have in common (Jaccard). */
function overlap(a: string, b: string): number {
  const x = new Set(stems(a));
  const y = new Set(stems(b));
  const shared = [...x].filter((s) => y.has(s)).length;
  return shared / (x.size + y.size - shared || 1);
}

function expectWellFormed(b: Briefing): void {
  b.citations.forEach((c, i) => {
    expect(c.n).toBe(i + 1);
  });
  for (const p of b.points) {
    expect(p.heading.length).toBeGreaterThan(0);
    expect(p.heading.length).toBeLessThanOrEqual(40);
    expect(p.citations).toHaveLength(1);
    // Quoted verbatim: the point is a piece of the passage it cites.
    for (const c of p.citations) expect(c.text).toContain(p.text);
    expect(b.citations).toContain(p.citations[0]);
  }
  // Points under one heading are consecutive: each heading is one section.
  const headings = briefingSections(b).map((s) => s.heading);
  expect(new Set(headings).size).toBe(headings.length);
}

describe("a briefing on the whole corpus", () => {
  it("covers at least five distinct angles of the article, one point each, in six points", async () => {
    const b = await brief(stack.services, {});
    expect(b.topic).toBeNull();
    expect(b.covered).toBe(true);
    expect(b.points).toHaveLength(6);
    expect(anglesCovered(b.points).length).toBeGreaterThanOrEqual(5);
    expectWellFormed(b);
  });

  it("never repeats itself: no two points share more than a third of their words", async () => {
    for (const points of [3, 6, 10]) {
      const b = await brief(stack.services, { points });
      expect(b.points.length).toBe(points);
      for (let i = 0; i < b.points.length; i++) {
        for (let j = i + 1; j < b.points.length; j++)
          expect(overlap(b.points[i]?.text ?? "", b.points[j]?.text ?? "")).toBeLessThan(1 / 3);
      }
      expectWellFormed(b);
    }
  });

  it("puts points under headings from their own words, in article order within each heading", async () => {
    const b = await brief(stack.services, { points: 10 });
    for (const section of briefingSections(b)) {
      const paragraphs = section.points.map((p) => Number(p.citations[0]?.location.replace(/\D+/g, "")));
      expect(paragraphs).toEqual([...paragraphs].sort((x, y) => x - y));
      if (section.points.length > 1) {
        // A shared heading names words its points share.
        const words = section.heading
          .toLowerCase()
          .split(/\s+and\s+|\s+/)
          .map((w) => stems(w)[0] ?? w);
        for (const p of section.points) expect(words.some((w) => stems(p.text).includes(w))).toBe(true);
      } else {
        const [word] = stems(section.heading.split(/\s+/).at(-1) ?? "");
        expect(stems(section.points[0]?.text ?? "")).toContain(word);
      }
    }
  });
});

describe("a briefing over two articles that tell the same story", () => {
  let twice: TestStack;
  beforeAll(async () => {
    twice = await makeStack();
    // A second report repeating the seed article's key sentences, lightly reworded.
    const copy = [
      "---",
      'title: "Blinken in Beijing: a wire report"',
      "---",
      "China sees self-ruled Taiwan as a breakaway province that will eventually be under Beijing’s control, but Taiwan sees itself as distinct from the Chinese mainland with its own constitution and leaders.",
      "The main issues between the two countries which Americans expected to be discussed include the war in Ukraine, trade disputes over advanced computer technologies, the fentanyl drug epidemic in the US and Chinese human rights.",
      "US government officials have since backed away from those accusations, removing what could have been a contentious issue that risked turning the Ukraine-Russia conflict into a proxy war between the US and China.",
      "US and Chinese warships have been facing off in a high-stakes game of chicken over the Taiwan Strait and the South China Sea.",
    ].join("\n");
    await writeFile(join(twice.corpusDir, "wire-report.md"), `${copy}\n`);
    await twice.services.indexes.rebuild();
  });
  afterAll(() => twice.cleanup());

  it("quotes each thing once, however many articles say it", async () => {
    for (const topic of [null, "Taiwan", "Russia"]) {
      const b = await brief(twice.services, { topic, points: 8 });
      for (let i = 0; i < b.points.length; i++) {
        for (let j = i + 1; j < b.points.length; j++)
          expect(overlap(b.points[i]?.text ?? "", b.points[j]?.text ?? "")).toBeLessThan(0.5);
      }
      expectWellFormed(b);
    }
  });
});

describe("a briefing on a topic", () => {
  const cases: [string, RegExp][] = [
    ["Taiwan", /Taiwan/],
    ["fentanyl", /fentanyl|drug|opioid/i],
    ["chips", /chip|computer|technolog|Micron/i],
    ["Russia", /Russia|Ukrain/],
    ["the fentanyl angle", /fentanyl|drug|opioid/i],
    // The article never says "crisis", "issue" or "incident": the head of the topic is what counts.
    ["the fentanyl crisis", /fentanyl/i],
    ["the spy balloon", /balloon/i],
    ["the balloon incident", /balloon/i],
    ["the Taiwan issue", /Taiwan/],
  ];
  for (const [topic, about] of cases) {
    it(`cites only passages about ${topic}, and quotes the topic in every point`, async () => {
      const b = await brief(stack.services, { topic, points: 5 });
      expect(b.topic).toBe(topic);
      expect(b.covered).toBe(true);
      expect(b.points.length).toBeGreaterThanOrEqual(2);
      expect(b.points.length).toBeLessThanOrEqual(5);
      for (const c of b.citations) expect(c.text).toMatch(about);
      for (const p of b.points) expect(p.text).toMatch(about);
      expectWellFormed(b);
    });
  }

  it("gives all the corpus has on Taiwan, and no padding when asked for more", async () => {
    const b = await brief(stack.services, { topic: "Taiwan", points: 10 });
    expect(b.requested).toBe(10);
    expect(b.citations.map((c) => c.location).sort()).toEqual(["¶ 30", "¶ 7", "¶ 8", "¶ 9"]);
  });

  it("gives every passage that mentions the topic's head as a point: the three on fentanyl, the three on the balloon", async () => {
    const fentanyl = await brief(stack.services, { topic: "the fentanyl crisis" });
    expect(fentanyl.citations.map((c) => c.location).sort()).toEqual(["¶ 11", "¶ 25", "¶ 26"]);
    const balloon = await brief(stack.services, { topic: "the spy balloon" });
    expect(balloon.citations.map((c) => c.location).sort()).toEqual(["¶ 16", "¶ 27", "¶ 5"]);
  });

  it("narrows the head by a name that follows it: the war in Ukraine, not the Cold War", async () => {
    const b = await brief(stack.services, { topic: "the war in Ukraine" });
    expect(b.covered).toBe(true);
    for (const p of b.points) expect(p.text).toMatch(/Ukrain/);
    expect(b.points.some((p) => /Cold War/.test(p.text))).toBe(false);
  });

  it("reports a topic whose head the corpus never mentions as not covered, whatever else it shares", async () => {
    for (const topic of ["the pasta recipe", "the pasta crisis", "the Taiwan recipe"]) {
      const b = await brief(stack.services, { topic });
      expect(b.covered, topic).toBe(false);
      expect(new Set(b.points.map((p) => p.heading))).toEqual(new Set(["Nearest passages"]));
    }
  });

  it("reports cricket as not covered, with the nearest passages and nothing passed off as points", async () => {
    const b = await brief(stack.services, { topic: "cricket" });
    expect(b.covered).toBe(false);
    expect(b.points.length).toBeGreaterThan(0);
    expect(b.points.length).toBeLessThanOrEqual(3);
    expect(new Set(b.points.map((p) => p.heading))).toEqual(new Set(["Nearest passages"]));
    expect(briefingMarkdown(b, new Date()).toLowerCase()).toContain("does not cover “cricket”");
    expectWellFormed(b);
  });

  it("is not covered when half the topic is missing from the corpus", async () => {
    const b = await brief(stack.services, { topic: "Taiwan cricket" });
    expect(b.covered).toBe(false);
  });

  it("matches a word the corpus never uses by a strongly related one (narcotics → drug)", async () => {
    const b = await brief(stack.services, { topic: "narcotics" });
    expect(b.covered).toBe(true);
    for (const p of b.points) expect(p.text).toMatch(/drug|fentanyl|opioid/i);
  });

  it("refuses a topic with no word to look for, or one too long, with a reason", async () => {
    await expect(brief(stack.services, { topic: "the" })).rejects.toMatchObject({
      name: "UserError",
      code: "NO_TOPIC_WORDS",
    });
    await expect(brief(stack.services, { topic: "Taiwan ".repeat(40) })).rejects.toMatchObject({
      name: "UserError",
      code: "TOPIC_TOO_LONG",
    });
    await expect(brief(stack.services, { points: 11 })).rejects.toMatchObject({
      name: "UserError",
      code: "BAD_POINTS",
    });
  });
});

describe("cleanTopic and cleanPoints", () => {
  it("treats a blank topic as the whole corpus and tidies white space and control characters", () => {
    expect(cleanTopic(undefined)).toBeNull();
    expect(cleanTopic("  \u0000 \n")).toBeNull();
    expect(cleanTopic("  the\tfentanyl\u200b  angle ")).toBe("the fentanyl angle");
  });
  it("refuses a topic over 200 characters, however long, as a topic", () => {
    expect(() => cleanTopic("x".repeat(201))).toThrow("That topic is 201 characters long; please keep it under 200");
    expect(() => cleanTopic("x ".repeat(5000))).toThrow(
      expect.objectContaining({
        code: "TOPIC_TOO_LONG",
        // Both numbers are the topic's: its real length and the topic limit (it once said "over 500 … under 200").
        message: expect.stringMatching(/^That topic is 9999 characters long; please keep it under 200,/),
      }),
    );
    expect(cleanTopic("x".repeat(200))).toHaveLength(200);
  });
  it("accepts 3 to 10 points, defaulting to 6", () => {
    expect(cleanPoints(undefined)).toBe(6);
    expect(cleanPoints(3)).toBe(3);
    expect(cleanPoints(10)).toBe(10);
    for (const bad of [2, 11, 4.5, Number.NaN]) expect(() => cleanPoints(bad)).toThrow(/3 to 10/);
  });
});

describe("briefing units", () => {
  it("join a sentence that leans on the one before it, and never cross passages", () => {
    const units = briefingUnits(stack.services.indexes.current.passages);
    const taiwan = units.find((u) => u.text.startsWith("China sees self-ruled Taiwan"));
    expect(taiwan?.text).toMatch(/leaders\. However US President last year stated to defend Taiwan/);
    for (const u of units) expect(u.passage.pageContent.slice(u.start, u.end)).toBe(u.text);
    // Every sentence of the corpus is in exactly one unit.
    const sentences = stack.services.indexes.current.passages.reduce((n, p) => n + p.metadata.sentences.length, 0);
    expect(units.length).toBeLessThan(sentences);
    expect(new Set(units.map((u) => `${u.position}:${u.start}`)).size).toBe(units.length);
  });
});

describe("the briefing as a document and as JSON", () => {
  it("writes a Markdown document with title, date, corpus version, points with whole passages, and sources", async () => {
    const b = await brief(stack.services, { topic: "Taiwan" });
    const at = new Date("2025-06-18T09:00:00Z");
    const md = briefingMarkdown(b, at);
    const manifest = stack.services.indexes.current.manifest;
    expect(md).toMatch(/^# Briefing: Taiwan\n/);
    expect(md).toContain("- Date: 2025-06-18 09:00 UTC");
    expect(md).toContain(`- Corpus version: ${manifest.corpusChecksum.slice(0, 12)}, built ${manifest.builtAt}`);
    for (const c of b.citations) {
      expect(md).toContain(`  > ${c.text}`);
      expect(md).toContain(`${c.n}. ${c.title}, ${c.location}`);
    }
    expect(briefingFileName(b, at)).toBe("briefing-taiwan-2025-06-18.md");
  });

  it("says what changed since the last briefing and marks the new points", async () => {
    const b = await brief(stack.services, { topic: "Taiwan" });
    const ids = stack.services.indexes.current.passages.map((p) => p.metadata.id);
    const newId = b.points[1]?.citations[0]?.id ?? "";
    const previous = {
      checksum: "an older corpus",
      passageIds: new Set(ids.filter((id) => id !== newId)),
      at: "2025-06-17T09:00:00.000Z",
    };
    const md = briefingMarkdown(markNewSince(b, ids, previous), new Date());
    expect(md).toMatch(/since the briefing of 2025-06-17 09:00 UTC: 1 new passage; new points are marked 🆕/);
    expect(md).toContain(`- 🆕 ${b.points[1]?.text}`);
  });

  it("gives exactly topic, covered and points with their citations as JSON", async () => {
    const json = briefingJson(await brief(stack.services, { topic: "chips", points: 3 }));
    expect(Object.keys(json)).toEqual(["topic", "covered", "points"]);
    expect(Object.keys(json.points[0] ?? {})).toEqual(["heading", "text", "citations"]);
    expect(Object.keys(json.points[0]?.citations[0] ?? {})).toEqual(["n", "id", "source", "title", "location", "text"]);
  });
});
