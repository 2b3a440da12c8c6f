import { Document } from "@langchain/core/documents";
import { BaseRetriever } from "@langchain/core/retrievers";
import type { Passage, PassageMetadata } from "../corpus/passage.js";
import type { ConceptSource } from "../embed/concept-source.js";
import type { PassageEmbedder } from "../embed/embedder.js";
import { EmbeddingsError } from "../errors.js";
import { conceptPostingsId } from "../index/concept-postings.js";
import type { PassageIndex } from "../index/passage-index.js";
import { terms } from "../text/analyze.js";
import { ConceptIndex } from "./concept-index.js";
import { type DenseHit, type FusedHit, fuseRankings, type Rankings } from "./fusion.js";
import { type AnalyzedQuestion, analyzeQuestion, lexicalQuery } from "./question.js";
import { SpellingIndex } from "./spelling.js";

/** Nearest-neighbour search over passage vectors, by position in the index. */
export interface DenseSearch {
  search(vector: readonly number[], k: number): readonly DenseHit[];
}

/** Which rankings retrieval uses: all fused (the default), or one alone (for comparison). */
export type RetrievalMode = "hybrid" | "dense" | "lexical";

/** How retrieval casts its net and fuses its rankings. */
export interface RetrievalOptions {
  readonly mode: RetrievalMode;
  /** Candidates taken from each ranking before fusion. */
  readonly candidates: number;
  /** Reciprocal rank fusion constant: 60 is the value from Cormack et al. (2009) and works without tuning. */
  readonly rrfK: number;
  /** Weight of a misspelling's correction in the lexical query, against 1 for a word as written. */
  readonly correctionWeight: number;
  /** Passages returned when the caller does not say how many (`retrieve` without k, and LangChain's `invoke`). */
  readonly k: number;
}

export const DEFAULT_RETRIEVAL_OPTIONS = {
  mode: "hybrid",
  candidates: 20,
  rrfK: 60,
  correctionWeight: 0.8,
  k: 5,
} as const satisfies Required<RetrievalOptions>;

/** A passage found for a question, with how each ranking placed it. */
export interface RetrievedPassage extends FusedHit {
  readonly passage: Passage;
}

export interface Retrieval {
  readonly question: AnalyzedQuestion;
  readonly passages: readonly RetrievedPassage[];
}

/** What a retrieved passage's `Document` carries: its provenance, then how retrieval ranked it. */
export type RetrievedMetadata = PassageMetadata & FusedHit;

/**
 * Hybrid retrieval: dense nearest neighbours from the HNSW graph, BM25 over stems (with
 * misspellings corrected against the corpus vocabulary) and BM25 over WordNet concepts (for
 * paraphrase), fused by reciprocal rank fusion.
 *
 * A LangChain `BaseRetriever`, so any chain can use it (`invoke(query)` gives `Document`s with
 * provenance and ranks in their metadata); `retrieve` gives the answer layer the analysed
 * question and the per-ranking detail as well. Both take the same path.
 */
export class Retriever extends BaseRetriever<RetrievedMetadata> {
  lc_namespace = ["passage", "retrieval"];
  private readonly spelling: SpellingIndex;
  private readonly concepts: ConceptIndex | null;
  private readonly options: Required<RetrievalOptions>;
  private readonly names = new Map<string, boolean>();

  constructor(
    readonly index: PassageIndex,
    private readonly embedder: PassageEmbedder,
    private readonly conceptSource: ConceptSource | null,
    options: Partial<RetrievalOptions> = {},
    /** The dense search to use; the index's HNSW graph unless given (evaluation passes exact search). */
    private readonly denseSearch: DenseSearch = index.dense,
    /** Told when a remote embedder fails a question and the hybrid answers from its other rankings. */
    private readonly onDenseFailure: (error: EmbeddingsError) => void = () => {},
  ) {
    super();
    this.options = { ...DEFAULT_RETRIEVAL_OPTIONS, ...options };
    this.spelling = new SpellingIndex(index.lexical.vocabulary());
    // Concept BM25 is a third ranking of the hybrid; the single-ranking modes are baselines without it.
    this.concepts = conceptSource && this.options.mode === "hybrid" ? conceptIndexFor(index, conceptSource) : null;
  }

