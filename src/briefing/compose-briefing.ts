import { cosineSimilarity } from "@langchain/core/utils/math";
import type { Citation } from "../answer/answer.js";
import { passageLocation } from "../corpus/passage.js";
import type { AnalyzedQuestion } from "../retrieval/question.js";
import type { PreparedText, TermMatcher } from "../retrieval/term-match.js";
import { stems } from "../text/analyze.js";
import { type Briefing, type BriefingCorpus, type BriefingPoint, NEAREST_HEADING } from "./briefing.js";
import { groupPoints, type HeadingOptions } from "./headings.js";
import { type MmrOptions, selectByMmr } from "./mmr.js";
import { informativeness, type StemWeights, stemWeights, type TermStats, weightedCosine } from "./salience.js";
import { matchTopic, type TopicHeadTerms, type TopicMatchOptions } from "./topic-match.js";
import type { BriefingUnit } from "./units.js";

/** A unit with everything composing needs: its matchable text, dense vector and article title's stems. */
export interface BriefingCandidate {
  readonly unit: BriefingUnit;
  readonly prepared: PreparedText;
  /** The embedder's vector of the unit's text. */
  readonly vector: number[];
  /** Stems of its article's title: what the whole article is about, so never what tells its points apart. */
  readonly titleStems: ReadonlySet<string>;
}

/** The topic, analysed, with how retrieval ranked the passages for it. */
export interface BriefingTopic {
  readonly text: string;
  readonly question: AnalyzedQuestion;
  /** Fused retrieval score by passage position (passages retrieval did not find are absent). */
  readonly scores: ReadonlyMap<number, number>;
  /** Passage positions, best first. */
  readonly ranked: readonly number[];
  /** The head of the topic's noun phrase, when it has one the analysed topic holds. */
  readonly head?: TopicHeadTerms | null;
}

/** Everything composing a briefing works from; the Briefer prepares it from an opened index. */
export interface BriefingInput {
  readonly topic: BriefingTopic | null;
  readonly candidates: readonly BriefingCandidate[];
  readonly stats: TermStats;
  readonly matcher: TermMatcher;
  readonly corpus: BriefingCorpus;
  /** Points wanted. */
  readonly points: number;
  readonly method: string;
  /**
   * Whether a word is mainly a noun (WordNet's first sense), for headings: "Taiwan" or "drug"
   * names a subject, "said" or "expect" does not. Without it every word counts as a noun.
   */
  readonly isNoun?: (word: string) => boolean;
}

/** Every knob of composing a briefing. */
export interface BriefingOptions {
  readonly mmr: MmrOptions;
  readonly topic: TopicMatchOptions;
  readonly headings: HeadingOptions;
  readonly informativeness: { readonly minTerms: number; readonly lengthPower: number };
  /** How a unit's relevance to a topic is made up; the weights sum to 1. */
  readonly topicRelevance: { readonly coverage: number; readonly retrieval: number; readonly informativeness: number };
  /** A stem in more than this share of passages ("US", "officials") never names a heading. */
  readonly genericShare: number;
  /** Weight of a word that is not mainly a noun in headings, against 1 for a noun. */
  readonly nonNounHeadingWeight: number;
  /** Passages shown when a topic is not covered. */
  readonly nearestPassages: number;
}

/**
 * Chosen on the seed article, by reading the briefings they give and by the test of angles in
 * test/briefing/briefing.test.ts; none names a word of the article.
 */
export const DEFAULT_BRIEFING_OPTIONS = {
  mmr: { lambda: 0.7, maxSimilarity: 0.6 },
  topic: { minConceptMatch: 0.5, minUnitCoverage: 0.25, relativeCoverage: 0.5, minTopicCoverage: 0.6 },
  headings: { groupSimilarity: 0.2, secondWordRatio: 0.85 },
  informativeness: { minTerms: 4, lengthPower: 0.75 },
  topicRelevance: { coverage: 0.6, retrieval: 0.25, informativeness: 0.15 },
  genericShare: 0.25,
  nonNounHeadingWeight: 0.4,
  nearestPassages: 3,
} as const satisfies Required<BriefingOptions>;

// Common English words that are nouns to WordNet but never name a subject: a heading reading
// "Make" or "Years" tells a reader nothing.
const GENERIC_HEADING_STEMS = new Set(
  stems(
    "make say tell give take get come see know think want use year month week day hour time way thing part area kind sort lot number people person someone something nothing everything anything many much more most last first second next new old good great high low long sure",
  ),
);

/**
 * Composes a briefing from prepared candidates. Without a topic, points are chosen for how much
 * of what the corpus keeps returning to they hold; with one, for how well they cover it (every
 * point must hold the topic's words), how retrieval ranked their passage, and how informative
 * they are. Either way maximal marginal relevance keeps out points that repeat one another, and
 * the chosen points are grouped under headings from their shared words and put in article order.
 */
