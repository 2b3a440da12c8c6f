import type { ConceptSource } from "../embed/concept-source.js";
import type { LexicalIndex } from "../index/bm25/lexical-index.js";
import { terms } from "../text/analyze.js";
import { type AnswerSlot, answerSlot } from "./answer-type.js";
import type { SpellingIndex } from "./spelling.js";

/** A content word of the question, with what it may match in the corpus. */
export interface QuestionTerm {
  readonly word: string;
  readonly stem: string;
  /** Informativeness in this corpus (BM25 idf; a word the corpus lacks gets the highest). */
  readonly weight: number;
  /** Whether the stem itself occurs in the corpus. */
  readonly inCorpus: boolean;
  /** Corpus stems the word may be a misspelling of. */
  readonly corrections: readonly string[];
  /** Related-word concepts of the word (empty without a concept source). */
  readonly concepts: ReadonlyMap<string, number>;
}

export interface AnalyzedQuestion {
  readonly text: string;
  readonly slot: AnswerSlot;
  readonly terms: readonly QuestionTerm[];
}

// Words that frame a question about an article but are not what it is about.
const FRAMING_WORDS: ReadonlySet<string> = new Set(
  `article story piece text passage author writer analysis mention mentioned say said says according describe described tell us me please
explain kind sort thing things happen happened happens anything something much many`.split(/\s+/),
);

/** Reads the question's type and content terms against the corpus vocabulary. */
export function analyzeQuestion(
  question: string,
  lexical: LexicalIndex,
  spelling: SpellingIndex,
  conceptSource: ConceptSource | null,
): AnalyzedQuestion {
  const seen = new Set<string>();
  const out: QuestionTerm[] = [];
  for (const t of terms(question)) {
    if (FRAMING_WORDS.has(t.word) || seen.has(t.stem)) continue;
    seen.add(t.stem);
    const inCorpus = lexical.has(t.stem);
    const corrections = inCorpus ? [] : spelling.corrections(t.stem);
    const weightStem = inCorpus ? t.stem : (corrections[0] ?? t.stem);
    const concepts = new Map<string, number>();
    for (const c of conceptSource?.concepts(t.word) ?? []) concepts.set(c.id, c.weight);
    out.push({ word: t.word, stem: t.stem, weight: lexical.idf(weightStem), inCorpus, corrections, concepts });
  }
  // "US" is also the pronoun "us": a question that says "U.S." or "US" in capitals means the country.
  if (/\bU\.?S\.?\b/.test(question) && !seen.has("us") && lexical.has("us")) {
    out.push({
      word: "us",
      stem: "us",
      weight: lexical.idf("us"),
      inCorpus: true,
      corrections: [],
      concepts: new Map(),
    });
  }
  return { text: question, slot: answerSlot(question), terms: out };
}

/**
 * The question as a weighted BM25 query: each stem as written at weight 1, and each correction
 * of a misspelt word at `correctionWeight`, never lowering a stem the question itself uses.
 */
export function lexicalQuery(question: AnalyzedQuestion, correctionWeight: number): Map<string, number> {
  const weights = new Map<string, number>();
  for (const t of question.terms) {
    weights.set(t.stem, 1);
    for (const c of t.corrections) if (!weights.has(c)) weights.set(c, correctionWeight);
  }
  return weights;
}
