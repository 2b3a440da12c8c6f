import type { Concept, ConceptSource } from "../embed/concept-source.js";
import { type Term, terms } from "../text/analyze.js";
import { words } from "../text/normalize.js";
import type { AnalyzedQuestion, QuestionTerm } from "./question.js";

/** How much each kind of match counts, against 1 for the same stem. */
export const MATCH_WEIGHTS = {
  /** The question word is a misspelling of this word. */
  correction: 0.85,
  /** One stem contains the other ("establish" in "reestablish"). */
  affix: 0.7,
  /** The words share related-word concepts (synonyms, hypernyms): at most this much. */
  concept: 0.7,
} as const;

/** Texts whose preparation a matcher keeps (oldest dropped first): a few hundred questions' passages. */
const MAX_PREPARED = 20_000;

/** A text's content terms and their concepts, prepared once for matching many question terms. */
export interface PreparedText {
  readonly terms: readonly Term[];
  readonly stems: ReadonlySet<string>;
  readonly concepts: ReadonlyMap<string, number>;
}

/**
 * Measures how much of a question a text covers: for each question term the best match in the
 * text (same stem, corrected spelling, shared affix, related concept), weighted by how
 * informative the term is. This is the answer layer's evidence that a sentence answers.
 */
export class TermMatcher {
  private readonly prepared = new Map<string, PreparedText>();

  constructor(readonly conceptSource: ConceptSource | null) {}

  /**
   * A text prepared for matching, remembered: the same passages and sentences come back question
   * after question, and preparing one looks up each word's and word pair's concepts.
   */
  prepare(text: string): PreparedText {
    let prepared = this.prepared.get(text);
    if (prepared === undefined) {
      prepared = this.prepareUncached(text);
      if (this.prepared.size >= MAX_PREPARED) this.prepared.delete(this.prepared.keys().next().value as string);
      this.prepared.set(text, prepared);
    }
    return prepared;
  }

  private prepareUncached(text: string): PreparedText {
    const ts = terms(text);
    const concepts = new Map<string, number>();
    const source = this.conceptSource;
    if (source) {
      const add = (cs: readonly Concept[]) => {
        for (const c of cs) concepts.set(c.id, Math.max(concepts.get(c.id) ?? 0, c.weight));
      };
      for (const t of ts) add(source.concepts(t.word));
      if (source.phraseConcepts) {
        const all = words(text);
        for (let i = 0; i + 1 < all.length; i++) add(source.phraseConcepts(all[i] ?? "", all[i + 1] ?? ""));
      }
    }
    return { terms: ts, stems: new Set(ts.map((t) => t.stem)), concepts };
  }

  /**
   * How well one question term is matched in the text, 0 to 1. With `literal`, only the word
   * itself counts (same stem, corrected spelling or shared affix), not related concepts.
   */
  match(term: QuestionTerm, text: PreparedText, literal = false): number {
    if (text.stems.has(term.stem)) return 1;
    let best = 0;
    for (const c of term.corrections) if (text.stems.has(c)) best = MATCH_WEIGHTS.correction;
    if (best < MATCH_WEIGHTS.affix && term.stem.length >= 4) {
      for (const s of text.stems) {
        const [short, long] = s.length < term.stem.length ? [s, term.stem] : [term.stem, s];
        if (short.length >= 4 && long.includes(short)) {
          best = MATCH_WEIGHTS.affix;
          break;
        }
      }
    }
    if (!literal && best < MATCH_WEIGHTS.concept && term.concepts.size > 0) {
      let shared = 0;
      for (const [id, w] of term.concepts) {
        const other = text.concepts.get(id);
        if (other !== undefined) shared += Math.min(w, other);
      }
      best = Math.max(best, MATCH_WEIGHTS.concept * Math.min(1, shared));
    }
    return best;
  }

  /**
   * Weighted share of the question's terms the text covers, 0 to 1 (0 for a question with no
   * content words); `literal` counts only the words themselves, as in `match`.
   */
  coverage(question: AnalyzedQuestion, text: PreparedText, literal = false): number {
    let total = 0;
    let covered = 0;
    for (const t of question.terms) {
      total += t.weight;
      covered += t.weight * this.match(t, text, literal);
    }
    return total > 0 ? covered / total : 0;
  }
}
