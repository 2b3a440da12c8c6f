/**
 * "What is this article about?" is the first thing most people ask. It gets an overview, the
 * whole-corpus briefing's best points quoted and cited, while any question that asks something
 * specific (even one that says "about" or "main") still goes to the ordinary answerer.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Briefing } from "../../src/briefing/briefing.js";
import { ask } from "../../src/commands/ask.js";
import { brief } from "../../src/commands/brief.js";
import { isOverviewRequest, OVERVIEW_POINTS, overviewAnswer } from "../../src/commands/overview.js";
import { makeStack, type TestStack } from "../helpers/services.js";

/** Overview requests as people type them: casual, lowercase, misspelt, without a question mark. */
const OVERVIEW_REQUESTS = [
  "what is this article about?",
  "What is this article about",
  "whats this article about",
  "what's this about",
  "What’s it all about?",
  "what is the story about",
  "what are these articles about?",
  "summarize the article",
  "Summarise this article for me please",
  "can you summarize it",
  "sumarize",
  "summerize the article pls",
  "sum it up",
  "summary",
  "summary?",
  "give me a quick summary",
  "tl;dr",
  "TLDR",
  "tl dr?",
  "what are the main points?",
  "main points of the article",
  "what are the key points",
  "key takeaways",
  "what are the key takeaways from this piece?",
  "takeaways",
  "give me the gist",
  "what's the gist",
  "the gist of it please",
  "overview please",
  "can you give me an overview of the article?",
  "overveiw",
  "in a nutshell?",
  "what does the article say",
  "what is this article talking about",
  "what's the main idea",
  "what are the highlights",
  "recap",
  "brief me",
];

/** Questions that say "about", "main", "summary"… but ask something in particular. */
const SPECIFIC_QUESTIONS = [
  "what is the main goal of the visit?",
  "what was said about taiwan?",
  "what are the main issues between both countries?",
  "what are the main issues?",
  "what about taiwan",
  "what is the visit about",
  "what is this article about taiwan",
  "is this article about china?",
  "summarize what qin said about taiwan",
  "summary of the fentanyl issue",
  "what are the main points about chips",
  "what is the main point of contention",
  "what did the article say about fentanyl",
  "what is the main risk",
  "what does this mean for taiwan",
  "what is fentanyl",
  "who wrote this article",
  "what is this",
  "where was the meeting held",
  "summer",
  "please",
  "",
];

describe("isOverviewRequest", () => {
  for (const q of OVERVIEW_REQUESTS) {
    it(`takes “${q}” as a request for an overview`, () => {
      expect(isOverviewRequest(q)).toBe(true);
    });
  }
  for (const q of SPECIFIC_QUESTIONS) {
    it(`leaves “${q}” to the ordinary answerer`, () => {
      expect(isOverviewRequest(q)).toBe(false);
    });
  }
});

describe("ask() with an overview request, on the seed article", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await makeStack();
  });
  afterAll(() => stack.cleanup());

  it("answers with the whole-corpus briefing's three best points, each quoted and cited", async () => {
    const a = await ask(stack.services, "what is this article about?");
    expect(a.kind).toBe("overview");
    expect(a.abstained).toBe(false);
    expect(a.sentences).toHaveLength(OVERVIEW_POINTS);
    expect(a.answer.split("\n")[0]).toBe("An overview of the article, in 3 key points:");
    // The points are those of the briefing `npm run brief -- --points 3` gives, in its order.
    const b = await brief(stack.services, { points: OVERVIEW_POINTS });
    expect(a.sentences.map((s) => s.text)).toEqual(b.points.map((p) => p.text));
    // Citations numbered 1, 2… in order of first use; every point verbatim from the passage it cites.
    expect(a.citations.map((c) => c.n)).toEqual(a.citations.map((_, i) => i + 1));
    expect(a.sentences[0]?.n).toBe(1);
    for (const s of a.sentences) {
      const c = a.citations.find((x) => x.n === s.n);
      expect(c?.text).toContain(s.text);
      expect(a.answer).toContain(`• ${s.text} [${s.n}]`);
    }
  });

  it("gives the same overview however it is asked, and an ordinary answer to a specific question", async () => {
    const first = await ask(stack.services, "tl;dr");
    for (const q of ["sumarize the article", "key takeaways", "what are the main points"]) {
      const a = await ask(stack.services, q);
      expect(a.kind).toBe("overview");
      expect(a.question).toBe(q);
      expect(a.sentences).toEqual(first.sentences);
    }
    const goal = await ask(stack.services, "what is the main goal of the visit?");
    expect(goal.kind).not.toBe("overview");
    expect(goal.answer).not.toMatch(/^An overview/);
  });
});

describe("overviewAnswer", () => {
  const empty: Briefing = {
    topic: null,
    covered: false,
    requested: OVERVIEW_POINTS,
    points: [],
    citations: [],
    corpus: { checksum: "0".repeat(64), builtAt: "2025-06-18T09:00:00.000Z", articles: 0, passages: 0 },
    method: "extractive briefing · test",
  };

  it("says honestly that there is nothing to give an overview of when the briefing has no points", () => {
    const a = overviewAnswer("tl;dr", empty);
    expect(a).toMatchObject({ question: "tl;dr", kind: "abstained", abstained: true, sentences: [], citations: [] });
    expect(a.answer).toMatch(/nothing to give an overview of/);
    const none = overviewAnswer("summary", { ...empty, corpus: { ...empty.corpus, articles: 2, passages: 9 } });
    expect(none.answer).toMatch(/No point of the 2 articles/);
  });
});
