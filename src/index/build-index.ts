import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import type { SkippedFile } from "../corpus/article.js";
import { loadCorpus } from "../corpus/load-corpus.js";
import type { ConceptSource } from "../embed/concept-source.js";
import type { PassageEmbedder } from "../embed/embedder.js";
import { PassageError } from "../errors.js";
import { type IndexChanges, indexChanges } from "./build/changes.js";
import { PostingsCollector } from "./build/collect-postings.js";
import { embedAndLink } from "./build/embed-and-link.js";
import { decideReuse, type IndexRecipe } from "./build/plan-reuse.js";
import { type PreparedGraph, prepareGraph } from "./build/prepare-graph.js";
import { readPrevious } from "./build/previous-index.js";
import type { BuildProgress } from "./build/progress.js";
import { emptyCorpusError, splitCorpus } from "./build/split-corpus.js";
import { secondsSince, writeIndex } from "./build/write-index.js";
import { conceptPostingsId } from "./concept-postings.js";
import { DEFAULT_HNSW_PARAMS, type HnswParams } from "./hnsw-params.js";
import {
  endBuildDir,
  liveVersionDir,
  publishVersion,
  startBuildDir,
  type TidyReport,
  tidyIndexDir,
  writeError,
} from "./index-versions.js";
import type { Manifest } from "./manifest.js";
import { PassageIndex, readManifest, verifyFiles } from "./passage-index.js";

export type { BuildProgress } from "./build/progress.js";

export interface BuildResult {
  readonly index: PassageIndex;
  readonly skipped: readonly SkippedFile[];
  readonly changes: IndexChanges;
  readonly seconds: number;
  /** "incremental" when the previous index's vectors were reused, "full" when everything was embedded. */
  readonly kind: "full" | "incremental";
  /** Why the build was full although an index was there to reuse (null for incremental builds, or when there was none). */
  readonly fullBecause: string | null;
  /** Passages embedded and linked by this build. */
  readonly embedded: number;
  /** What was cleared away after the swap (older versions, leftover build folders); failures here never fail the build. */
  readonly cleanup: TidyReport;
}

export interface BuildOptions {
  readonly corpusDir: string;
  readonly indexDir: string;
  readonly embedder: PassageEmbedder;
  /**
   * Where the concept postings come from (WordNet for the local embedder). Without one they are
   * stored empty, and a Retriever with a concept source makes its own when it starts.
   */
  readonly concepts?: ConceptSource | null;
  readonly hnsw?: HnswParams;
  /** Texts per embedder call: bounds memory and how long the event loop waits between batches. */
  readonly batchSize?: number;
  /**
   * The index being served from `indexDir`, if any: its passages and postings stand in for
   * reading and checking the previous index's files again (the graph is still read from its
   * file, checked against the manifest). This is what makes /reindex after a small change fast.
   */
  readonly previous?: PassageIndex | null;
  /** "auto" (the default) reuses what it can of the index at `indexDir`; "full" embeds everything. */
  readonly mode?: "auto" | "full";
  readonly onProgress?: (progress: BuildProgress) => void;
}

/**
 * Builds an index of every article under `corpusDir` and swaps it in at `indexDir`.
 *
 * The build is incremental when it can be: passages whose text is unchanged keep their vectors,
 * ids and graph labels (the previous index is the cache, keyed by embedder id and passage
 * text); removed passages are deleted from a copy of the previous graph; only new passages are
 * embedded and linked. It starts afresh when there is no usable previous index (missing,
 * damaged, another embedder or graph parameters) or too much has changed.
 *
 * The new index is written to a build folder inside `indexDir`, its graph read back and every
 * file checked against the manifest, then made live by pointing `CURRENT` at it (see
 * index-versions.ts), so a build that fails at any point — unreadable corpus, embedder error,
 * full disk — leaves the index in use exactly as it was. The live files are never written to.
 * Whether the folder can be written, and has room, is checked before any work starts.
 */
