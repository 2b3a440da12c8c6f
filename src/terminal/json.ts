import {
  type Answer,
  type AnswerKind,
  type AnswerMode,
  answerMode,
  type CitationJson,
  citationJson,
} from "../answer/answer.js";
import type { SkippedFile } from "../corpus/article.js";
import type { IndexChanges } from "../index/build/changes.js";
import type { BuildResult } from "../index/build-index.js";

/** What `npm run ask -- --json` prints for a question. */
export interface AnswerJson {
  readonly question: string;
  /** "answer" (quoted sentences), "overview" (the corpus's key points) or "abstained". */
  readonly kind: AnswerKind;
  readonly abstained: boolean;
  readonly answer: string;
  readonly citations: readonly CitationJson[];
  /** "quoted" (the corpus's own sentences) or "generated" (written by a model, every sentence verified). */
  readonly mode: AnswerMode;
  /** The model that wrote the answer; null when quoted. */
  readonly model: string | null;
  /** Sentences the model wrote that verification removed (0 when quoted). */
  readonly removed: number;
  /** Why the configured model was not used, when it failed and the answer was quoted instead. */
  readonly modelUnavailable?: string;
}

/** What `npm run reindex -- --json` prints. */
export interface ReindexJson {
  readonly articles: number;
  readonly passages: number;
  readonly seconds: number;
  readonly kind: BuildResult["kind"];
  readonly embedded: number;
  readonly fullBecause: string | null;
  readonly indexDir: string;
  readonly embedder: string;
  readonly changes: IndexChanges;
  readonly skipped: readonly SkippedFile[];
}

/**
 * An answer as `npm run ask -- --json` prints it: the shape its --help promises, with the
 * full passage text in each citation. Programs read it, so its keys and their order are fixed.
 */
export function answerJson(answer: Answer): AnswerJson {
  return {
    question: answer.question,
    kind: answer.kind,
    abstained: answer.abstained,
    answer: answer.answer,
    citations: answer.citations.map(citationJson),
    mode: answerMode(answer),
    model: answer.generated?.model ?? null,
    removed: answer.generated?.removed ?? 0,
    ...(answer.modelUnavailable
      ? { modelUnavailable: `${answer.modelUnavailable.model}: ${answer.modelUnavailable.reason}` }
      : {}),
  };
}

/** A finished rebuild as `npm run reindex -- --json` prints it. */
export function reindexJson(result: BuildResult, indexDir: string): ReindexJson {
  const m = result.index.manifest;
  return {
    articles: m.articleCount,
    passages: m.passageCount,
    seconds: result.seconds,
    kind: result.kind,
    embedded: result.embedded,
    fullBecause: result.fullBecause,
    indexDir,
    embedder: m.embedder.id,
    changes: result.changes,
    skipped: result.skipped,
  };
}
