/** How maximal marginal relevance trades relevance against repetition. */
export interface MmrOptions {
  /** Weight of relevance against similarity to what is already chosen (1 = relevance only). */
  readonly lambda: number;
  /** A candidate at least this similar to a chosen one is a near-duplicate and never chosen. */
  readonly maxSimilarity: number;
}

/**
 * Maximal marginal relevance (Carbonell & Goldstein, 1998): repeatedly takes the candidate with
 * the best `lambda × relevance − (1 − lambda) × similarity to the closest chosen one`, so each
 * pick is relevant and says something the others have not. Relevance is scaled to the best
 * candidate's. Returns the chosen indexes in the order chosen (at most `k`). (Not
 * `@langchain/core`'s `maximalMarginalRelevance`, which scores relevance as cosine to a query
 * embedding: here relevance is the briefing's own score, similarity a callback over dense and
 * stem vectors, and near-duplicates are excluded outright.)
 */
export function selectByMmr(
  relevance: readonly number[],
  k: number,
  similarity: (i: number, j: number) => number,
  options: MmrOptions,
): number[] {
  const best = Math.max(0, ...relevance);
  if (best <= 0) return [];
  const chosen: number[] = [];
  const closest = relevance.map(() => 0);
  const excluded = new Set<number>();
  while (chosen.length < k) {
    let pick = -1;
    let pickScore = -Infinity;
    relevance.forEach((r, i) => {
      if (excluded.has(i) || r <= 0) return;
      const score = options.lambda * (r / best) - (1 - options.lambda) * (closest[i] ?? 0);
      if (score > pickScore) {
        pickScore = score;
        pick = i;
      }
    });
    if (pick < 0) break;
    chosen.push(pick);
    excluded.add(pick);
    relevance.forEach((_, i) => {
      if (excluded.has(i)) return;
      const s = similarity(i, pick);
      if (s >= options.maxSimilarity) excluded.add(i);
      else if (s > (closest[i] ?? 0)) closest[i] = s;
    });
  }
  return chosen;
}
