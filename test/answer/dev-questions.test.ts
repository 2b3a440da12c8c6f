/**
 * Answer quality on the development question set (test/fixtures/dev-questions.json), through
 * the real stack: corpus → passages → local embedder → HNSW + BM25 → extractive answer.
 * The floors sit a little under what the shipped settings reach, so a change that makes
 * answers worse fails here; the per-question cases pin behaviour users were promised.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Answer } from "../../src/answer/answer.js";
import { ask } from "../../src/commands/ask.js";
import { makeStack, type TestStack } from "../helpers/services.js";

interface DevSet {
  answerable: { id: string; question: string; gold: string; style: string }[];
  unanswerable: { id: string; question: string; nearMiss: boolean }[];
}
const dev = JSON.parse(readFileSync(new URL("../fixtures/dev-questions.json", import.meta.url), "utf8")) as DevSet;

let stack: TestStack;
const answers = new Map<string, Answer>();

beforeAll(async () => {
  stack = await makeStack();
  for (const q of [...dev.answerable, ...dev.unanswerable]) answers.set(q.id, await ask(stack.services, q.question));
});
afterAll(() => stack.cleanup());

const get = (id: string): Answer => {
  const a = answers.get(id);
  if (!a) throw new Error(`no answer for ${id}`);
  return a;
};

describe("answers on the development set", () => {
  it("has enough questions of each kind to mean something", () => {
    expect(dev.answerable.length).toBeGreaterThanOrEqual(150);
    expect(dev.unanswerable.length).toBeGreaterThanOrEqual(80);
    expect(dev.unanswerable.filter((q) => q.nearMiss).length).toBeGreaterThanOrEqual(40);
    expect(new Set(dev.answerable.map((q) => q.style))).toEqual(
      new Set(["direct", "paraphrase", "keyword", "typo", "casual", "followup"]),
    );
  });

  it("quotes the gold passage in most answers, and cites it", () => {
    const hits = dev.answerable.filter((q) => get(q.id).answer.includes(q.gold));
    expect(hits.length / dev.answerable.length).toBeGreaterThanOrEqual(0.74);
    for (const q of hits) expect(get(q.id).citations.some((c) => c.text.includes(q.gold))).toBe(true);
  });

  it("cites the right passage for nearly every direct and keyword question", () => {
    const plain = dev.answerable.filter((x) => x.style === "direct" || x.style === "keyword");
    const right = plain.filter((q) => get(q.id).citations.some((c) => c.text.includes(q.gold)));
    expect(right.length).toBeGreaterThanOrEqual(plain.length - 3);
  });

  it("rarely abstains on answerable questions", () => {
    const abstained = dev.answerable.filter((q) => get(q.id).abstained);
    expect(abstained.length / dev.answerable.length).toBeLessThanOrEqual(0.11);
  });

  it("abstains on most off-topic questions and most near misses", () => {
    const share = (qs: DevSet["unanswerable"]) => qs.filter((q) => get(q.id).abstained).length / qs.length;
    expect(share(dev.unanswerable.filter((x) => !x.nearMiss))).toBeGreaterThanOrEqual(0.6);
    expect(share(dev.unanswerable.filter((x) => x.nearMiss))).toBeGreaterThanOrEqual(0.6);
    expect(share(dev.unanswerable)).toBeGreaterThanOrEqual(0.62);
  });

  it("makes every answer sentence a verbatim quote of the passage it cites", () => {
    for (const a of answers.values()) {
      if (a.abstained) continue;
      expect(a.sentences.length).toBeGreaterThanOrEqual(1);
      expect(a.sentences.length).toBeLessThanOrEqual(3);
      for (const s of a.sentences) {
        const cited = a.citations.find((c) => c.n === s.n);
        expect(cited?.text).toContain(s.text);
        expect(a.answer).toContain(`${s.text} [${s.n}]`);
      }
      expect(a.citations.map((c) => c.n)).toEqual(a.citations.map((_, i) => i + 1));
    }
  });
});

describe("promised behaviour", () => {
  it("answers whom Blinken met first from the passage about his Chinese counterpart", async () => {
    const a = await ask(stack.services, "Whom did Blinken meet first?");
    expect(a.abstained).toBe(false);
    expect(a.answer).toContain("met his Chinese counterpart");
    expect(a.citations[0]?.location).toBe("¶ 1");
  });

  it("abstains on the UK prime minister, showing the closest passages", async () => {
    const a = await ask(stack.services, "Who is the prime minister of the UK?");
    expect(a.abstained).toBe(true);
    expect(a.answer).toMatch(/^The article doesn't say\./);
    expect(a.sentences).toEqual([]);
    expect(a.citations.length).toBeGreaterThan(0);
  });

  it("does not count a different figure as the answer to a how-many question", async () => {
    const a = await ask(stack.services, "How many warships took part in the stand-off?");
    expect(a.abstained).toBe(true);
  });

  it("finds a passage through misspelt words", async () => {
    const a = await ask(stack.services, "What did Blinkin tell reportres in Washingtn?");
    expect(a.answer).toContain("the place you start is with communicating");
  });
});

describe("honest answers (issue 10)", () => {
  it.each([
    "How much does Blinken earn?",
    "What did Qin say about Gaza?",
    "What is Taiwan's biggest export?",
    "How do I make pasta?",
  ])("says the article doesn't say when the question shares only a name with it: %s", async (question) => {
    const a = await ask(stack.services, question);
    expect(a.kind).toBe("abstained");
    expect(a.answer).toMatch(/^The article doesn't say\./);
  });

  it.each([
    ["Why was Blinken's February visit called off?", "Why was Blinken's March visit called off?", "another month"],
    ["What is the main goal of Blinken's visit?", "What is the second objective of Blinken's visit?", "another rank"],
    [
      "Who is the highest-ranking US official to visit China since Biden took office?",
      "Who is the lowest-ranking US official to visit China since Biden took office?",
      "an opposite",
    ],
    [
      "How did Chinese officials react to the visit?",
      "Why did Chinese officials react warmly to the visit?",
      "an opposite",
    ],
    ["Why did China ban Micron chips?", "Why didn't China ban Micron chips?", "a negation"],
    ["What did Blinken tell reporters in Washington?", "What did Blinken tell reporters in Beijing?", "another place"],
  ])("answers %j but not its near miss %j (%s)", async (answerable, nearMiss) => {
    expect((await ask(stack.services, answerable)).kind).toBe("answer");
    expect((await ask(stack.services, nearMiss)).kind).toBe("abstained");
  });

  it.each([
    // Beijing and Washington stand for China and the US.
    ["How did Beijing respond to Washington's position on Taiwan?", "China strongly reacted to US stance on Taiwan"],
    // "called off" means canceled; "febuary" is a misspelling, not an English word.
    ["why was the febuary trip canceled", "suspected Chinese spy balloon"],
    ["what does china think taiwan is", "breakaway province"],
  ])(
    "quotes the sentence of the right passage that answers %j, not one that only shares its words",
    async (q, gold) => {
      const a = await ask(stack.services, q);
      expect(a.kind).toBe("answer");
      expect(a.answer).toContain(gold);
    },
  );

  it("quotes the sentence that holds what is asked, not the one that repeats the question's words", async () => {
    const a = await ask(stack.services, "Where was the meeting held?");
    expect(a.answer).toContain("Diaoyutai State Guest House");
    expect(a.sentences[0]?.text).toMatch(/^Meeting was held at Diaoyutai/);
  });

  it("brings along the sentence a quoted one leans on (“That includes…”), citing each passage", async () => {
    const a = await ask(stack.services, "How much are the import tariffs on Chinese-made products?");
    expect(a.sentences.map((s) => s.text)).toEqual([
      expect.stringMatching(/^President Biden’s relations with China started off on a rocky note/),
      expect.stringMatching(/^That includes billions of dollars in import tariffs/),
    ]);
    expect(a.citations.map((c) => c.location)).toEqual(["¶ 19", "¶ 20"]);
  });

  it.each(["布林肯什么时候去中国", "@everyone what is this", "asdfgh qwerty zxcvb", "what is the 2nd-largest city?"])(
    "says the article doesn't say to a question it cannot read or that nothing in it answers: %j",
    async (question) => {
      expect((await ask(stack.services, question)).kind).toBe("abstained");
    },
  );

  it("reads 'he' in a paragraph's first sentence as the person the paragraph before is about", async () => {
    const a = await ask(stack.services, "Will Blinkin meet Xi Jinpng?");
    expect(a.kind).toBe("answer");
    // "It is not clear…" stands for nothing: no sentence before it is brought along.
    expect(a.sentences.map((s) => s.text)).toEqual([
      "It is not clear whether he will meet Chinese President Xi Jinping.",
    ]);
  });

  it("understands casual wording and typos of words it should not 'correct' away", async () => {
    expect((await ask(stack.services, "wher was the meting held")).answer).toContain("Diaoyutai State Guest House");
    expect((await ask(stack.services, "how many days is blinkin in chian")).answer).toContain("two day visit");
  });
});
