import { type Answer, type AnswerKind, type CitationJson, citationJson } from "../answer/answer.js";
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
