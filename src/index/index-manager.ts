import type { ConceptSource } from "../embed/concept-source.js";
import type { PassageEmbedder } from "../embed/embedder.js";
import { hasCode, PassageError } from "../errors.js";
import type { Logger } from "../log.js";
import { type BuildProgress, type BuildResult, buildIndex } from "./build-index.js";
import type { HnswParams } from "./hnsw-params.js";
import { recoverOldSwap, type TidyReport, tidyIndexDir } from "./index-versions.js";
import type { ManifestEmbedder } from "./manifest.js";
import { openIndex, type PassageIndex, readLiveManifest } from "./passage-index.js";

/** Index problems that a rebuild from the corpus fixes without losing anything. */
const REBUILDABLE = new Set(["INDEX_MISSING", "INDEX_MISMATCH", "INDEX_STALE"]);

/**
 * An index being served and the embedder that built it: questions must be embedded by the same
 * embedder as the passages, so the two always travel together.
 */
export interface ServedIndex {
  readonly index: PassageIndex;
  readonly embedder: PassageEmbedder;
}

/** Settings of an IndexManager beyond its folders and embedder; all optional. */
export interface IndexManagerOptions {
  /** For builds: the concept source whose postings the index stores (see BuildOptions). */
  readonly concepts?: ConceptSource | null;
  /** HNSW parameters for builds (the defaults unless given; the benchmark varies them). */
  readonly hnsw?: HnswParams;
  /**
   * The embedder that can answer from an index another embedder built (the local embedder for a
   * local index when a remote one is configured), or null: see `openOrServe`.
   */
  readonly fallback?: (built: ManifestEmbedder) => Promise<PassageEmbedder | null>;
  /** Where background builds report how they ended. */
  readonly logger?: Logger;
  /**
   * Told of every rebuild swapped in (whoever asked for it): how a replica records a reindex in
   * the shared corpus. Must not throw; it is not awaited.
   */
  readonly onRebuilt?: (result: BuildResult) => void;
}

/** What opening at start-up did. */
export interface OpenResult {
  readonly index: PassageIndex;
  /** The build start-up waited for, if any. */
  readonly built: BuildResult | null;
  /**
   * A build running behind the served index (openOrServe only): resolves with its result once it
   * is swapped in, or with null when it failed (the served index stays; the failure is logged).
   */
  readonly building: Promise<BuildResult | null> | null;
}

/**
 * Holds the index being served and rebuilds it without interrupting service: questions are
 * answered from `current` while a rebuild runs, the new index replaces it only once it is
 * whole, and a failed rebuild leaves `current` as it was. One rebuild at a time.
 *
 * Each served index is paired with the embedder that built it (`served`): normally the
 * configured one, but while a remote embedder's first index builds, the local embedder's index
 * is served with the local embedder.
 */
export class IndexManager {
  private serving: ServedIndex | null = null;
  private running: Promise<BuildResult> | null = null;

  constructor(
    readonly corpusDir: string,
    readonly indexDir: string,
    /** The configured embedder: every build uses it. */
    readonly embedder: PassageEmbedder,
    private readonly options: IndexManagerOptions = {},
  ) {}

  /**
   * Opens the index on disk, building it first when there is none or when it was built by
   * another embedder or program version (the corpus is the source of truth; the index is derived
   * from it). A damaged index is thrown, not silently replaced: that calls for a look.
   */
  async openOrBuild(onProgress?: (p: BuildProgress) => void): Promise<OpenResult> {
    await this.tidy();
    try {
      return { index: await this.open(), built: null, building: null };
    } catch (error) {
      return this.buildAfter(error, onProgress);
    }
  }

  /** After `open` failed with `error`: rebuilds when a rebuild fixes it without losing anything, else throws it. */
  private async buildAfter(error: unknown, onProgress?: (p: BuildProgress) => void): Promise<OpenResult> {
    if (!(error instanceof PassageError) || !REBUILDABLE.has(error.code)) throw error;
    const built = await this.rebuild(onProgress);
    return { index: built.index, built, building: null };
  }

