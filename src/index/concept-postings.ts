import type { ConceptSource } from "../embed/concept-source.js";
import { terms } from "../text/analyze.js";

/** Which of a word's concepts stand for it in the concept index. */
export interface ConceptIndexOptions {
  /** Concepts weaker than this (far senses, distant hypernyms) are left out. */
  readonly minWeight: number;
  /** At most this many concepts per word, strongest first: bounds the index's size. */
  readonly perWord: number;
}

export const DEFAULT_CONCEPT_INDEX_OPTIONS = {
  minWeight: 0.3,
  perWord: 6,
} as const satisfies Required<ConceptIndexOptions>;

/**
 * Names how passages are turned into concept tokens (the source and the options): an index
 * stores the postings with this id, and they are used only by a reader that would make the
 * same tokens. "none" for an index built without a concept source.
 */
export function conceptPostingsId(source: ConceptSource | null, options: Partial<ConceptIndexOptions> = {}): string {
  if (!source) return "none";
  const o = { ...DEFAULT_CONCEPT_INDEX_OPTIONS, ...options };
  return `${source.id}:w${o.minWeight}:n${o.perWord}`;
}

/** The concept ids a text is indexed by: each word's strongest concepts, with repeats. */
export function conceptTokens(
  text: string,
  source: ConceptSource,
  options: Partial<ConceptIndexOptions> = {},
): string[] {
  return conceptsOf(text, source, { ...DEFAULT_CONCEPT_INDEX_OPTIONS, ...options }).map((c) => c.id);
}

export function conceptsOf(
  text: string,
  source: ConceptSource,
  options: Required<ConceptIndexOptions>,
): { id: string; weight: number }[] {
  const out: { id: string; weight: number }[] = [];
  for (const t of terms(text)) {
    let n = 0;
    // Concepts come sorted by weight, strongest first.
    for (const c of source.concepts(t.word)) {
      if (c.weight < options.minWeight || n >= options.perWord) break;
      out.push(c);
      n++;
    }
  }
  return out;
}
