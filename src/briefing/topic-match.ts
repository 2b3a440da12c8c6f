import type { AnalyzedQuestion, QuestionTerm } from "../retrieval/question.js";
import { MATCH_WEIGHTS, type PreparedText, type TermMatcher } from "../retrieval/term-match.js";

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

/**
 * The head of the topic's noun phrase as terms of the analysed topic (see topic-head.ts): in
 * "the war in Ukraine", "war", narrowed by "Ukraine".
 */
export interface TopicHeadTerms {
  readonly head: QuestionTerm;
  /** Proper names after the head; a unit must mention them too. */
  readonly names: readonly QuestionTerm[];
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
 *
 * Given the topic's head, every unit that mentions it (and the names narrowing it) is about the
 * topic too, however little of the rest it holds, and the topic is covered when any unit does:
 * "the fentanyl crisis" is covered by passages on fentanyl that never say "crisis", and each
 * passage on the balloon is a candidate for "the spy balloon", not only the one that says "spy".
 */
export function matchTopic(
  topic: AnalyzedQuestion,
  units: readonly PreparedText[],
  matcher: TermMatcher,
  options: TopicMatchOptions,
  head: TopicHeadTerms | null = null,
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
  const mentions = (t: QuestionTerm, u: PreparedText) => matcher.match(t, u, true) >= MATCH_WEIGHTS.correction;
  const aboutHead = units.map((u) => head !== null && [head.head, ...head.names].every((t) => mentions(t, u)));
  const about = coverage.map((c, u) => (c > 0 && c >= threshold) || (aboutHead[u] ?? false));
  let held = 0;
  terms.forEach((t, i) => {
    let m = 0;
    credits.forEach((cs, u) => {
      if (about[u]) m = Math.max(m, cs[i] ?? 0);
    });
    held += t.weight * m;
  });
  const topicCoverage = total > 0 ? held / total : 0;
  const covered = (about.some(Boolean) && topicCoverage >= options.minTopicCoverage) || aboutHead.some(Boolean);
  return { coverage, about, topicCoverage, covered };
}
