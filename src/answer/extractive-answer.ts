import type { AnalyzedQuestion } from "../retrieval/question.js";
import type { RetrievedPassage } from "../retrieval/retriever.js";
import type { TermMatcher } from "../retrieval/term-match.js";
import {
  ABSTENTION_MODEL,
  type AbstentionModel,
  answerProbability,
  type Evidence,
  unknownShare,
} from "./abstention.js";
import type { Answer } from "./answer.js";
import { citeSentences, toCitation } from "./citations.js";
import { type ScoredSentence, type SentenceScoring, scoreSentences } from "./sentence-scoring.js";

/** How sentences are scored, chosen and judged to support an answer. */
export interface ExtractiveOptions extends SentenceScoring {
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

/** What an answer needs besides the question and its passages: the corpus size and how it was made. */
export interface AnswerContext {
  /** Articles in the corpus: an abstention says "the article" for one, "the articles" for more. */
  readonly articleCount: number;
  /** How the answer was made, for footers and logs. */
  readonly method: string;
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
  context: AnswerContext,
  options: ExtractiveOptions = DEFAULT_EXTRACTIVE_OPTIONS,
): Answer {
  const top = retrieved.slice(0, options.passages);
  const scored = scoreSentences(question, top, matcher, options);
  const best = scored[0];
  if (!best) return abstain(question, top, context, options, undefined);
  const evidence = evidenceOf(question, best);
  // A sentence that lacks what the question asks for never answers it, whatever the model says.
  if (
    !best.typeOk ||
    question.terms.length === 0 ||
    answerProbability(evidence, options.abstention) < options.abstention.threshold
  ) {
    return abstain(question, top, context, options, evidence);
  }
  const { sentences, citations } = citeSentences(chooseSentences(best, scored.slice(1), options));
  return {
    question: question.text,
    kind: "answer",
    abstained: false,
    answer: sentences.map((s) => `${s.text} [${s.n}]`).join(" "),
    sentences,
    citations,
    method: context.method,
    evidence,
  };
}

/** The evidence the decision to answer rests on: the best sentence's support, and the question's. */
function evidenceOf(question: AnalyzedQuestion, best: ScoredSentence): Evidence {
  return {
    support: best.support,
    literalSupport: best.literalSupport,
    denseSimilarity: best.retrieved.denseSimilarity ?? 0,
    unknownShare: unknownShare(question),
    typed: question.slot.type !== "other",
  };
}

/**
 * The best sentence and, up to `maxSentences` in all, the next best that score nearly as well,
 * hold what the question asks for and cover enough of it on their own.
 */
function chooseSentences(
  best: ScoredSentence,
  rest: readonly ScoredSentence[],
  options: ExtractiveOptions,
): ScoredSentence[] {
  const chosen = [best];
  for (const c of rest) {
    if (chosen.length >= options.maxSentences) break;
    if (c.score >= options.followRatio * best.score && c.typeOk && c.support >= options.minSupport) chosen.push(c);
  }
  return chosen;
}

function abstain(
  question: AnalyzedQuestion,
  top: readonly RetrievedPassage[],
  context: AnswerContext,
  options: ExtractiveOptions,
  evidence: Evidence | undefined,
): Answer {
  const subject = context.articleCount === 1 ? "The article doesn't say" : "The articles don't say";
  const citations = top.slice(0, options.abstainPassages).map((r, i) => toCitation(r, i + 1));
  const closest =
    citations.length > 0 ? ` The closest passages are ${citations.map((c) => `[${c.n}]`).join(", ")}.` : "";
  return {
    question: question.text,
    kind: "abstained",
    abstained: true,
    answer: `${subject}.${closest}`,
    sentences: [],
    citations,
    method: context.method,
    ...(evidence ? { evidence } : {}),
  };
}
