import type { Answer } from "../answer/answer.js";
import type { BuildResult } from "../index/build-index.js";

/**
 * An answer as `npm run ask -- --json` prints it: the shape its --help promises, with the
 * full passage text in each citation. Programs read it, so its keys and their order are fixed.
 */
export function answerJson(answer: Answer): object {
  return {
    question: answer.question,
    abstained: answer.abstained,
    answer: answer.answer,
    citations: answer.citations.map((c) => ({
      n: c.n,
      id: c.id,
      source: c.source,
      title: c.title,
      location: c.location,
      text: c.text,
    })),
  };
}

/** A finished rebuild as `npm run reindex -- --json` prints it. */
export function reindexJson(result: BuildResult, indexDir: string): object {
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
