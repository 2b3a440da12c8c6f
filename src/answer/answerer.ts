import type { ConceptSource } from "../embed/concept-source.js";
import type { PassageEmbedder } from "../embed/embedder.js";
import type { PassageIndex } from "../index/passage-index.js";
import { type DenseSearch, type RetrievalOptions, Retriever } from "../retrieval/retriever.js";
import { TermMatcher } from "../retrieval/term-match.js";
import type { Answer } from "./answer.js";
import { composeExtractiveAnswer, DEFAULT_EXTRACTIVE_OPTIONS, type ExtractiveOptions } from "./extractive-answer.js";

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

  async answer(question: string): Promise<Answer> {
    const retrieval = await this.retriever.retrieve(
      question,
      Math.max(this.options.passages, this.options.abstainPassages),
    );
    return composeExtractiveAnswer(
      retrieval.question,
      retrieval.passages,
      this.matcher,
      { articleCount: this.index.manifest.articleCount, method: `extractive · ${this.index.manifest.embedder.id}` },
      this.options,
    );
  }
}
