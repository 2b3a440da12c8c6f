import { STOP_WORDS } from "../../text/stopwords.js";
import type { Concept } from "../concept-source.js";
import { type Pos, type Synset, synsetId, type WordNetDictionary } from "./dictionary.js";
import { type Morphy, normalizeWord } from "./morphy.js";

/**
 * Settings of the concept policy. All but `maxCachedWords` change the concepts, so they are part
 * of the concept source's id ({@link conceptPolicyId}).
 */
export interface WordNetOptions {
  /**
   * Weight of a word's senses by rank within one part of speech (WordNet lists senses most
   * frequent first); the length is how many senses are used.
   */
  readonly senseWeights: readonly number[];
  /**
   * Weight of hypernyms relative to the sense they come from, by distance: `[0.5]` takes the
   * direct hypernyms at half the sense's weight, `[0.5, 0.25]` also their hypernyms at a quarter
   * (skipping very general ones such as "act" or "person", which would link unrelated words).
   */
  readonly hypernymWeights: readonly number[];
  /**
   * Weight, relative to the sense, of the other related synsets: the head of a satellite
   * adjective (similar-to), the noun an adjective pertains to ("chinese" → China), the adjective
   * an adverb derives from, and the derivationally related synsets of the word itself
   * ("communicate" ↔ "communication"). 0 disables them.
   */
  readonly relatedWeight: number;
  /** Weight, relative to the sense, of what a named thing is an instance of ("Taiwan" → island). */
  readonly instanceWeight: number;
  /** Weight, relative to the sense, of the whole a thing is part of ("Beijing" → China). */
  readonly holonymWeight: number;
  /** At most this many related (non-hypernym) synsets per sense, to bound the cost and the noise. */
  readonly maxRelatedPerSense: number;
  /**
   * At most this many words' concepts, and as many parsed synsets, are cached (further words are
   * computed on every call). Concepts do not depend on it.
   */
  readonly maxCachedWords: number;
}

/**
 * Defaults: three senses per part of speech (1, 0.6, 0.4), direct hypernyms at half the sense's
 * weight and, unless too general, their hypernyms at a quarter.
 */
export const DEFAULT_WORDNET_OPTIONS = {
  senseWeights: [1, 0.6, 0.4],
  hypernymWeights: [0.5, 0.25],
  relatedWeight: 0.4,
  instanceWeight: 0.5,
  holonymWeight: 0.5,
  maxRelatedPerSense: 4,
  maxCachedWords: 200_000,
} as const satisfies WordNetOptions;

/**
 * Names the policy's settings for the concept source's id, e.g.
 * `"s1+0.6+0.4:h0.5+0.25:r0.4x4:i0.5p0.5g0"`.
 */
export function conceptPolicyId(o: WordNetOptions): string {
  return [
    `s${o.senseWeights.join("+")}`,
    `h${o.hypernymWeights.join("+")}`,
    `r${o.relatedWeight}x${o.maxRelatedPerSense}`,
    // "g0": definition words were once an option (`glossWeight`), always 0; the id keeps saying
    // so, so that indexes built before it was removed still match and are not rebuilt.
    ...(o.instanceWeight > 0 || o.holonymWeight > 0 ? [`i${o.instanceWeight}p${o.holonymWeight}g0`] : []),
  ].join(":");
}

const EMPTY: readonly Concept[] = Object.freeze([]);

// Hypernyms two or more levels up are skipped when too general to mean much: more than this
// many direct hyponyms ("change", "person", "device"), or fewer than this many levels below a
// root ("act", "event", "attribute"; verb hierarchies are shallow). Chosen so that random word
// pairs share a concept about as rarely as with direct hypernyms only (0.9% against 0.6% of
// pairs of common words) while "fentanyl" reaches "narcotic" and "tariff" reaches "levy".
const GENERAL_HYPONYMS = 30;
const GENERAL_NOUN_DEPTH = 5;
const GENERAL_VERB_DEPTH = 2;

type Add = (id: string, weight: number) => void;

/**
 * The concept-weighting policy: which synsets a word evokes and how strongly. For each base form
 * and part of speech, the synsets of its first few senses (weights from `senseWeights`), plus
 * their hypernyms (by default the direct ones at 0.5 × the sense's weight and, unless very
 * general, the next level at 0.25 ×; instance hypernyms are not followed as hypernyms, so
 * "China" and "Japan" do not meet through "Asian country"), what a name is an instance or part
 * of, one level, and a few other related synsets (similar-to head, pertainym, derivation) at
 * `relatedWeight` × the sense's weight.
 */
export class ConceptPolicy {
  constructor(
    private readonly dictionary: WordNetDictionary,
    private readonly morphy: Morphy,
    private readonly options: WordNetOptions,
  ) {}

