import { sentencesOf } from "../corpus/passage.js";
import type { ConceptSource } from "../embed/concept-source.js";
import type { PassageEmbedder } from "../embed/embedder.js";
import type { EmbeddingsError } from "../errors.js";
import type { PassageIndex } from "../index/passage-index.js";
import { unranked } from "../retrieval/fusion.js";
import type { AnalyzedQuestion } from "../retrieval/question.js";
import { type DenseSearch, type RetrievalOptions, type RetrievedPassage, Retriever } from "../retrieval/retriever.js";
import { TermMatcher } from "../retrieval/term-match.js";
import type { Answer } from "./answer.js";
import {
  abstain,
  composeExtractiveAnswer,
  DEFAULT_EXTRACTIVE_OPTIONS,
  type ExtractiveOptions,
} from "./extractive-answer.js";
import type { QuotableSentence } from "./sentence-scoring.js";

/**
 * What the quoted pipeline made of a question: the analysed question, the passages retrieved
 * for it (best first) and the quoted answer or abstention. A generator asks a model only when
 * `answer` did not abstain, and sends it `passages`.
 */
export interface QuotedDecision {
  readonly question: AnalyzedQuestion;
  readonly passages: readonly RetrievedPassage[];
  readonly answer: Answer;
}

/** Answers questions from one opened index: hybrid retrieval, then an extractive, cited answer. */
export class Answerer {
  readonly retriever: Retriever;
  /** Term matching with the concept source, shared with the verifier of generated answers. */
  readonly matcher: TermMatcher;
  private readonly options: ExtractiveOptions;

  constructor(
    readonly index: PassageIndex,
    embedder: PassageEmbedder,
    conceptSource: ConceptSource | null,
    options: {
      retrieval?: Partial<RetrievalOptions>;
      extractive?: Partial<ExtractiveOptions>;
      denseSearch?: DenseSearch;
      /** Told when a remote embedder fails a question (the answer then comes from the other rankings). */
      onDenseFailure?: (error: EmbeddingsError) => void;
    } = {},
  ) {
    this.retriever = new Retriever(
      index,
      embedder,
      conceptSource,
      options.retrieval,
      options.denseSearch,
      options.onDenseFailure,
    );
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
    return (await this.decide(question)).answer;
  }

  /** Retrieval and the quoted answer, with what they were made from (see {@link QuotedDecision}). */
  async decide(question: string): Promise<QuotedDecision> {
    const retrieval = await this.retriever.retrieve(
      question,
      Math.max(this.options.passages, this.options.abstainPassages),
    );
    const answer = composeExtractiveAnswer(
      retrieval.question,
      retrieval.passages,
      this.matcher,
      {
        articleCount: this.index.manifest.articleCount,
        method: this.method("extractive"),
        sentenceBefore: (r) => this.sentenceBefore(r),
      },
      this.options,
    );
    return { question: retrieval.question, passages: retrieval.passages.slice(0, this.options.passages), answer };
  }

  /**
   * The usual abstention for a decision ("The articles don't say", the closest passages), made
   * `method`: for a generated answer whose every sentence verification removed.
   */
  abstention(decision: QuotedDecision, method: string): Answer {
    return abstain(
      decision.question,
      decision.passages,
      { articleCount: this.index.manifest.articleCount, method },
      this.options,
      decision.answer.evidence,
    );
  }

  /** How an answer was made, for footers and logs: "extractive · <embedder id>", "generated · <model> · <embedder id>". */
  method(how: string): string {
    return `${how} · ${this.index.manifest.embedder.id}`;
  }
}