  /**
   * Like openOrBuild, except when the index on disk was built by another embedder that the
   * `fallback` option can still supply (the local index, when a remote embedder is now
   * configured; another model of the same server): that index is opened and served with its
   * own embedder at once, while the configured embedder's index builds in the
   * background and is swapped in when whole. A failed background build keeps the served index
   * and logs why (`index.background_build_failed`); `/reindex` then tries again. A damaged index
   * is rebuilt (`index.damaged_rebuilding`), where openOrBuild would throw it.
   */
  async openOrServe(onProgress?: (p: BuildProgress) => void): Promise<OpenResult> {
    await this.tidy();
    try {
      return { index: await this.open(), built: null, building: null };
    } catch (error) {
      // The program's own start-up rebuilds a damaged index from the corpus (its source of truth)
      // rather than stopping until someone runs a reindex; the log says what was wrong.
      if (hasCode(error, "INDEX_CORRUPT")) {
        this.options.logger?.warn("index.damaged_rebuilding", { error });
        const built = await this.rebuild(onProgress);
        return { index: built.index, built, building: null };
      }
      if (!hasCode(error, "INDEX_MISMATCH")) return this.buildAfter(error, onProgress);
      const fallback = await this.fallbackFor();
      if (!fallback) return this.buildAfter(error, onProgress);
      const index = await openIndex(this.indexDir, fallback);
      this.serving = { index, embedder: fallback };
      this.options.logger?.info("index.serving_fallback", { served: fallback.id, building: this.embedder.id });
      return { index, built: null, building: this.buildBehind() };
    }
  }

  /** Opens the index on disk; throws an `IndexError` explaining how to fix it if it cannot. */
  async open(): Promise<PassageIndex> {
    await this.embedder.ready?.();
    const index = await openIndex(this.indexDir, this.embedder);
    this.serving = { index, embedder: this.embedder };
    return index;
  }

  /** The index being served. Throws if none was opened yet. */
  get current(): PassageIndex {
    return this.served.index;
  }

  /** The index being served with the embedder that built it. Throws if none was opened yet. */
  get served(): ServedIndex {
    if (!this.serving) throw new PassageError("INDEX_NOT_OPEN", "The index has not been opened yet.");
    return this.serving;
  }

  /** Whether a rebuild is under way. */
  get rebuilding(): boolean {
    return this.running !== null;
  }

  /**
   * Rebuilds from the corpus with the configured embedder and swaps the result in. Throws
   * `PassageError("REINDEX_RUNNING")` when a rebuild is already running; on any other failure
   * the served index is unchanged.
   */
  async rebuild(onProgress?: (p: BuildProgress) => void): Promise<BuildResult> {
    if (this.running) throw new PassageError("REINDEX_RUNNING", "A reindex is already running; wait for it to finish.");
    const run = this.build(onProgress);
    this.running = run;
    try {
      const result = await run;
      this.serving = { index: result.index, embedder: this.embedder };
      this.logCleanup(result.cleanup);
      this.options.onRebuilt?.(result);
      return result;
    } finally {
      this.running = null;
    }
  }

  private async build(onProgress?: (p: BuildProgress) => void): Promise<BuildResult> {
    await this.embedder.ready?.();
    return buildIndex({
      corpusDir: this.corpusDir,
      indexDir: this.indexDir,
      embedder: this.embedder,
      ...(this.options.hnsw ? { hnsw: this.options.hnsw } : {}),
      concepts: this.options.concepts ?? null,
      // The index being served is the cache of the previous build: nothing is read twice.
      previous: this.serving?.index ?? null,
      ...(onProgress ? { onProgress } : {}),
    });
  }

  /**
   * What a start does first: finishes a swap of the old layout that a crash cut short, and
   * removes what killed builds and old versions left (keeping one previous version).
   */
  private async tidy(): Promise<void> {
    try {
      recoverOldSwap(this.indexDir);
    } catch (error) {
      this.options.logger?.warn("index.recover_failed", { error });
    }
    this.logCleanup(await tidyIndexDir(this.indexDir));
  }

  private logCleanup(report: TidyReport): void {
    const logger = this.options.logger;
    if (report.removed.length > 0) logger?.info("index.cleaned", { removed: report.removed });
    for (const { path, error } of report.failed) logger?.warn("index.cleanup_failed", { path, error });
  }

  /** Runs a rebuild behind the served index; never rejects (a failure is logged and keeps the served index). */
  private buildBehind(): Promise<BuildResult | null> {
    const logger = this.options.logger;
    const started = performance.now();
    logger?.info("index.background_build_started", { embedder: this.embedder.id });
    return this.rebuild().then(
      (result) => {
        logger?.info("index.background_build_done", {
          embedder: this.embedder.id,
          passages: result.index.manifest.passageCount,
          seconds: Math.round(performance.now() - started) / 1000,
        });
        return result;
      },
      (error: unknown) => {
        logger?.error("index.background_build_failed", { embedder: this.embedder.id, error });
        return null;
      },
    );
  }

  /** An embedder that can answer from the index on disk, if the options know one. */
  private async fallbackFor(): Promise<PassageEmbedder | null> {
    if (!this.options.fallback) return null;
    const { embedder } = await readLiveManifest(this.indexDir);
    const fallback = await this.options.fallback(embedder);
    return fallback && fallback.id === embedder.id && fallback.dimension === embedder.dimension ? fallback : null;
  }
}
