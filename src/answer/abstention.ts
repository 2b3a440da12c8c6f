import type { AnalyzedQuestion } from "../retrieval/question.js";
import type { Contradiction } from "./grounding.js";

/**
 * What the answer layer knows about how well its best sentence answers the question: the
 * inputs of the decision to answer or abstain, kept on the answer for logs and calibration.
 */
export interface Evidence {
  /** Question coverage by the best sentence (70 %) and its passage (30 %), related words included. */
  readonly support: number;
  /** The same, counting only the question's own words (stems, spellings, affixes). */
  readonly literalSupport: number;
  /** Cosine similarity of the question to the best sentence's passage (0 when dense search was not used). */
  readonly denseSimilarity: number;
  /** Weighted share of the question's words that occur nowhere in the corpus, even misspelt. */
  readonly unknownShare: number;
  /** Whether the question asks for a kind of value (a number, a date, a person…). */
  readonly typed: boolean;
  /** Weighted share of the question's names, things, actions and figures the sentence and its neighbours lack. */
  readonly focusMissing: number;
  /** Whether the most informative of those (the question's focus: "export" in "Taiwan's biggest export") is lacking. */
  readonly focusLacking: boolean;
  /**
   * Why the sentence cannot answer whatever the model says, or null: it lacks what the question
   * asks for ("type"), contradicts it (another ordinal, an opposite, no negation: see
   * grounding.ts), or lacks a figure the question names ("figure").
   */
  readonly refusal: Refusal | null;
}

/**
 * A reason no model weighs: the question names someone or something the corpus never mentions
 * ("unknown-name"), the sentence lacks what it asks about ("off-focus"), the sentence
 * does not name whom or what the question names ("name"), or it answers another question.
 */
export type Refusal = "unknown-name" | "off-focus" | "name" | "type" | "figure" | Contradiction;

/** The evidence the model weighs (all but the refusal, which overrides it). */
export type Feature = Exclude<keyof Evidence, "refusal">;

/** A logistic model over the evidence: P(answer) = σ(bias + Σ weight × feature). */
export interface AbstentionModel {
  readonly bias: number;
  readonly weights: Readonly<Record<Feature, number>>;
  /** Answer when P(answer) is at least this. */
  readonly threshold: number;
}

/**
 * Fitted by `npm run calibrate` on the development sets (test/fixtures/dev-questions.json and
 * test/fixtures/wiki/dev-questions.json): logistic regression of "the question is answerable"
 * on the evidence of the best sentence, over the questions no rule refuses. The held-out sets
 * (test/eval) measure it; they never train it.
 */
export const ABSTENTION_MODEL: AbstentionModel = {
  bias: -0.244,
  weights: {
    support: 0.762,
    literalSupport: 0.482,
    denseSimilarity: -0.026,
    unknownShare: -0.297,
    typed: -0.616,
    focusMissing: -0.222,
    focusLacking: -0.379,
  },
  // Low on purpose: the rules (grounding.ts, answer-type.ts) refuse the near misses they can
  // tell, and what is left looks much like an answerable question. On the development sets
  // 0.3 refused 5 of 218 such answerable questions and 2 of 59 unanswerable ones; at 0.2 the
  // model refuses only sentences with almost no support for the question.
  threshold: 0.2,
};

/** The evidence as the model's feature vector, in the order of its weights. */
export function features(e: Evidence): Record<Feature, number> {
  return {
    support: e.support,
    literalSupport: e.literalSupport,
    denseSimilarity: e.denseSimilarity,
    unknownShare: e.unknownShare,
    typed: e.typed ? 1 : 0,
    focusMissing: e.focusMissing,
    focusLacking: e.focusLacking ? 1 : 0,
  };
}

/** P(answerable) under the model. */
export function answerProbability(e: Evidence, model: AbstentionModel = ABSTENTION_MODEL): number {
  const f = features(e);
  let z = model.bias;
  for (const key of Object.keys(f) as Feature[]) z += model.weights[key] * f[key];
  return 1 / (1 + Math.exp(-z));
}

/** Weighted share of the question's terms absent from the corpus vocabulary, with no correction. */
export function unknownShare(question: AnalyzedQuestion): number {
  let total = 0;
  let unknown = 0;
  for (const t of question.terms) {
    total += t.weight;
    if (t.absent) unknown += t.weight;
  }
  return total > 0 ? unknown / total : 1;
}
