/** Corpus statistics of stems, as the lexical index keeps them over passages. */
export interface TermStats {
  /** Passages holding the stem. */
  documentFrequency(stem: string): number;
  /** BM25 inverse document frequency of the stem. */
  idf(stem: string): number;
  /** Number of passages. */
  readonly size: number;
}

/** A sparse vector of stems, weighted by salience. */
export type StemWeights = ReadonlyMap<string, number>;

/**
 * How much a stem says about what a passage is about: its rarity (idf) times how often the
 * corpus comes back to it (log of 1 + document frequency). A word used once is a detail; a word
 * every passage uses says nothing; the subjects a corpus keeps returning to score highest.
 * Stems in `excluded` (an article's title words, a briefing's topic) score 0: they are what
 * every point is about, not what tells points apart.
 */
export function stemSalience(stats: TermStats, stem: string, excluded: ReadonlySet<string>): number {
  if (excluded.has(stem)) return 0;
  const df = stats.documentFrequency(stem);
  return df === 0 ? 0 : stats.idf(stem) * Math.log(1 + df);
}

/** The salience-weighted stem vector of a text's distinct stems. */
export function stemWeights(
  stems: Iterable<string>,
  stats: TermStats,
  excluded: ReadonlySet<string>,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of stems) {
    const w = stemSalience(stats, s, excluded);
    if (w > 0) out.set(s, w);
  }
  return out;
}

/**
 * How informative a unit is on its own: the salience of its stems, divided by a power of their
 * number below 1, so a long sentence full of the corpus's subjects beats a short aside without
 * an enumeration of everything winning outright.
 */
export function informativeness(
  weights: StemWeights,
  options: { readonly minTerms: number; readonly lengthPower: number },
): number {
  let sum = 0;
  for (const w of weights.values()) sum += w;
  return sum / Math.max(options.minTerms, weights.size) ** options.lengthPower;
}

/**
 * Cosine similarity of two sparse weight vectors. (Not `@langchain/core`'s `cosineSimilarity`:
 * that takes dense rows of one length, and stems are keys of a map.)
 */
export function weightedCosine(a: StemWeights, b: StemWeights): number {
  let dot = 0;
  let aa = 0;
  let bb = 0;
  for (const [s, w] of a) {
    aa += w * w;
    const other = b.get(s);
    if (other !== undefined) dot += w * other;
  }
  for (const w of b.values()) bb += w * w;
  return aa > 0 && bb > 0 ? dot / Math.sqrt(aa * bb) : 0;
}
