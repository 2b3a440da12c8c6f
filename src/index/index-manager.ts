import type { ConceptSource } from "../embed/concept-source.js";
import type { PassageEmbedder } from "../embed/embedder.js";
import { PassageError } from "../errors.js";
import { type BuildProgress, type BuildResult, buildIndex } from "./build-index.js";
import type { HnswParams } from "./hnsw-params.js";
import { openIndex, type PassageIndex } from "./passage-index.js";

/** Index problems that a rebuild from the corpus fixes without losing anything. */
const REBUILDABLE = new Set(["INDEX_MISSING", "INDEX_MISMATCH", "INDEX_STALE"]);

/**
 * Holds the index being served and rebuilds it without interrupting service: questions are
 * answered from `current` while a rebuild runs, the new index replaces it only once it is
 * whole, and a failed rebuild leaves `current` as it was. One rebuild at a time.
 */
export class IndexManager {
  private index: PassageIndex | null = null;
  private running: Promise<BuildResult> | null = null;

  constructor(
    readonly corpusDir: string,
    readonly indexDir: string,
    readonly embedder: PassageEmbedder,
    /**
     * For builds: the concept source whose postings the index stores (see BuildOptions), and
     * HNSW parameters (the defaults unless given; the benchmark varies them).
     */
    private readonly options: { readonly concepts?: ConceptSource | null; readonly hnsw?: HnswParams } = {},
  ) {}

  /**
   * Opens the index on disk, building it first when there is none or when it was built by
   * another embedder or program version (the corpus is the source of truth; the index is derived
   * from it). A damaged index is thrown, not silently replaced: that calls for a look.
   */
  async openOrBuild(
    onProgress?: (p: BuildProgress) => void,
  ): Promise<{ index: PassageIndex; built: BuildResult | null }> {
    try {
      this.index = await openIndex(this.indexDir, this.embedder);
      return { index: this.index, built: null };
    } catch (error) {
      if (!(error instanceof PassageError) || !REBUILDABLE.has(error.code)) throw error;
    }
    const built = await this.rebuild(onProgress);
    return { index: built.index, built };
  }

  /** Opens the index on disk; throws an `IndexError` explaining how to fix it if it cannot. */
  async open(): Promise<PassageIndex> {
    this.index = await openIndex(this.indexDir, this.embedder);
    return this.index;
  }

  /** The index being served. Throws if none was opened yet. */
  get current(): PassageIndex {
    if (!this.index) throw new PassageError("INDEX_NOT_OPEN", "The index has not been opened yet.");
    return this.index;
  }

  /** Whether a rebuild is under way. */
  get rebuilding(): boolean {
    return this.running !== null;
  }

  /**
   * Rebuilds from the corpus and swaps the result in. Throws `PassageError("REINDEX_RUNNING")`
   * when a rebuild is already running; on any other failure the served index is unchanged.
   */
  async rebuild(onProgress?: (p: BuildProgress) => void): Promise<BuildResult> {
    if (this.running) throw new PassageError("REINDEX_RUNNING", "A reindex is already running; wait for it to finish.");
    const run = buildIndex({
      corpusDir: this.corpusDir,
      indexDir: this.indexDir,
      embedder: this.embedder,
      ...(this.options.hnsw ? { hnsw: this.options.hnsw } : {}),
      concepts: this.options.concepts ?? null,
      // The index being served is the cache of the previous build: nothing is read twice.
      previous: this.index,
      ...(onProgress ? { onProgress } : {}),
    });
    this.running = run;
    try {
      const result = await run;
      this.index = result.index;
      return result;
    } finally {
      this.running = null;
    }
  }
}
