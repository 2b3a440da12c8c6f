import { describe, expect, it } from "vitest";
import { parseArticle } from "../../src/corpus/load-corpus.js";
import { splitArticle } from "../../src/corpus/split-passages.js";
import { WordNet } from "../../src/embed/wordnet/wordnet.js";
import { ConceptIndex } from "../../src/retrieval/concept-index.js";

const article = parseArticle(
  "t.md",
  [
    "Meeting started with traditional diplomatic greetings.",
    "The rate of overdose deaths has tripled.",
    "Warships have been facing off in the strait.",
  ].join("\n"),
);
const passages = splitArticle(article);
const index = ConceptIndex.of(passages, WordNet.open());

describe("ConceptIndex", () => {
  it("finds a passage through related words it does not contain", () => {
    // "session" shares no word with "Meeting started…", but WordNet makes a session a meeting.
    expect(index.search("How did the session begin?", 3)[0]?.index).toBe(0);
    expect(index.search("fatalities from drugs", 3)[0]?.index).toBe(1);
  });

  it("returns nothing for words with no concepts in common with the corpus", () => {
    expect(index.search("sourdough", 3)).toEqual([]);
  });
});
