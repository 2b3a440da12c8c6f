import { passageLocation } from "../corpus/passage.js";
import { holdsAnswerType } from "../retrieval/answer-type.js";
import type { AnalyzedQuestion } from "../retrieval/question.js";
import type { RetrievedPassage } from "../retrieval/retriever.js";
import { MATCH_WEIGHTS, type TermMatcher } from "../retrieval/term-match.js";
import { words } from "../text/normalize.js";
import {
  ABSTENTION_MODEL,
  type AbstentionModel,
  answerProbability,
  type Evidence,
  unknownShare,
} from "./abstention.js";
import type { Answer, AnswerSentence, Citation } from "./answer.js";

/** How sentences are scored, chosen and judged to support an answer. */
export interface ExtractiveOptions {
  /** Retrieved passages whose sentences are considered. */
  readonly passages: number;
  /** Most sentences in an answer. */
  readonly maxSentences: number;
  /** A further sentence joins the answer when its score is at least this share of the best. */
  readonly followRatio: number;
  /** Least support (question coverage by a sentence and its passage) for a further sentence to join. */
  readonly minSupport: number;
  /** Decides, from the best sentence's evidence, whether to answer at all. */
  readonly abstention: AbstentionModel;
  /** Score multiplier for a sentence that lacks what the question asks for (no figure for "how many"). */
  readonly typeMismatchPenalty: number;
  /** Score added to a sentence that holds what the question asks for (a person for "who"). */
  readonly typeBonus: number;
  /** Closest passages shown with an abstention. */
  readonly abstainPassages: number;
}

/** Calibrated on the development question set (test/fixtures/dev-questions.json). */
export const DEFAULT_EXTRACTIVE_OPTIONS = {
  passages: 5,
  maxSentences: 3,
  followRatio: 0.85,
  minSupport: 0.3,
  abstention: ABSTENTION_MODEL,
  typeMismatchPenalty: 0.6,
  typeBonus: 0.1,
  abstainPassages: 3,
} as const satisfies Required<ExtractiveOptions>;

interface Candidate {
  readonly retrieved: RetrievedPassage;
  readonly literalSupport: number;
  readonly text: string;
  readonly order: number;
  readonly score: number;
  readonly support: number;
  readonly typeOk: boolean;
}

/**
 * Composes an answer from the corpus's own sentences: scores every sentence of the top passages
 * by how much of the question it (and its passage) covers and how highly its passage ranked,
 * quotes the best one to three, each followed by its citation marker, and numbers the cited
 * passages in order of first use. Abstains — and shows the closest passages — when the best
 * sentence does not cover enough of the question or lacks what it asks for.
 */
export function composeExtractiveAnswer(
  question: AnalyzedQuestion,
  retrieved: readonly RetrievedPassage[],
  matcher: TermMatcher,
  context: { readonly articleCount: number; readonly method: string },
  options: ExtractiveOptions = DEFAULT_EXTRACTIVE_OPTIONS,
): Answer {
  const top = retrieved.slice(0, options.passages);
  const bestFused = top[0]?.score ?? 1;
  const candidates: Candidate[] = [];
  const slot = question.slot;
  const unit = slot.unit === null ? undefined : question.terms.find((t) => t.word === slot.unit);
  const questionWords = new Set(words(question.text));
  top.forEach((r) => {
    const preparedPassage = matcher.prepare(r.passage.pageContent);
    const passageCov = matcher.coverage(question, preparedPassage);
    const literalPassageCov = matcher.coverage(question, preparedPassage, true);
    const { start } = r.passage.metadata;
    r.passage.metadata.sentences.forEach((span, i) => {
      const text = r.passage.pageContent.slice(span.start - start, span.end - start);
      const prepared = matcher.prepare(text);
      const sentenceCov = matcher.coverage(question, prepared);
      // "How many hours…" wants a figure and the hours it counts, not any number.
      const typeOk =
        holdsAnswerType(slot.type, text, questionWords) &&
        (unit === undefined || matcher.match(unit, prepared) >= MATCH_WEIGHTS.affix);
      const support = 0.7 * sentenceCov + 0.3 * passageCov;
      const literalSupport = 0.7 * matcher.coverage(question, prepared, true) + 0.3 * literalPassageCov;
      let score = 0.55 * sentenceCov + 0.25 * passageCov + 0.2 * (r.score / bestFused);
      if (slot.type !== "other" && typeOk) score += options.typeBonus;
      if (!typeOk) score *= options.typeMismatchPenalty;
      candidates.push({ retrieved: r, literalSupport, text, order: i, score, support, typeOk });
    });
  });
  candidates.sort((a, b) => b.score - a.score);
  const best = candidates[0];
  const evidence: Evidence | undefined = best && {
    support: best.support,
    literalSupport: best.literalSupport,
    denseSimilarity: best.retrieved.denseSimilarity ?? 0,
    unknownShare: unknownShare(question),
    typed: slot.type !== "other",
  };
  // A sentence that lacks what the question asks for never answers it, whatever the model says.
  if (
    !best ||
    !evidence ||
    !best.typeOk ||
    question.terms.length === 0 ||
    answerProbability(evidence, options.abstention) < options.abstention.threshold
  ) {
    return abstain(question, top, context, options, evidence);
  }
  const chosen = [best];
  for (const c of candidates.slice(1)) {
    if (chosen.length >= options.maxSentences) break;
    if (c.score >= options.followRatio * best.score && c.typeOk && c.support >= options.minSupport) chosen.push(c);
  }
  const citations: Citation[] = [];
  const sentences: AnswerSentence[] = chosen.map((c) => {
    let citation = citations.find((x) => x.id === c.retrieved.passage.metadata.id);
    if (!citation) {
      citation = toCitation(c.retrieved, citations.length + 1);
      citations.push(citation);
    }
    return { text: c.text, n: citation.n };
  });
  return {
    question: question.text,
    abstained: false,
    answer: sentences.map((s) => `${s.text} [${s.n}]`).join(" "),
    sentences,
    citations,
    method: context.method,
    evidence,
  };
}

function abstain(
  question: AnalyzedQuestion,
  top: readonly RetrievedPassage[],
  context: { readonly articleCount: number; readonly method: string },
  options: ExtractiveOptions,
  evidence: Evidence | undefined,
): Answer {
  const subject = context.articleCount === 1 ? "The article doesn't say" : "The articles don't say";
  const citations = top.slice(0, options.abstainPassages).map((r, i) => toCitation(r, i + 1));
  const closest =
    citations.length > 0 ? ` The closest passages are ${citations.map((c) => `[${c.n}]`).join(", ")}.` : "";
  return {
    question: question.text,
    abstained: true,
    answer: `${subject}.${closest}`,
    sentences: [],
    citations,
    method: context.method,
    ...(evidence ? { evidence } : {}),
  };
}

function toCitation(r: RetrievedPassage, n: number): Citation {
  const m = r.passage.metadata;
  return {
    n,
    id: m.id,
    source: m.source,
    title: m.title,
    url: m.url,
    location: passageLocation(m),
    text: r.passage.pageContent,
  };
}
