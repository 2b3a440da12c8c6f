/** A passage found by dense search: its position in the index and its cosine similarity to the query. */
export interface DenseHit {
  readonly index: number;
  readonly similarity: number;
}

/** A passage found by a BM25 search (over stems or over concepts), with its BM25 score. */
export interface ScoredHit {
  readonly index: number;
  readonly score: number;
}

/** The rankings retrieval fuses, each best first; a ranking that was not used is empty. */
export interface Rankings {
  readonly dense: readonly DenseHit[];
  readonly lexical: readonly ScoredHit[];
  readonly concept: readonly ScoredHit[];
}

/** A passage after fusion, with where each ranking placed it (ranks are 1-based; null where it was not found). */
export interface FusedHit {
  /** Position of the passage in the index. */
  readonly position: number;
  /** Sum of 1/(rrfK + rank) over the rankings that found the passage. */
  readonly score: number;
  readonly denseRank: number | null;
  readonly denseSimilarity: number | null;
  readonly lexicalRank: number | null;
  readonly lexicalScore: number | null;
  readonly conceptRank: number | null;
}

type Entry = { -readonly [K in keyof FusedHit]: FusedHit[K] };

/** A passage no ranking placed (yet): score 0, every rank null. */
export function unranked(position: number): FusedHit {
  return {
    position,
    score: 0,
    denseRank: null,
    denseSimilarity: null,
    lexicalRank: null,
    lexicalScore: null,
    conceptRank: null,
  };
}

/**
 * Reciprocal rank fusion (Cormack et al., 2009): every passage any ranking found, best fused
 * score first, ties by position so the order never depends on the rankings' lengths.
 * By rank, not score, because cosine similarities and BM25 scores are on unrelated scales.
 */
export function fuseRankings(rankings: Rankings, rrfK: number): FusedHit[] {
  const byPosition = new Map<number, Entry>();
  const entry = (position: number): Entry => {
    let e = byPosition.get(position);
    if (!e) {
      e = { ...unranked(position) };
      byPosition.set(position, e);
    }
    return e;
  };
  // The sums are taken in this order (concept, dense, lexical) so the floating-point scores,
  // and with them the order of near ties, stay as they always were.
  rankings.concept.forEach((hit, rank) => {
    const e = entry(hit.index);
    e.score += 1 / (rrfK + rank + 1);
    e.conceptRank = rank + 1;
  });
  rankings.dense.forEach((hit, rank) => {
    const e = entry(hit.index);
    e.score += 1 / (rrfK + rank + 1);
    e.denseRank = rank + 1;
    e.denseSimilarity = hit.similarity;
  });
  rankings.lexical.forEach((hit, rank) => {
    const e = entry(hit.index);
    e.score += 1 / (rrfK + rank + 1);
    e.lexicalRank = rank + 1;
    e.lexicalScore = hit.score;
  });
  return [...byPosition.values()].sort((a, b) => b.score - a.score || a.position - b.position);
}
