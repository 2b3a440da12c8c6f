/**
 * A concept a word evokes: an id (for WordNet, a synset: `"<pos>:<offset>"`, e.g. `"n:03252323"`
 * for the noun synset "drug") and how strongly the word evokes it, in (0, 1]: 1 for the word's
 * first sense, less for rarer senses and for related concepts (hypernyms, derivations).
 */
export interface Concept {
  readonly id: string;
  readonly weight: number;
}

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
}
