import type { Passage } from "../corpus/passage.js";
import type { ConceptSource } from "../embed/concept-source.js";
import type { PassageEmbedder } from "../embed/embedder.js";
import { conceptPostingsId } from "../index/concept-postings.js";
import type { PassageIndex } from "../index/passage-index.js";
import { ConceptIndex } from "./concept-index.js";
import { type AnalyzedQuestion, analyzeQuestion } from "./question.js";
import { SpellingIndex } from "./spelling.js";

/** Nearest-neighbour search over passage vectors, by position in the index. */
export interface DenseSearch {
  search(vector: readonly number[], k: number): readonly { index: number; similarity: number }[];
}

/** Which rankings retrieval uses: all fused (the default), or one alone (for comparison). */
export type RetrievalMode = "hybrid" | "dense" | "lexical";

/** How retrieval casts its net and fuses the two rankings. */
export interface RetrievalOptions {
  readonly mode: RetrievalMode;
  /** Candidates taken from each ranking before fusion. */
  readonly candidates: number;
  /** Reciprocal rank fusion constant: 60 is the value from Cormack et al. (2009) and works without tuning. */
  readonly rrfK: number;
  /** Weight of a misspelling's correction in the lexical query, against 1 for a word as written. */
  readonly correctionWeight: number;
}

export const DEFAULT_RETRIEVAL_OPTIONS = {
  mode: "hybrid",
  candidates: 20,
  rrfK: 60,
  correctionWeight: 0.8,
} as const satisfies Required<RetrievalOptions>;

/** A passage found for a question, with how each ranking placed it. */
export interface RetrievedPassage {
  readonly passage: Passage;
  /** Position of the passage in the index. */
  readonly position: number;
  /** The fused score (sum of 1/(rrfK + rank) over the rankings that found it). */
  readonly score: number;
  readonly denseRank: number | null;
  readonly denseSimilarity: number | null;
  readonly lexicalRank: number | null;
  readonly lexicalScore: number | null;
  readonly conceptRank: number | null;
}

export interface Retrieval {
  readonly question: AnalyzedQuestion;
  readonly passages: readonly RetrievedPassage[];
}

/**
 * Hybrid retrieval: dense nearest neighbours from the HNSW graph, BM25 over stems (with
 * misspellings corrected against the corpus vocabulary) and BM25 over WordNet concepts (for
 * paraphrase), fused by reciprocal rank fusion.
 * Fusion by rank, not score, because cosine similarities and BM25 scores are on unrelated scales.
 */
export class Retriever {
  private readonly spelling: SpellingIndex;
  private readonly concepts: ConceptIndex | null;
  private readonly options: Required<RetrievalOptions>;

  constructor(
    readonly index: PassageIndex,
    private readonly embedder: PassageEmbedder,
    private readonly conceptSource: ConceptSource | null,
    options: Partial<RetrievalOptions> = {},
    /** The dense search to use; the index's HNSW graph unless given (evaluation passes exact search). */
    private readonly denseSearch: DenseSearch = index.dense,
  ) {
    this.options = { ...DEFAULT_RETRIEVAL_OPTIONS, ...options };
    this.spelling = new SpellingIndex(index.lexical.vocabulary());
    // Concept BM25 is a third ranking of the hybrid; the single-ranking modes are baselines without it.
    this.concepts = conceptSource && this.options.mode === "hybrid" ? conceptIndexFor(index, conceptSource) : null;
  }

  /** The best `k` passages for a question, by fused score. */
  async retrieve(question: string, k = 5): Promise<Retrieval> {
    const analyzed = analyzeQuestion(question, this.index.lexical, this.spelling, this.conceptSource);
    const { candidates: n, mode } = this.options;
    const dense = mode === "lexical" ? [] : this.denseSearch.search(await this.embedder.embedQuery(question), n);
    const weights = new Map<string, number>();
    for (const t of analyzed.terms) {
      weights.set(t.stem, 1);
      for (const c of t.corrections) if (!weights.has(c)) weights.set(c, this.options.correctionWeight);
    }
    const lexical = mode === "dense" ? [] : this.index.lexical.search([...weights.keys()], n, weights);
    const concept = this.concepts?.search(question, n) ?? [];
    return { question: analyzed, passages: this.fuse(dense, lexical, concept).slice(0, k) };
  }

  private fuse(
    dense: readonly { index: number; similarity: number }[],
    lexical: readonly { index: number; score: number }[],
    concept: readonly { index: number; score: number }[],
  ): RetrievedPassage[] {
    const k = this.options.rrfK;
    type Entry = {
      score: number;
      denseRank: number | null;
      denseSimilarity: number | null;
      lexicalRank: number | null;
      lexicalScore: number | null;
      conceptRank: number | null;
    };
    const byPosition = new Map<number, Entry>();
    const entry = (position: number) => {
      let e = byPosition.get(position);
      if (!e) {
        e = {
          score: 0,
          denseRank: null,
          denseSimilarity: null,
          lexicalRank: null,
          lexicalScore: null,
          conceptRank: null,
        };
        byPosition.set(position, e);
      }
      return e;
    };
    concept.forEach((hit, rank) => {
      const e = entry(hit.index);
      e.score += 1 / (k + rank + 1);
      e.conceptRank = rank + 1;
    });
    dense.forEach((hit, rank) => {
      const e = entry(hit.index);
      e.score += 1 / (k + rank + 1);
      e.denseRank = rank + 1;
      e.denseSimilarity = hit.similarity;
    });
    lexical.forEach((hit, rank) => {
      const e = entry(hit.index);
      e.score += 1 / (k + rank + 1);
      e.lexicalRank = rank + 1;
      e.lexicalScore = hit.score;
    });
    const out: RetrievedPassage[] = [];
    for (const [position, e] of byPosition) {
      const passage = this.index.passages[position];
      if (passage) out.push({ passage, position, ...e });
    }
    return out.sort((a, b) => b.score - a.score || a.position - b.position);
  }
}

/** The index's stored concept postings when they were made from this source, else made here (slow on a large corpus). */
function conceptIndexFor(index: PassageIndex, source: ConceptSource): ConceptIndex {
  return index.manifest.concepts.id === conceptPostingsId(source)
    ? new ConceptIndex(index.concepts, source)
    : ConceptIndex.of(index.passages, source);
}
