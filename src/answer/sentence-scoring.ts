import { holdsAnswerType } from "../retrieval/answer-type.js";
import type { AnalyzedQuestion } from "../retrieval/question.js";
import type { RetrievedPassage } from "../retrieval/retriever.js";
import { MATCH_WEIGHTS, type TermMatcher } from "../retrieval/term-match.js";
import { words } from "../text/normalize.js";

/** How a sentence's score treats the question's answer type. */
export interface SentenceScoring {
  /** Score multiplier for a sentence that lacks what the question asks for (no figure for "how many"). */
  readonly typeMismatchPenalty: number;
  /** Score added to a sentence that holds what the question asks for (a person for "who"). */
  readonly typeBonus: number;
}

/** One sentence of a retrieved passage, scored as an answer to the question. */
export interface ScoredSentence {
  readonly retrieved: RetrievedPassage;
  /** The sentence, verbatim from the passage. */
  readonly text: string;
  /** Ranks sentences: coverage by the sentence and its passage, the passage's fused rank, the answer type. */
  readonly score: number;
  /** Question coverage by the sentence (70 %) and its passage (30 %), related words included. */
  readonly support: number;
  /** The same, counting only the question's own words. */
  readonly literalSupport: number;
  /** Whether the sentence holds what the question asks for (and, for "how many X", the X). */
  readonly typeOk: boolean;
}

/**
 * Every sentence of `passages`, best first: by how much of the question the sentence and its
 * passage cover and how highly retrieval ranked the passage, raised when the sentence holds
 * what the question asks for and lowered when it does not. Ties keep passage and sentence order.
 */
export function scoreSentences(
  question: AnalyzedQuestion,
  passages: readonly RetrievedPassage[],
  matcher: TermMatcher,
  scoring: SentenceScoring,
): ScoredSentence[] {
  const bestFused = passages[0]?.score ?? 1;
  const slot = question.slot;
  const unit = slot.unit === null ? undefined : question.terms.find((t) => t.word === slot.unit);
  const questionWords = new Set(words(question.text));
  const scored: ScoredSentence[] = [];
  for (const r of passages) {
    const preparedPassage = matcher.prepare(r.passage.pageContent);
    const passageCov = matcher.coverage(question, preparedPassage);
    const literalPassageCov = matcher.coverage(question, preparedPassage, true);
    const { start } = r.passage.metadata;
    for (const span of r.passage.metadata.sentences) {
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
      if (slot.type !== "other" && typeOk) score += scoring.typeBonus;
      if (!typeOk) score *= scoring.typeMismatchPenalty;
      scored.push({ retrieved: r, text, score, support, literalSupport, typeOk });
    }
  }
  return scored.sort((a, b) => b.score - a.score);
}
