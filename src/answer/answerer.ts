import { sentencesOf } from "../corpus/passage.js";
import type { ConceptSource } from "../embed/concept-source.js";
import type { PassageEmbedder } from "../embed/embedder.js";
import type { PassageIndex } from "../index/passage-index.js";
import { unranked } from "../retrieval/fusion.js";
import { type DenseSearch, type RetrievalOptions, type RetrievedPassage, Retriever } from "../retrieval/retriever.js";
import { TermMatcher } from "../retrieval/term-match.js";
import type { Answer } from "./answer.js";
import { composeExtractiveAnswer, DEFAULT_EXTRACTIVE_OPTIONS, type ExtractiveOptions } from "./extractive-answer.js";
import type { QuotableSentence } from "./sentence-scoring.js";

/** Answers questions from one opened index: hybrid retrieval, then an extractive, cited answer. */
export class Answerer {
  readonly retriever: Retriever;
  private readonly matcher: TermMatcher;
  private readonly options: ExtractiveOptions;

  constructor(
    readonly index: PassageIndex,
    embedder: PassageEmbedder,
    conceptSource: ConceptSource | null,
    options: {
      retrieval?: Partial<RetrievalOptions>;
      extractive?: Partial<ExtractiveOptions>;
      denseSearch?: DenseSearch;
    } = {},
  ) {
    this.retriever = new Retriever(index, embedder, conceptSource, options.retrieval, options.denseSearch);
    this.matcher = new TermMatcher(conceptSource);
    this.options = { ...DEFAULT_EXTRACTIVE_OPTIONS, ...options.extractive };
  }

  /** The last sentence of the passage before `r` in the same article, as a quotable sentence of its own passage. */
  private sentenceBefore(r: RetrievedPassage): QuotableSentence | null {
    const passage = this.index.passages[r.position - 1];
    if (passage === undefined || passage.metadata.source !== r.passage.metadata.source) return null;
    const text = sentencesOf(passage).at(-1);
    if (text === undefined) return null;
    return { text, retrieved: { passage, ...unranked(r.position - 1) } };
  }

  async answer(question: string): Promise<Answer> {
    const retrieval = await this.retriever.retrieve(
      question,
      Math.max(this.options.passages, this.options.abstainPassages),
    );
    return composeExtractiveAnswer(
      retrieval.question,
      retrieval.passages,
      this.matcher,
      {
        articleCount: this.index.manifest.articleCount,
        method: `extractive · ${this.index.manifest.embedder.id}`,
        sentenceBefore: (r) => this.sentenceBefore(r),
      },
      this.options,
    );
  }
}
