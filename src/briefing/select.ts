import type { AnalyzedQuestion, QuestionTerm } from "../retrieval/question.js";
import { MATCH_WEIGHTS, type PreparedText, type TermMatcher } from "../retrieval/term-match.js";

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

/** Cosine similarity of two sparse weight vectors. */
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

/** Cosine similarity of two dense vectors (the embedder's are unit length, but this does not assume it). */
export function denseCosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    aa += x * x;
    bb += y * y;
  }
  return aa > 0 && bb > 0 ? dot / Math.sqrt(aa * bb) : 0;
}

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
 * candidate's. Returns the chosen indexes in the order chosen (at most `k`).
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

/** How a topic's words are matched against units. */
export interface TopicMatchOptions {
  /** A related-word (concept) match counts only from this strength up (`TermMatcher.match`, 0–0.7). */
  readonly minConceptMatch: number;
  /** A unit is about the topic when it covers at least this weighted share of the topic's words… */
  readonly minUnitCoverage: number;
  /** …and at least this share of the best unit's coverage. */
  readonly relativeCoverage: number;
  /** The topic is covered when the units about it together cover at least this share of its words. */
  readonly minTopicCoverage: number;
}

/** How well the corpus's units cover a topic. */
export interface TopicMatch {
  /** Per unit: weighted share of the topic's words it holds (0–1). */
  readonly coverage: readonly number[];
  /** Per unit: whether it is about the topic. */
  readonly about: readonly boolean[];
  /** Weighted share of the topic's words held by at least one unit about it. */
  readonly topicCoverage: number;
  readonly covered: boolean;
}

/**
 * Matches a topic against every unit. A topic word the corpus uses (the word itself or a
 * corrected spelling) must appear in a unit for that unit to count; related words do not stand
 * in for it, or "Taiwan" would match every passage about China. Only a word the corpus never
 * uses may be matched by a strongly related word ("narcotics" by "drug").
 */
export function matchTopic(
  topic: AnalyzedQuestion,
  units: readonly PreparedText[],
  matcher: TermMatcher,
  options: TopicMatchOptions,
): TopicMatch {
  const terms = topic.terms;
  const total = terms.reduce((n, t) => n + t.weight, 0);
  // Per term and unit, the credit 0–1 the unit earns for the term.
  const known = terms.map((t) => units.some((u) => matcher.match(t, u, true) >= MATCH_WEIGHTS.correction));
  const credit = (t: QuestionTerm, i: number, u: PreparedText): number => {
    if (known[i]) {
      const m = matcher.match(t, u, true);
      return m >= MATCH_WEIGHTS.correction ? m : 0;
    }
    const m = matcher.match(t, u);
    return m >= options.minConceptMatch ? Math.min(1, m / MATCH_WEIGHTS.concept) : 0;
  };
  const credits = units.map((u) => terms.map((t, i) => credit(t, i, u)));
  const coverage = credits.map((cs) =>
    total > 0 ? cs.reduce((n, c, i) => n + c * (terms[i]?.weight ?? 0), 0) / total : 0,
  );
  const best = Math.max(0, ...coverage);
  const threshold = Math.max(options.minUnitCoverage, options.relativeCoverage * best);
  const about = coverage.map((c) => c > 0 && c >= threshold);
  let held = 0;
  terms.forEach((t, i) => {
    let m = 0;
    credits.forEach((cs, u) => {
      if (about[u]) m = Math.max(m, cs[i] ?? 0);
    });
    held += t.weight * m;
  });
  const topicCoverage = total > 0 ? held / total : 0;
  return { coverage, about, topicCoverage, covered: about.some(Boolean) && topicCoverage >= options.minTopicCoverage };
}
