/**
 * Okapi BM25 over stemmed content words. Built from token lists so the same class scores
 * passages (for retrieval) and sentences (for composing answers).
 */
export interface LexicalHit {
  readonly index: number;
  readonly score: number;
}

/** BM25 parameters: the standard values, which FACTS.md found best on the seed article too. */
export const BM25_DEFAULTS = { k1: 1.2, b: 0.75 } as const;

export class LexicalIndex {
  private readonly postings = new Map<string, { doc: number; tf: number }[]>();
  private readonly lengths: Uint32Array;
  private readonly avgLength: number;
  readonly size: number;

  constructor(documents: readonly (readonly string[])[]) {
    this.size = documents.length;
    this.lengths = new Uint32Array(documents.length);
    let total = 0;
    documents.forEach((tokens, doc) => {
      this.lengths[doc] = tokens.length;
      total += tokens.length;
      const counts = new Map<string, number>();
      for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
      for (const [term, tf] of counts) {
        let list = this.postings.get(term);
        if (!list) this.postings.set(term, (list = []));
        list.push({ doc, tf });
      }
    });
    this.avgLength = documents.length > 0 ? total / documents.length : 0;
  }

  /** Whether a stem occurs anywhere in the indexed texts. */
  has(term: string): boolean {
    return this.postings.has(term);
  }

  /** How many documents hold the term. */
  documentFrequency(term: string): number {
    return this.postings.get(term)?.length ?? 0;
  }

  /** BM25's inverse document frequency (the non-negative variant); an unseen term gets the maximum. */
  idf(term: string): number {
    const df = this.documentFrequency(term);
    return Math.log(1 + (this.size - df + 0.5) / (df + 0.5));
  }

  /** Every distinct term, for fuzzy matching of misspelt question words. */
  vocabulary(): IterableIterator<string> {
    return this.postings.keys();
  }

  /**
   * Scores documents against weighted query terms and returns the best `k`, highest first.
   * `weights` lets a caller count a corrected or related word for less than an exact one.
   */
  search(query: readonly string[], k: number, weights?: ReadonlyMap<string, number>): LexicalHit[] {
    const scores = new Map<number, number>();
    const { k1, b } = BM25_DEFAULTS;
    for (const term of new Set(query)) {
      const list = this.postings.get(term);
      if (!list) continue;
      const idf = this.idf(term) * (weights?.get(term) ?? 1);
      for (const { doc, tf } of list) {
        const len = this.lengths[doc] ?? 0;
        const norm = tf + k1 * (1 - b + (b * len) / (this.avgLength || 1));
        scores.set(doc, (scores.get(doc) ?? 0) + (idf * tf * (k1 + 1)) / norm);
      }
    }
    return [...scores]
      .map(([index, score]) => ({ index, score }))
      .sort((x, y) => y.score - x.score || x.index - y.index)
      .slice(0, k);
  }
}