export async function buildIndex(options: BuildOptions): Promise<BuildResult> {
  const started = performance.now();
  const { corpusDir, indexDir, embedder, onProgress } = options;
  const mode = options.mode ?? "auto";
  const conceptSource = options.concepts ?? null;
  const recipe: IndexRecipe = {
    embedder: {
      id: embedder.id,
      dimension: embedder.dimension,
      provider: embedder.provider ?? "local",
      ...(embedder.model !== undefined ? { model: embedder.model } : {}),
    },
    hnsw: options.hnsw ?? DEFAULT_HNSW_PARAMS,
    conceptsId: conceptPostingsId(conceptSource),
  };
  if (!existsSync(corpusDir))
    throw new PassageError("CORPUS_MISSING", `The corpus folder ${corpusDir} does not exist.`);
  const buildDir = await startBuildDir(indexDir, await spaceNeeded(indexDir, options.previous ?? null));
  const previous = readPrevious(indexDir, options.previous ?? null, recipe, mode);
  let graph: PreparedGraph | null = null;
  try {
    // The previous index is read while the corpus is: it is the cache of vectors and passages.
    const [corpus, cache] = await Promise.all([loadCorpus(corpusDir), previous.files]);
    const split = await splitCorpus(corpus, mode === "full" ? null : cache.files);
    onProgress?.({ phase: "read", done: corpus.articles.length, total: corpus.articles.length });
    if (split.passages.length === 0) throw emptyCorpusError(corpusDir, corpus.skipped);

    const decision = decideReuse(cache, split.passages, recipe, mode);
    graph = await prepareGraph(decision, await previous.graph, split.passages.length, recipe);
    const { builder, layout, plan } = graph;
    const base =
      plan && cache.files ? { lexical: cache.files.lexical, concepts: cache.files.concepts, keep: plan.keep } : null;
    const postings = new PostingsCollector(split.passages, conceptSource, base);
    await embedAndLink({
      builder,
      embedder,
      passages: split.passages,
      layout,
      batchSize: options.batchSize ?? embedder.batchSize ?? 128,
      alongside: (batch) => postings.add(batch),
      onProgress,
    });

    onProgress?.({ phase: "write", done: 0, total: 1 });
    const kind = plan ? "incremental" : "full";
    const written = await writeIndex(buildDir, {
      builder,
      corpus: split,
      layout,
      postings,
      embedder,
      recipe,
      kind,
      started,
    });
    await verifyFiles(buildDir, written.manifest);
    const { versionDir, previousDir } = await publishVersion(indexDir, buildDir);
    onProgress?.({ phase: "write", done: 1, total: 1 });
    const { manifest, dense, lexical, concepts } = written;
    const index = new PassageIndex(versionDir, manifest, split.passages, dense, lexical, concepts);
    return {
      index,
      skipped: corpus.skipped,
      changes: indexChanges(cache.files, index),
      seconds: secondsSince(started),
      kind,
      fullBecause: graph.fullBecause,
      embedded: layout.embed.length,
      cleanup: await tidyIndexDir(indexDir, previousDir),
    };
  } catch (error) {
    // Close whichever graph worker is still open (closing one twice is harmless).
    await graph?.builder.close();
    await previous.close();
    await rm(buildDir, { recursive: true, force: true }).catch(() => undefined);
    endBuildDir(buildDir);
    throw writeError(indexDir, error);
  }
}

/** Room a build needs: about the size of the live index (a few megabytes when there is none yet). */
async function spaceNeeded(indexDir: string, served: PassageIndex | null): Promise<number> {
  const floor = 4 * 1024 * 1024;
  let manifest: Manifest | null = served?.manifest ?? null;
  if (!manifest) {
    try {
      const live = liveVersionDir(indexDir);
      manifest = live ? await readManifest(live) : null;
    } catch {
      manifest = null;
    }
  }
  const bytes = manifest ? Object.values(manifest.files).reduce((sum, f) => sum + f.bytes, 0) : 0;
  return Math.round(bytes * 1.1) + floor;
}
