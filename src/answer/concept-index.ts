import type { Passage } from "../corpus/passage.js";
import { indexedText } from "../corpus/passage.js";
import type { ConceptSource } from "../embed/embedder.js";
import { LexicalIndex, type LexicalHit } from "../index/lexical-index.js";
import { terms } from "../text/analyze.js";

/** Which of a word's concepts stand for it in the concept index. */
export interface ConceptIndexOptions {
  /** Concepts weaker than this (far senses, distant hypernyms) are left out. */
  readonly minWeight: number;
  /** At most this many concepts per word, strongest first: bounds the index's size. */
  readonly perWord: number;
}

export const DEFAULT_CONCEPT_INDEX_OPTIONS = { minWeight: 0.3, perWord: 6 } as const satisfies Required<ConceptIndexOptions>;

/**
 * BM25 over WordNet concepts instead of words: each passage is indexed by the synsets its words
 * evoke, each question searched by its own. A paraphrase that shares no word with its passage
 * ("How did the session open?" for "Meeting started…") still shares concepts, and BM25's idf
 * makes a rare shared concept count for more than common ones, which a hashed vector's cosine
 * dilutes among all of a long passage's features.
 */
export class ConceptIndex {
  private readonly index: LexicalIndex;
  private readonly options: Required<ConceptIndexOptions>;

  constructor(
    passages: readonly Passage[],
    private readonly source: ConceptSource,
    options: Partial<ConceptIndexOptions> = {},
  ) {
    this.options = { ...DEFAULT_CONCEPT_INDEX_OPTIONS, ...options };
    this.index = new LexicalIndex(passages.map((p) => this.conceptsOf(indexedText(p)).map((c) => c.id)));
  }

  /** The best `k` passages for a text by concept BM25, weighting each concept by its strength. */
  search(text: string, k: number): LexicalHit[] {
    const weights = new Map<string, number>();
    for (const c of this.conceptsOf(text)) weights.set(c.id, Math.max(weights.get(c.id) ?? 0, c.weight));
    return this.index.search([...weights.keys()], k, weights);
  }

  private conceptsOf(text: string): { id: string; weight: number }[] {
    const out: { id: string; weight: number }[] = [];
    for (const t of terms(text)) {
      let n = 0;
      // Concepts come sorted by weight, strongest first.
      for (const c of this.source.concepts(t.word)) {
        if (c.weight < this.options.minWeight || n >= this.options.perWord) break;
        out.push(c);
        n++;
      }
    }
    return out;
  }
}