export function composeBriefing(input: BriefingInput, options: BriefingOptions = DEFAULT_BRIEFING_OPTIONS): Briefing {
  const { candidates, stats, topic } = input;
  const requested = input.points;
  const ownWeights = candidates.map((c) => stemWeights(c.prepared.stems, stats, c.titleStems));
  const info = ownWeights.map((w) => informativeness(w, options.informativeness));
  let relevance: number[];
  let distinguishing: StemWeights[] = ownWeights;
  if (topic === null) {
    relevance = info;
  } else {
    const match = matchTopic(
      topic.question,
      candidates.map((c) => c.prepared),
      input.matcher,
      options.topic,
      topic.head ?? null,
    );
    if (!match.covered) return nearest(input, topic, options);
    const topicStems = new Set(topic.question.terms.flatMap((t) => [t.stem, ...t.corrections]));
    // Every point holds the topic's words: they say nothing about how points differ.
    distinguishing = candidates.map((c) =>
      stemWeights(c.prepared.stems, stats, new Set([...c.titleStems, ...topicStems])),
    );
    const bestScore = Math.max(0, ...topic.scores.values());
    const bestInfo = Math.max(0, ...info);
    const r = options.topicRelevance;
    relevance = candidates.map((c, i) => {
      if (!match.about[i]) return 0;
      const retrieval = bestScore > 0 ? (topic.scores.get(c.unit.position) ?? 0) / bestScore : 0;
      return (
        r.coverage * (match.coverage[i] ?? 0) +
        r.retrieval * retrieval +
        r.informativeness * (bestInfo > 0 ? (info[i] ?? 0) / bestInfo : 0)
      );
    });
  }
  const similarity = (i: number, j: number) =>
    Math.max(
      cosineSimilarity([candidates[i]?.vector ?? []], [candidates[j]?.vector ?? []])[0]?.[0] ?? 0,
      weightedCosine(distinguishing[i] ?? new Map(), distinguishing[j] ?? new Map()),
    );
  const chosen = selectByMmr(relevance, requested, similarity, options.mmr);

  const genericLimit = Math.max(2, options.genericShare * stats.size);
  const groups = groupPoints(
    chosen.map((i) => {
      const c = candidates[i];
      const nouns = new Set(c?.prepared.terms.filter((t) => input.isNoun?.(t.word) ?? true).map((t) => t.stem));
      const weights = new Map<string, number>();
      for (const [s, w] of distinguishing[i] ?? []) {
        if (s.length < 3 || GENERIC_HEADING_STEMS.has(s) || stats.documentFrequency(s) > genericLimit) continue;
        weights.set(s, nouns.has(s) ? w : w * options.nonNounHeadingWeight);
      }
      return { text: c?.unit.text ?? "", position: c?.unit.position ?? 0, offset: c?.unit.start ?? 0, weights };
    }),
    options.headings,
  );
  const ordered = groups.flatMap((g) =>
    g.members.map((m) => ({ heading: g.heading, candidate: candidates[chosen[m] ?? -1] })),
  );
  return assemble(input, topic !== null || chosen.length > 0, ordered);
}

/** The honest reply to a topic the corpus does not cover: the nearest passages, each by its best sentence. */
function nearest(input: BriefingInput, topic: BriefingTopic, options: BriefingOptions): Briefing {
  // A topic of only common words ("the") has nothing to be near.
  if (topic.question.terms.length === 0) return assemble(input, false, []);
  const picks = topic.ranked.slice(0, options.nearestPassages).map((position) => {
    let best: { candidate: BriefingCandidate; score: number } | null = null;
    for (const candidate of input.candidates) {
      if (candidate.unit.position !== position) continue;
      const score = input.matcher.coverage(topic.question, candidate.prepared);
      if (!best || score > best.score) best = { candidate, score };
    }
    return { heading: NEAREST_HEADING, candidate: best?.candidate };
  });
  return assemble(input, false, picks);
}

function assemble(
  input: BriefingInput,
  covered: boolean,
  picks: readonly { heading: string; candidate: BriefingCandidate | undefined }[],
): Briefing {
  const citations: Citation[] = [];
  const points: BriefingPoint[] = [];
  for (const { heading, candidate } of picks) {
    if (!candidate) continue;
    const p = candidate.unit.passage;
    let citation = citations.find((c) => c.id === p.metadata.id);
    if (!citation) {
      const m = p.metadata;
      citation = {
        n: citations.length + 1,
        id: m.id,
        source: m.source,
        title: m.title,
        url: m.url,
        location: passageLocation(m),
        text: p.pageContent,
      };
      citations.push(citation);
    }
    points.push({ heading, text: candidate.unit.text, citations: [citation] });
  }
  return {
    topic: input.topic?.text ?? null,
    covered,
    requested: input.points,
    points,
    citations,
    corpus: input.corpus,
    method: input.method,
  };
}