  /**
   * The concepts of a word, sorted by weight, highest first, then by id; deduplicated by id
   * keeping the highest weight; frozen. Stop words, words of one or two letters and words
   * WordNet does not know give []. Not cached: {@link WordNet} caches per word.
   */
  concepts(word: string): readonly Concept[] {
    const w = normalizeWord(word);
    if (w === null || w.length <= 2 || STOP_WORDS.has(w)) return EMPTY;
    const weights = new Map<string, number>();
    const add: Add = (id, weight) => {
      if (weight > (weights.get(id) ?? 0)) weights.set(id, weight);
    };
    for (const [pos, lemma] of this.morphy.lemmas(w)) this.addSenses(pos, lemma, add);
    if (weights.size === 0) return EMPTY;
    const out = [...weights].map(([id, weight]) => Object.freeze({ id, weight }));
    out.sort((a, b) => b.weight - a.weight || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return Object.freeze(out);
  }

  /**
   * The concepts of a two-word expression WordNet lists as one lemma, with its first word in
   * any inflection ("called off" → call_off, which is cancel; "kick off" → start): [] when it
   * lists none. Phrasal verbs and compounds say in two words what a question says in one.
   */
  phraseConcepts(first: string, second: string): readonly Concept[] {
    const w = normalizeWord(first);
    const v = normalizeWord(second);
    if (w === null || v === null || w.length <= 1) return EMPTY;
    const weights = new Map<string, number>();
    const add: Add = (id, weight) => {
      if (weight > (weights.get(id) ?? 0)) weights.set(id, weight);
    };
    for (const [pos, lemma] of this.morphy.lemmas(w)) {
      if (pos === "n" || pos === "v") this.addSenses(pos, `${lemma}_${v}`, add);
    }
    if (weights.size === 0) return EMPTY;
    const out = [...weights].map(([id, weight]) => Object.freeze({ id, weight }));
    out.sort((a, b) => b.weight - a.weight || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return Object.freeze(out);
  }

  private addSenses(pos: Pos, lemma: string, add: Add): void {
    const o = this.options;
    const offsets = this.dictionary.senses(pos, lemma);
    if (offsets === null) return;
    const n = Math.min(offsets.length, o.senseWeights.length);
    for (let rank = 0; rank < n; rank++) {
      const senseWeight = o.senseWeights[rank] ?? 0;
      const offset = offsets[rank];
      if (senseWeight <= 0 || offset === undefined) continue;
      const id = synsetId(pos, offset);
      add(id, senseWeight);
      const synset = this.dictionary.synset(id);
      if (synset === null) continue;
      this.addHypernyms(synset, senseWeight, 0, add);
      // Names link to what they are and what they belong to, so "the island" finds Taiwan
      // and "Beijing" finds China; only one level, as "Asian country" would join every nation.
      if (o.instanceWeight > 0) for (const id of synset.instanceOf) add(id, senseWeight * o.instanceWeight);
      if (o.holonymWeight > 0) for (const id of synset.partOf) add(id, senseWeight * o.holonymWeight);
      if (o.relatedWeight > 0) this.addRelated(synset, lemma, senseWeight * o.relatedWeight, add);
    }
  }

  private addHypernyms(synset: Synset, senseWeight: number, depth: number, add: Add): void {
    const factor = this.options.hypernymWeights[depth];
    if (factor === undefined || factor <= 0) return;
    for (const h of synset.hypernyms) {
      if (depth > 0 && this.isGeneral(h)) continue;
      add(h, senseWeight * factor);
      if (depth + 1 < this.options.hypernymWeights.length) {
        const parent = this.dictionary.synset(h);
        if (parent !== null) this.addHypernyms(parent, senseWeight, depth + 1, add);
      }
    }
  }

  /** Too general to link words two levels apart: many hyponyms, or near the top of the hierarchy. */
  private isGeneral(id: string): boolean {
    const s = this.dictionary.synset(id);
    if (s === null) return true;
    if (s.hyponymCount > GENERAL_HYPONYMS) return true;
    return this.dictionary.depth(id) < (id.startsWith("n") ? GENERAL_NOUN_DEPTH : GENERAL_VERB_DEPTH);
  }

  private addRelated(synset: Synset, lemma: string, weight: number, add: Add): void {
    let taken = 0;
    for (const r of synset.related) {
      if (taken >= this.options.maxRelatedPerSense) break;
      // Similar-to is followed only from a satellite to its head: a head lists dozens of satellites.
      if (r.symbol === "&" && !synset.satellite) continue;
      // Lexical pointers belong to one word of the synset: follow only the looked-up word's.
      if (r.source > 0 && synset.words[r.source - 1] !== lemma) continue;
      add(r.id, weight);
      taken++;
    }
  }
}
