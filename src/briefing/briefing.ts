import type { Citation } from "../answer/answer.js";
import { passageLocation } from "../corpus/passage.js";
import type { AnalyzedQuestion } from "../retrieval/question.js";
import type { PreparedText, TermMatcher } from "../retrieval/term-match.js";
import { stems } from "../text/analyze.js";
import { groupPoints, type HeadingOptions } from "./headings.js";
import {
  denseCosine,
  informativeness,
  type MmrOptions,
  matchTopic,
  type StemWeights,
  selectByMmr,
  stemWeights,
  type TermStats,
  type TopicMatchOptions,
  weightedCosine,
} from "./select.js";
import type { BriefingUnit } from "./units.js";

/** One key point: a sentence or two quoted verbatim from a passage, under a heading, with its citation. */
export interface BriefingPoint {
  readonly heading: string;
  /** Verbatim from the cited passage. */
  readonly text: string;
  /** The passage the text is quoted from (one per point: a point never spans passages). */
  readonly citations: readonly Citation[];
  /** Set by `markNewSince`: the point's passage was not in the corpus at the previous briefing. */
  readonly isNew?: boolean;
}

/** Which index a briefing was made from, so a reader can tell whether it is current. */
export interface BriefingCorpus {
  /** The manifest's corpusChecksum (SHA-256 over the articles' names and checksums). */
  readonly checksum: string;
  /** When the index was built (ISO 8601). */
  readonly builtAt: string;
  readonly articles: number;
  readonly passages: number;
}

/** What changed in the corpus since an earlier briefing on the same subject. */
export interface BriefingChanges {
  /** When the earlier briefing was made (ISO 8601). */
  readonly since: string;
  /** Passages in the corpus now that were not then (added or edited). */
  readonly newPassages: number;
}

/**
 * A briefing on a topic (or on the whole corpus): key points grouped under headings, every one
 * quoted and cited. When the corpus does not cover the topic, `covered` is false and the points
 * are the nearest passages, under the heading "Nearest passages", so nothing pads it out.
 */
export interface Briefing {
  /** The topic as asked, or null for the whole corpus. */
  readonly topic: string | null;
  readonly covered: boolean;
  /** How many points were asked for; fewer are given when the corpus has no more on the topic. */
  readonly requested: number;
  /** In reading order: grouped by heading (consecutive points share it), article order within. */
  readonly points: readonly BriefingPoint[];
  /** The cited passages, numbered in order of first use. */
  readonly citations: readonly Citation[];
  readonly corpus: BriefingCorpus;
  /** How the briefing was made, for footers and logs. */
  readonly method: string;
  /** Set by `markNewSince` when the corpus changed since an earlier briefing. */
  readonly changes?: BriefingChanges;
}

/** A unit with everything composing needs: its matchable text, dense vector and article title's stems. */
export interface BriefingCandidate {
  readonly unit: BriefingUnit;
  readonly prepared: PreparedText;
  readonly vector: readonly number[];
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
}

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

/** The heading of the points shown when the corpus does not cover a topic. */
export const NEAREST_HEADING = "Nearest passages";

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
      denseCosine(candidates[i]?.vector ?? [], candidates[j]?.vector ?? []),
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

/**
 * Marks what is new since an earlier briefing: when the corpus checksum changed, every point
 * whose passage was not in the corpus then is marked new, and `changes` counts the new passages.
 * An unchanged corpus leaves the briefing as it is.
 */
export function markNewSince(
  briefing: Briefing,
  currentPassageIds: readonly string[],
  previous: { readonly checksum: string; readonly passageIds: ReadonlySet<string>; readonly at: string },
): Briefing {
  if (previous.checksum === briefing.corpus.checksum) return briefing;
  const newPassages = currentPassageIds.filter((id) => !previous.passageIds.has(id)).length;
  return {
    ...briefing,
    points: briefing.points.map((p) =>
      p.citations.some((c) => !previous.passageIds.has(c.id)) ? { ...p, isNew: true } : p,
    ),
    changes: { since: previous.at, newPassages },
  };
}

/** Consecutive points under the same heading, as sections to render. */
export function briefingSections(briefing: Briefing): { heading: string; points: BriefingPoint[] }[] {
  const sections: { heading: string; points: BriefingPoint[] }[] = [];
  for (const p of briefing.points) {
    const last = sections[sections.length - 1];
    if (last && last.heading === p.heading) last.points.push(p);
    else sections.push({ heading: p.heading, points: [p] });
  }
  return sections;
}
