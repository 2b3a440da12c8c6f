import type { AnalyzedQuestion } from "../retrieval/question.js";

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
}

/** A logistic model over the evidence: P(answer) = σ(bias + Σ weight × feature). */
export interface AbstentionModel {
  readonly bias: number;
  readonly weights: Readonly<Record<keyof Evidence, number>>;
  /** Answer when P(answer) is at least this. */
  readonly threshold: number;
}

/**
 * Fitted by `npm run calibrate` on the development set (test/fixtures/dev-questions.json):
 * logistic regression of "the question is answerable" on the evidence of the best sentence.
 * The held-out set (test/eval) measures it; it never trains it.
 */
export const ABSTENTION_MODEL: AbstentionModel = {
  bias: -0.388,
  weights: { support: 1.167, literalSupport: 0.9, denseSimilarity: 0.504, unknownShare: -0.747, typed: -1.028 },
  // Below 0.5 on purpose: the type rule already refuses most near misses, and on the development
  // set 0.35 keeps false abstentions under 10 % while refusing most of the rest.
  threshold: 0.35,
};

/** The evidence as the model's feature vector, in the order of its weights. */
export function features(e: Evidence): Record<keyof Evidence, number> {
  return {
    support: e.support,
    literalSupport: e.literalSupport,
    denseSimilarity: e.denseSimilarity,
    unknownShare: e.unknownShare,
    typed: e.typed ? 1 : 0,
  };
}

/** P(answerable) under the model. */
export function answerProbability(e: Evidence, model: AbstentionModel = ABSTENTION_MODEL): number {
  const f = features(e);
  let z = model.bias;
  for (const key of Object.keys(f) as (keyof Evidence)[]) z += model.weights[key] * f[key];
  return 1 / (1 + Math.exp(-z));
}

/** Weighted share of the question's terms absent from the corpus vocabulary, with no correction. */
export function unknownShare(question: AnalyzedQuestion): number {
  let total = 0;
  let unknown = 0;
  for (const t of question.terms) {
    total += t.weight;
    if (!t.inCorpus && t.corrections.length === 0) unknown += t.weight;
  }
  return total > 0 ? unknown / total : 1;
}
