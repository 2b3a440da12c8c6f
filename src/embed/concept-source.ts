/**
 * A concept a word evokes: an id (for WordNet, a synset: `"<pos>:<offset>"`, e.g. `"n:03252323"`
 * for the noun synset "drug") and how strongly the word evokes it, in (0, 1]: 1 for the word's
 * first sense, less for rarer senses and for related concepts (hypernyms, derivations).
 */
export interface Concept {
  readonly id: string;
  readonly weight: number;
}

/** What a name stands for, as far as a lexicon knows. */
export type NameKind = "person" | "place";

/**
 * The concepts of a word: what lets "narcotics" meet "drug" and "tariff" meet "duty" when the
 * words differ. The local default is WordNet (`wordnet/wordnet.ts`, chosen in
 * create-embedder.ts); any source with the same contract drops in.
 *
 * Who uses it: the local embedder adds each word's concepts to its vectors
 * (local-embeddings.ts); the index stores BM25 postings of passages' concepts
 * (index/concept-postings.ts) that retrieval searches (retrieval/concept-index.ts); question
 * analysis and term matching credit a question word found only through a shared concept
 * (retrieval/question.ts, retrieval/term-match.ts); briefings ask whether a word is mainly a
 * noun from its strongest concept's part of speech (briefing/briefer.ts `isNoun`).
 */
export interface ConceptSource {
  /**
   * A stable name for the resource and its settings. Part of the embedder id and of the concept
   * postings' id, so vectors and postings made with other concepts are never mixed.
   */
  readonly id: string;
  /**
   * The concepts a word evokes, strongest first (ties by id), each id once; [] for a word with
   * none (stop words, unknown words). Callers rely on the order: they take a word's first few.
   */
  concepts(word: string): readonly Concept[];
  /**
   * Whether the word (in any inflection) is a word of the language's lexicon. Question analysis
   * never "corrects" such a word into a corpus word one edit away ("grade" is not "trade").
   */
  isWord?(word: string): boolean;
  /** Whether the word, in its most common sense, is a name (a people, a place, a month), however it is typed. */
  isName?(word: string): boolean;
  /**
   * Concepts of two words that make one expression ("called off" → cancel, "kick off" → start),
   * or [] when they make none: what lets "canceled" meet "called off".
   */
  phraseConcepts?(first: string, second: string): readonly Concept[];
  /**
   * Whether two names stand for one place or people, or one is part of the other ("Beijing" and
   * "China"); with `asPlace`, the first only as a location ("in Beijing" is not "in China").
   */
  sameEntity?(a: string, b: string, asPlace?: boolean): boolean;
  /** Whether a name is a person's or a place's, or null when the lexicon does not know. */
  nameKind?(word: string): NameKind | null;
  /**
   * Lemmas of the word's opposites ("smallest" → large, big; "less" → more): an answer that says
   * the opposite of what the question asks about contradicts it. [] when none are known.
   */
  antonyms?(word: string): readonly string[];
}
