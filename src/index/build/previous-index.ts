import { existsSync } from "node:fs";
import { join } from "node:path";
import { errorMessage } from "../../errors.js";
import { HnswBuilder } from "../hnsw-builder.js";
import { liveVersionDir } from "../index-versions.js";
import { type Manifest, VECTORS_FILE } from "../manifest.js";
import { type IndexFiles, type PassageIndex, readIndexData, readManifest } from "../passage-index.js";
import { type IndexRecipe, reuseBlocker } from "./plan-reuse.js";

/** The previous index's files, or why they cannot be used (both null when there is no index). */
export interface PreviousFiles {
  readonly files: IndexFiles | null;
  readonly problem: string | null;
}

/** The previous graph, opened in a worker to be changed, or why it could not be (both null when it was not asked for). */
export interface PreviousGraph {
  readonly builder: HnswBuilder | null;
  readonly problem: string | null;
}

/** The previous index at `indexDir`, being read: the cache an incremental build takes its vectors from. */
export interface PreviousIndex {
  readonly files: Promise<PreviousFiles>;
  readonly graph: Promise<PreviousGraph>;
  /** Closes the graph's worker, if one was opened (harmless when a build has closed it already). */
  close(): Promise<void>;
}

/**
 * Starts reading the previous index at `indexDir`: its files are checked and read on this
 * thread while the corpus is read, and meanwhile the graph worker checks and reads the previous
 * graph (the slow part of an incremental build) on the other core, unless the build is full or
 * made another way. A damaged index is never reused, only replaced: its problem is reported,
 * never thrown. `served`, the index being served from `indexDir`, stands in for reading its
 * passages and postings again; its graph is still read from the file, checked against the
 * manifest.
 */
export function readPrevious(
  indexDir: string,
  served: PassageIndex | null,
  recipe: IndexRecipe,
  mode: "auto" | "full",
): PreviousIndex {
  let problem: string | null = null;
  const unusable = (error: unknown) => {
    problem = `the previous index is unusable (${errorMessage(error)})`;
    return null;
  };
  let liveDir: string | null = null;
  try {
    liveDir = liveVersionDir(indexDir);
  } catch (error) {
    unusable(error);
  }
  const vectorsPath = join(liveDir ?? indexDir, VECTORS_FILE);
  const live = served && served.dir === liveDir && existsSync(vectorsPath) ? served : null;
  const manifest: Promise<Manifest | null> = live
    ? Promise.resolve(live.manifest)
    : liveDir
      ? readManifest(liveDir).catch(unusable)
      : Promise.resolve(null);
  const graph = manifest
    .then((m) => {
      const file = m?.files[VECTORS_FILE];
      return m && file && mode !== "full" && reuseBlocker(m, recipe) === null
        ? HnswBuilder.open(vectorsPath, recipe.embedder.dimension, m.graph.slots, file)
        : null;
    })
    .then(
      (opened): PreviousGraph => ({ builder: opened?.builder ?? null, problem: null }),
      // A graph that cannot be read only makes the build full.
      (error: unknown): PreviousGraph => ({
        builder: null,
        problem: `the previous index is unusable (${errorMessage(error)})`,
      }),
    );
  const files: Promise<IndexFiles | null> = live
    ? Promise.resolve({
        manifest: live.manifest,
        stored: { passages: live.passages, labels: live.dense.labelArray() },
        lexical: live.lexical,
        concepts: live.concepts,
        vectorsPath,
      })
    : manifest.then((m) => (m && liveDir ? readIndexData(liveDir, m, vectorsPath).catch(unusable) : null));
  return {
    files: files.then((f) => ({ files: f, problem })),
    graph,
    close: async () => {
      await (await graph).builder?.close();
    },
  };
}
