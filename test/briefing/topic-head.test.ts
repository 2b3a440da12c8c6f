/**
 * The head of a briefing topic, read from its parts of speech as wink-nlp's English model tags
 * them: what a topic is about once the words that only say what kind of subject it is
 * ("crisis", "issue", "angle") are passed over.
 */
import { describe, expect, it } from "vitest";
import { headOf, isLightNoun, tagTopic, topicHead } from "../../src/briefing/topic-head.js";

describe("topicHead", () => {
  const cases: [string, { head: string; names: string[] } | null][] = [
    ["the fentanyl crisis", { head: "fentanyl", names: [] }],
    ["the spy balloon", { head: "balloon", names: [] }],
    ["the Chinese spy balloon", { head: "balloon", names: [] }],
    ["the balloon incident", { head: "balloon", names: [] }],
    ["the pasta recipe", { head: "recipe", names: [] }],
    ["the Taiwan issue", { head: "Taiwan", names: [] }],
    ["the situation in Taiwan", { head: "Taiwan", names: [] }],
    ["Taiwan cricket", { head: "cricket", names: [] }],
    ["the war in Ukraine", { head: "war", names: ["Ukraine"] }],
    ["Blinken's visit to China", { head: "visit", names: ["China"] }],
    ["US-China relations", { head: "relations", names: [] }],
    ["fentanyl and Taiwan", { head: "fentanyl", names: [] }],
    ["what does the corpus say about chips", { head: "chips", names: [] }],
    ["narcotics", { head: "narcotics", names: [] }],
    ["the issue", null],
  ];
  for (const [topic, expected] of cases) {
    it(`reads “${topic}” as ${expected ? `about ${[expected.head, ...expected.names].join(" + ")}` : "having no head"}`, async () => {
      expect(await topicHead(topic)).toEqual(expected);
    });
  }

  it("tags offline with the English model, loaded once", async () => {
    const tags = await tagTopic("the fentanyl crisis");
    expect(tags).toEqual([
      { text: "the", pos: "DET" },
      { text: "fentanyl", pos: "NOUN" },
      { text: "crisis", pos: "NOUN" },
    ]);
  });
});

describe("headOf and isLightNoun", () => {
  it("passes over light nouns whatever their case, and finds no head in a topic of them alone", () => {
    expect(isLightNoun("Crisis")).toBe(true);
    expect(isLightNoun("fentanyl")).toBe(false);
    expect(
      headOf([
        { text: "the", pos: "DET" },
        { text: "Situation", pos: "NOUN" },
        { text: "update", pos: "NOUN" },
      ]),
    ).toBeNull();
    expect(headOf([])).toBeNull();
  });
});
