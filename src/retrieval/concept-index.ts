import type { Passage } from "../corpus/passage.js";
import type { ConceptSource } from "../embed/concept-source.js";
import { type LexicalHit, LexicalIndex } from "../index/bm25/lexical-index.js";
import {
  type ConceptIndexOptions,
  conceptsOf,
  conceptTokens,
  DEFAULT_CONCEPT_INDEX_OPTIONS,
} from "../index/concept-postings.js";

/**
 * BM25 over WordNet concepts instead of words: each passage is indexed by the synsets its words
 * evoke, each question searched by its own. A paraphrase that shares no word with its passage
 * ("How did the session open?" for "Meeting started…") still shares concepts, and BM25's idf
 * makes a rare shared concept count for more than common ones, which a hashed vector's cosine
 * dilutes among all of a long passage's features.
 */
export class ConceptIndex {
  private readonly options: Required<ConceptIndexOptions>;

  /** A concept index over `postings`: BM25 postings of concept ids, one document per passage (see {@link conceptTokens}). */
  constructor(
    readonly postings: LexicalIndex,
    private readonly source: ConceptSource,
    options: Partial<ConceptIndexOptions> = {},
  ) {
    this.options = { ...DEFAULT_CONCEPT_INDEX_OPTIONS, ...options };
  }

  /** The concept index of `passages`, computed here (an index build stores it; see build-index). */
  static of(
    passages: readonly Passage[],
    source: ConceptSource,
    options: Partial<ConceptIndexOptions> = {},
  ): ConceptIndex {
    const o = { ...DEFAULT_CONCEPT_INDEX_OPTIONS, ...options };
    return new ConceptIndex(new LexicalIndex(passages.map((p) => conceptTokens(p.pageContent, source, o))), source, o);
  }

  /** The best `k` passages for a text by concept BM25, weighting each concept by its strength. */
  search(text: string, k: number): LexicalHit[] {
    const weights = new Map<string, number>();
    for (const c of conceptsOf(text, this.source, this.options))
      weights.set(c.id, Math.max(weights.get(c.id) ?? 0, c.weight));
    return this.postings.search([...weights.keys()], k, weights);
  }
}
