import { sentencesOf } from "../corpus/passage.js";
import { holdsAnswerType } from "../retrieval/answer-type.js";
import type { AnalyzedQuestion } from "../retrieval/question.js";
import type { RetrievedPassage } from "../retrieval/retriever.js";
import type { TermMatcher } from "../retrieval/term-match.js";
import { words } from "../text/normalize.js";
import { type Grounding, ground, missingShare } from "./grounding.js";

/** How strongly the counted noun of "how many X" must be matched: the word itself, its spelling or a synonym. */
const UNIT_MATCH = 0.6;

/** How a sentence's score treats the question's answer type. */
export interface SentenceScoring {
  /** Score multiplier for a sentence that lacks what the question asks for (no figure for "how many"). */
  readonly typeMismatchPenalty: number;
  /** Score added to a sentence that holds what the question asks for (a person for "who"). */
  readonly typeBonus: number;
  /** Share of the score lost when the sentence and its neighbours match none of the question's focus words. */
  readonly focusPenalty: number;
  /** Score multiplier for a sentence that lacks a name the question names. */
  readonly namePenalty: number;
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
  /** Whether it is about what the question asks and says nothing against it. */
  readonly grounding: Grounding;
  /**
   * The sentence before it: in its passage, or for a passage's first sentence the last of the
   * passage before it in the same article (when the caller can look it up); null at an article's start.
   */
  readonly previous: QuotableSentence | null;
}

/** A sentence and the passage it is quoted from. */
export interface QuotableSentence {
  readonly text: string;
  readonly retrieved: RetrievedPassage;
}

/** The last sentence of the passage before a retrieved one in the same article, or null. */
export type SentenceBefore = (r: RetrievedPassage) => QuotableSentence | null;

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
  before: SentenceBefore = () => null,
): ScoredSentence[] {
  const bestFused = passages[0]?.score ?? 1;
  const slot = question.slot;
  // The counted noun of "how many X" (a measure's unit is the adjective that asks it, checked by holdsAnswerType).
  const unit =
    slot.unit === null || slot.type === "measure" ? undefined : question.terms.find((t) => t.word === slot.unit);
  const questionWords = new Set(words(question.text));
  const source = matcher.conceptSource;
  const nameKind = (w: string) => source?.nameKind?.(w) ?? null;
  const scored: ScoredSentence[] = [];
  for (const r of passages) {
    const preparedPassage = matcher.prepare(r.passage.pageContent);
    const passageCov = matcher.coverage(question, preparedPassage);
    const literalPassageCov = matcher.coverage(question, preparedPassage, true);
    const read = sentencesOf(r.passage).map((text) => ({ text, prepared: matcher.prepare(text) }));
    const title = { text: r.passage.metadata.title, prepared: matcher.prepare(r.passage.metadata.title) };
    // A passage's first sentence may refer to the last of the passage before ("It is not clear
    // whether he will meet…" follows a paragraph about Blinken).
    const lastBefore = before(r);
    const earlier = lastBefore === null ? [] : [{ text: lastBefore.text, prepared: matcher.prepare(lastBefore.text) }];
    read.forEach((sentence, i) => {
      const { text, prepared } = sentence;
      const grounding = ground(
        question,
        sentence,
        [...earlier, ...read.slice(0, i)],
        read[i + 1] ?? null,
        title,
        matcher,
      );
      const sentenceCov = matcher.coverage(question, prepared);
      // "How many hours…" wants a figure and the hours it counts (the word or a synonym: "ships" for "vessels"), not any number.
      const typeOk =
        holdsAnswerType(slot.type, text, questionWords, nameKind, slot.unit) &&
        (unit === undefined || matcher.match(unit, prepared) >= UNIT_MATCH);
      const support = 0.7 * sentenceCov + 0.3 * passageCov;
      const literalSupport = 0.7 * matcher.coverage(question, prepared, true) + 0.3 * literalPassageCov;
      let score = 0.55 * sentenceCov + 0.25 * passageCov + 0.2 * (r.score / bestFused);
      if (slot.type !== "other" && typeOk) score += scoring.typeBonus;
      if (!typeOk) score *= scoring.typeMismatchPenalty;
      score *= 1 - scoring.focusPenalty * missingShare(question, grounding);
      // A sentence without a name the question names is about someone or something else.
      if (grounding.missing.some((t) => t.role === "name")) score *= scoring.namePenalty;
      const inPassage = read[i - 1];
      const previous = inPassage !== undefined ? { text: inPassage.text, retrieved: r } : lastBefore;
      scored.push({ retrieved: r, text, score, support, literalSupport, typeOk, grounding, previous });
    });
  }
  return scored.sort((a, b) => b.score - a.score);
}