  /** The best `k` passages for a question, by fused score, with the question as analysed. */
  async retrieve(question: string, k: number = this.options.k): Promise<Retrieval> {
    const analyzed = analyzeQuestion(question, this.index.lexical, this.spelling, this.conceptSource, {
      isName: (stem) => this.isName(stem),
    });
    const rankings = await this.rank(question, analyzed);
    const fused = fuseRankings(rankings, this.options.rrfK);
    // Each ranking's first passage is kept among the k: a passage only BM25 finds (the one that
    // names "Gadir") would otherwise sink below passages two rankings find only loosely.
    const firsts = new Set([rankings.lexical[0]?.index, rankings.dense[0]?.index].filter((i) => i !== undefined));
    const kept = fused.filter((h, rank) => rank >= k && firsts.has(h.position)).slice(0, Math.max(0, k - 1));
    const chosen = [...fused.slice(0, k - kept.length), ...kept];
    const passages: RetrievedPassage[] = [];
    for (const hit of chosen) {
      const passage = this.index.passages[hit.position];
      if (passage) passages.push({ passage, ...hit });
    }
    return { question: analyzed, passages };
  }

  /** LangChain's entry point (`invoke`): the best `options.k` passages as `Document`s. */
  override async _getRelevantDocuments(query: string): Promise<Document<RetrievedMetadata>[]> {
    const { passages } = await this.retrieve(query);
    return passages.map(({ passage, ...hit }) => {
      const metadata: RetrievedMetadata = { ...passage.metadata, ...hit };
      return new Document({ pageContent: passage.pageContent, metadata, id: passage.metadata.id });
    });
  }

  /**
   * Whether a corpus stem is written as a name (capitalised inside a sentence) in the passages
   * that use it most: one postings lookup, remembered.
   */
  private isName(stem: string): boolean {
    let known = this.names.get(stem);
    if (known === undefined) {
      const text = this.index.lexical
        .search([stem], 3)
        .map((hit) => this.index.passages[hit.index]?.pageContent ?? "")
        .join(" ");
      known = [...text.matchAll(/(?<=\S\s+)\p{Lu}[\p{L}\p{N}'’-]*/gu)].some((m) => terms(m[0])[0]?.stem === stem);
      if (this.names.size < 10_000) this.names.set(stem, known);
    }
    return known;
  }

  /**
   * The dense ranking. When a remote embedder fails the question (server down, rate-limited),
   * the hybrid still answers from BM25 and the concept ranking rather than failing the user;
   * dense search alone has nothing else, so it throws.
   */
  private async denseRanking(question: string, n: number): Promise<readonly DenseHit[]> {
    try {
      return this.denseSearch.search(await this.embedder.embedQuery(question), n);
    } catch (error) {
      if (this.options.mode !== "hybrid" || !(error instanceof EmbeddingsError)) throw error;
      this.onDenseFailure(error);
      return [];
    }
  }

  /** Each ranking this mode uses, `candidates` deep; the others empty. */
  private async rank(question: string, analyzed: AnalyzedQuestion): Promise<Rankings> {
    const { candidates: n, mode, correctionWeight } = this.options;
    const dense = mode === "lexical" ? [] : await this.denseRanking(question, n);
    const weights = lexicalQuery(analyzed, correctionWeight);
    const lexical = mode === "dense" ? [] : this.index.lexical.search([...weights.keys()], n, weights);
    const concept = this.concepts?.search(question, n) ?? [];
    return { dense, lexical, concept };
  }
}

/** The index's stored concept postings when they were made from this source, else made here (slow on a large corpus). */
function conceptIndexFor(index: PassageIndex, source: ConceptSource): ConceptIndex {
  return index.manifest.concepts.id === conceptPostingsId(source)
    ? new ConceptIndex(index.concepts, source)
    : ConceptIndex.of(index.passages, source);
}
