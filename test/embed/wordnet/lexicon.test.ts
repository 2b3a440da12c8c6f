/**
 * What WordNet tells question analysis and grounding besides concepts: whether a word is a
 * word or a name, what a name stands for, which names are one, what is the opposite of what,
 * and what two words mean together.
 */
import { afterAll, describe, expect, it } from "vitest";
import { WordNet } from "../../../src/embed/wordnet/wordnet.js";

const wn = WordNet.open();
afterAll(() => wn.close());

describe("WordNet as a lexicon", () => {
  it("knows English words in any inflection, and not misspellings or unknown names", () => {
    for (const w of ["grade", "trade", "tripled", "largest", "talks"]) expect(wn.isWord(w), w).toBe(true);
    for (const w of ["blinkin", "reportres", "jinping"]) expect(wn.isWord(w), w).toBe(false);
  });

  it("tells a name from a word however it is typed, and a word more often a verb from a name", () => {
    for (const w of ["russian", "japan", "beijing", "chinese"]) expect(wn.isName(w), w).toBe(true);
    for (const w of ["balloon", "talks", "earn", "begin", "march"]) expect(wn.isName(w), w).toBe(false);
  });

  it("says whether a name is a person's or a place's, accents and all, and null when it does not know", () => {
    expect(wn.nameKind("Herodotus")).toBe("person");
    expect(wn.nameKind("Cádiz")).toBe("place");
    expect(wn.nameKind("Estonia")).toBe("place");
    expect(wn.nameKind("Europe")).toBe("place");
    expect(wn.nameKind("Blinken")).toBeNull();
  });

  it("finds opposites from the first senses, through a satellite's head, written as one word", () => {
    expect(wn.antonyms("smallest")).toContain("large");
    expect(wn.antonyms("more")).toContain("less");
    expect(wn.antonyms("increase")).toContain("decrease");
    expect(wn.antonyms("saltwater")).toContain("freshwater");
    expect(wn.antonyms("largest")).not.toContain("nonpregnant");
    expect(wn.antonyms("grade")).toEqual([]);
  });

  it("treats synonyms, a capital and its country, and a people and its country as one entity", () => {
    expect(wn.sameEntity("america", "us")).toBe(true);
    expect(wn.sameEntity("american", "us")).toBe(true);
    expect(wn.sameEntity("beijing", "china")).toBe(true);
    expect(wn.sameEntity("washington", "us")).toBe(true);
  });

  it("never treats two countries or two cities as one, nor a place asked 'in' as its country", () => {
    expect(wn.sameEntity("japan", "china")).toBe(false);
    expect(wn.sameEntity("australia", "china")).toBe(false);
    expect(wn.sameEntity("vienna", "beijing")).toBe(false);
    expect(wn.sameEntity("taiwan", "chinese")).toBe(false);
    expect(wn.sameEntity("beijing", "china", true)).toBe(false);
  });

  it("gives two words the concepts of the expression they make, so 'called off' meets 'canceled'", () => {
    const cancel = new Set(wn.concepts("canceled").map((c) => c.id));
    expect(wn.phraseConcepts("called", "off").some((c) => cancel.has(c.id))).toBe(true);
    const start = new Set(wn.concepts("started").map((c) => c.id));
    expect(wn.phraseConcepts("kick", "off").some((c) => start.has(c.id))).toBe(true);
    expect(wn.phraseConcepts("blue", "balloon")).toEqual([]);
  });
});
