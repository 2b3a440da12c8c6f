import type { QuestionConstraints } from "../../src/retrieval/constraints.js";
import type { AnalyzedQuestion, QuestionTerm } from "../../src/retrieval/question.js";
import { stem } from "../../src/text/analyze.js";

/** A question term made by hand: a thing the corpus has, weight 1, unless `extra` says otherwise. */
export function questionTerm(word: string, extra: Partial<QuestionTerm> = {}): QuestionTerm {
  return {
    word,
    stem: stem(word),
    role: "thing",
    weight: 1,
    inCorpus: true,
    absent: false,
    corrections: [],
    concepts: new Map(),
    nameGroup: null,
    ...extra,
  };
}

/** No figures, ordinals, negation or opposites. */
export const NO_CONSTRAINTS: QuestionConstraints = {
  ordinals: [],
  negated: false,
  opposites: [],
  places: [],
};

/** An untyped question of these terms, its text their words. */
export function questionOf(...terms: QuestionTerm[]): AnalyzedQuestion {
  return {
    text: terms.map((t) => t.word).join(" "),
    slot: { type: "other", unit: null },
    terms,
    constraints: NO_CONSTRAINTS,
  };
}
