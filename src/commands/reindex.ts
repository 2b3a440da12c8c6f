import { hasCode, UserError } from "../errors.js";
import type { BuildProgress, BuildResult } from "../index/build-index.js";
import type { Services } from "./services.js";

/**
 * Rebuilds the index from the corpus and swaps it in, while questions keep being answered from
 * the current one. A second reindex while one runs is a `UserError` ("already running"); a
 * failed build throws with the served index untouched.
 */
export async function reindex(services: Services, onProgress?: (p: BuildProgress) => void): Promise<BuildResult> {
  try {
    const result = await services.indexes.rebuild(onProgress);
    services.logger.info("reindex.done", {
      articles: result.index.manifest.articleCount,
      passages: result.index.manifest.passageCount,
      seconds: result.seconds,
      skipped: result.skipped.length,
    });
    return result;
  } catch (error) {
    if (hasCode(error, "REINDEX_RUNNING")) throw new UserError("REINDEX_RUNNING", error.message);
    services.logger.error("reindex.failed", { error });
    throw error;
  }
}

/** One line per build phase, for progress reports. */
export function describeProgress(p: BuildProgress): string {
  switch (p.phase) {
    case "read":
      return `Read ${p.done} article${p.done === 1 ? "" : "s"}`;
    case "embed":
      return `Embedding passages: ${p.done} of ${p.total}`;
    case "graph":
      return `Linking the vector graph: ${p.done} of ${p.total}`;
    case "write":
      return p.done === p.total ? "Swapped in the new index" : "Writing and verifying the new index";
  }
}

/** A summary of a finished rebuild: sizes and what changed. */
export function describeBuild(result: BuildResult): string {
  const m = result.index.manifest;
  const c = result.changes;
  const lines = [
    `Indexed ${m.articleCount} article${m.articleCount === 1 ? "" : "s"} into ${m.passageCount} passages in ${result.seconds.toFixed(2)} s.`,
  ];
  const changes: string[] = [];
  if (c.articlesAdded.length) changes.push(`articles added: ${c.articlesAdded.join(", ")}`);
  if (c.articlesChanged.length) changes.push(`articles changed: ${c.articlesChanged.join(", ")}`);
  if (c.articlesRemoved.length) changes.push(`articles removed: ${c.articlesRemoved.join(", ")}`);
  changes.push(`passages +${c.passagesAdded} / −${c.passagesRemoved}`);
  lines.push(`Changes: ${changes.join("; ")}.`);
  // Say what the rebuild cost: a moderator wondering why it took minutes learns why it was full.
  if (result.kind === "incremental") {
    const kept = m.passageCount - result.embedded;
    lines.push(
      `Embedded ${result.embedded} new or changed passage${result.embedded === 1 ? "" : "s"}; ${kept} kept ${kept === 1 ? "its vector" : "their vectors"}.`,
    );
  } else if (result.fullBecause) lines.push(`Rebuilt in full: ${result.fullBecause}.`);
  for (const s of result.skipped) lines.push(`Skipped ${s.source}: ${s.reason}`);
  return lines.join("\n");
}
