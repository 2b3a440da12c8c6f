/**
 * Cutting a model's growing reply into sentences: a sentence is handed on only once it is
 * complete with its markers, and once handed on it never changes as more text arrives.
 */
import { describe, expect, it } from "vitest";
import { readMarkers } from "../../../src/answer/generate/citation-markers.js";
import { cutSentences } from "../../../src/answer/generate/generated-sentences.js";

const REPLY =
  "The meeting was held at Diaoyutai State Guest House [1]. It hosts visiting dignitaries. [1][2] Mr. Qin called Taiwan the “most prominent risk” [3].";

describe("cutSentences", () => {
  it("cuts a finished reply into sentences, each with the markers after it", () => {
    expect(cutSentences(REPLY, true)).toEqual([
      "The meeting was held at Diaoyutai State Guest House [1].",
      "It hosts visiting dignitaries. [1][2]",
      "Mr. Qin called Taiwan the “most prominent risk” [3].",
    ]);
  });

  it("hands on only complete sentences while streaming, and never changes one once handed on", () => {
    let seen: string[] = [];
    for (let end = 1; end <= REPLY.length; end++) {
      const now = cutSentences(REPLY.slice(0, end), false);
      expect(now.slice(0, seen.length)).toEqual(seen);
      seen = now;
    }
    // The last sentence waits for the end of the stream: more markers might follow.
    expect(seen).toHaveLength(2);
    expect(cutSentences(REPLY, true)).toHaveLength(3);
  });

  it("waits for the markers that follow a full stop before handing the sentence on", () => {
    expect(cutSentences("The meeting was held there. [", false)).toEqual([]);
    expect(cutSentences("The meeting was held there. [1", false)).toEqual([]);
    expect(cutSentences("The meeting was held there. [1]", false)).toEqual([]);
    expect(cutSentences("The meeting was held there. [1] It", false)).toEqual(["The meeting was held there. [1]"]);
  });

  it("splits a marker glued to the full stop, lines, and drops list bullets and emphasis", () => {
    expect(cutSentences("It was held there.[1] Talks were candid.[2]", true)).toEqual([
      "It was held there. [1]",
      "Talks were candid. [2]",
    ]);
    expect(cutSentences("- It was **held** there [1]\n2. Talks were candid [2]\n", false)).toEqual([
      "It was held there [1]",
      "Talks were candid [2]",
    ]);
  });
});

describe("readMarkers", () => {
  it("takes markers out of the text and lists each cited passage once, in order", () => {
    expect(readMarkers("Talks were held [2] and candid [1, 2]; officials said so. [3]")).toEqual({
      text: "Talks were held and candid; officials said so.",
      cites: [2, 1, 3],
    });
    expect(readMarkers("No marker, or [a] bracket.")).toEqual({ text: "No marker, or [a] bracket.", cites: [] });
  });
});
