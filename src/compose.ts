import { dirname, join } from "node:path";
import { type AnswerModel, createAnswerModel } from "./answer/generate/answer-model.js";
import { Services } from "./commands/services.js";
import type { Config } from "./config.js";
import { CorpusManager } from "./curation/corpus-manager.js";
import { CorpusReplication } from "./curation/corpus-replication.js";
import { SharedCorpus } from "./curation/shared-corpus.js";
import { createEmbedder, type EmbedderSetup } from "./embed/create-embedder.js";
import { hasCode } from "./errors.js";
import { AnswerLog } from "./feedback/answer-log.js";
import type { BuildProgress, BuildResult } from "./index/build-index.js";
import type { HnswParams } from "./index/hnsw-params.js";
import { IndexManager } from "./index/index-manager.js";
import type { Logger } from "./log.js";
import { SqliteStateStore } from "./store/sqlite/open-sqlite-store.js";
import type { CorpusStore, StateStore } from "./store/types.js";
import { VERSION } from "./version.js";

/**
 * How the index is made ready: `open-or-build` opens it, building it when missing or made by
 * another embedder; `open-or-serve` (`npm start`) does the same, except that an index made by an
 * embedder that can still answer (the local one, or another model of the configured server) is
 * served at once while the configured embedder's index builds in the background
 * (IndexManager.openOrServe); `open` only opens it; `none` leaves it to
 * the caller, who will call `services.indexes.rebuild()` (`npm run reindex`, the measuring tools).
 */
export type IndexStart = "open-or-build" | "open-or-serve" | "open" | "none";

/** What may replace a default part: tests and the benchmark use these, production none. */
export interface CompositionOverrides {
  /** The embedder and its concept source (default: `createEmbedder(embeddings)`). */
  readonly embedding?: EmbedderSetup;
  /** HNSW parameters for builds (default: the measured defaults). */
  readonly hnsw?: HnswParams;
  /** The version reported by /status (default: package.json's). */
  readonly version?: string;
}

export interface CompositionOptions extends CompositionOverrides {
  /** Folders; the remote embedders' vector cache is `dataDir`/embeddings (default: beside the index). */
  readonly paths: Pick<Config, "corpusDir" | "indexDir"> & Partial<Pick<Config, "dataDir">>;
  /** Which embedder to use (absent: the local one). */
  readonly embeddings?: Config["embeddings"];
  /** The answer model from the configuration (absent or null: answers are quoted). */
  readonly llm?: Config["llm"];
  readonly logger: Logger;
  readonly index: IndexStart;
  readonly onProgress?: (p: BuildProgress) => void;
  /**
   * The answer log in `dataDir` (default: beside the index), kept `retentionDays`; absent or null:
   * no log (the measuring tools, most tests). A log that cannot be opened is logged and left off:
   * answers never depend on it.
   */
  readonly feedback?: { readonly retentionDays: number; readonly now?: () => Date } | null;
  /**
   * The corpus manager's settings (CORPUS_HISTORY), for the programs that change the corpus (the
   * bot, `npm run corpus`). It is made only when this is given and `paths.dataDir` is known: a
   * tool that only reads (ask, brief, eval over the user's data/embeddings cache) opens no audit
   * log and touches no lock. One that cannot open its audit log is logged and left off.
   */
  readonly corpus?: {
    readonly historyLimit?: number;
    readonly now?: () => Date;
    /** Seconds between checks of the shared corpus's version (CORPUS_POLL_SECONDS), when the store shares one. */
    readonly pollSeconds?: number;
  } | null;
  /**
   * Where the answer log, schedules and audit log live (default: the SQLite files in `dataDir`,
   * or beside the index, each opened only when first used).
   */
  readonly store?: StateStore;
}

/** The assembled program: the services every command uses, and the build start-up made, if any. */
export interface Composition {
  readonly services: Services;
  readonly built: BuildResult | null;
  /** The build running behind the served index (`open-or-serve`), resolving with null if it failed. */
  readonly building: Promise<BuildResult | null> | null;
  /** The state store the answer log and corpus manager use; the caller closes it when done. */
  readonly store: StateStore;
  /**
   * When the store shares the corpus (PostgreSQL) and the corpus manager is made: what keeps this
   * replica's corpus and index in step with the others. The long-running caller starts it with
   * the corpus manager and stops it when done.
   */
  readonly replication: CorpusReplication | null;
}

/**
 * The one place the program is assembled, used by main, every script, the benchmark and the
 * tests: embedder, index manager (with the concept postings production stores) and services.
 */
export async function compose(options: CompositionOptions): Promise<Composition> {
  const { paths, logger } = options;
  const cacheDir = join(paths.dataDir ?? dirname(paths.indexDir), "embeddings");
  const { embedder, concepts, fallback } =
    options.embedding ?? createEmbedder(options.embeddings, { cacheDir, logger });
  // A remote embedder learns its dimension here; an unreachable server stops start-up with one line.
  await embedder.ready?.();
  const store: StateStore = options.store ?? new SqliteStateStore(paths.dataDir ?? dirname(paths.indexDir));
  // A replica takes the shared corpus into its folder before its index opens, so what it builds
  // or serves is the corpus every replica shares (the first replica seeds it).
  const replication =
    store.corpus && options.corpus && paths.dataDir !== undefined
      ? await attachSharedCorpus(store.corpus, paths.corpusDir, options.corpus.pollSeconds ?? 30, logger)
      : null;
  const indexes = new IndexManager(paths.corpusDir, paths.indexDir, embedder, {
    concepts,
    ...(options.hnsw ? { hnsw: options.hnsw } : {}),
    ...(fallback ? { fallback } : {}),
    logger,
    ...(replication ? { onRebuilt: replication.afterRebuild } : {}),
  });
  let built: BuildResult | null = null;
  let building: Promise<BuildResult | null> | null = null;
  if (options.index === "open-or-build") built = (await indexes.openOrBuild(options.onProgress)).built;
  else if (options.index === "open-or-serve") ({ built, building } = await indexes.openOrServe(options.onProgress));
  else if (options.index === "open") await indexes.open();
  const model: AnswerModel | null = options.llm ? createAnswerModel(options.llm) : null;
  const unavailable: Services["unavailable"] = { feedback: null, corpus: null };
  const feedback = options.feedback ? await openFeedback(store, options.feedback, logger, unavailable) : null;
  const corpus =
    paths.dataDir !== undefined && options.corpus
      ? openCorpus(paths.corpusDir, paths.dataDir, store, indexes, options.corpus, logger, replication, unavailable)
      : null;
  const services = new Services(
    indexes,
    embedder,
    concepts,
    options.logger,
    options.version ?? VERSION,
    model,
    new Date(),
    feedback,
    corpus,
  );
  Object.assign(services.unavailable, unavailable);
  services.replica = replication;
  return { services, built, building, store, replication };
}

/** Writes the shared corpus into the folder (seeding it from the folder when it is empty). */
async function attachSharedCorpus(
  store: CorpusStore,
  corpusDir: string,
  pollSeconds: number,
  logger: Logger,
): Promise<CorpusReplication> {
  const shared = new SharedCorpus({ store, corpusDir, logger });
  const attached = await shared.attach();
  logger.info("corpus.shared_attached", { how: attached, version: shared.version });
  return new CorpusReplication({ shared, store, logger, pollSeconds });
}

/** Opens the answer log, or logs why it cannot and returns null: the program answers without it. */
async function openFeedback(
  store: StateStore,
  settings: NonNullable<CompositionOptions["feedback"]>,
  logger: Logger,
  unavailable: Services["unavailable"],
): Promise<AnswerLog | null> {
  try {
    return await AnswerLog.open(store, settings);
  } catch (error) {
    logger.error("feedback.unavailable", { error });
    if (hasCode(error, "STORE_DAMAGED")) unavailable.feedback = error.message;
    return null;
  }
}

/** Makes the corpus manager, or logs why it cannot and returns null: everything else works without it. */
function openCorpus(
  corpusDir: string,
  dataDir: string,
  store: StateStore,
  indexes: IndexManager,
  settings: NonNullable<CompositionOptions["corpus"]>,
  logger: Logger,
  replication: CorpusReplication | null,
  unavailable: Services["unavailable"],
): CorpusManager | null {
  try {
    return new CorpusManager({
      corpusDir,
      dataDir,
      indexes,
      logger,
      audit: store.audit,
      ...(settings.historyLimit !== undefined ? { historyLimit: settings.historyLimit } : {}),
      ...(settings.now ? { now: settings.now } : {}),
      ...(replication ? { onChange: replication.publish } : {}),
    });
  } catch (error) {
    logger.error("corpus.unavailable", { error });
    if (hasCode(error, "STORE_DAMAGED")) unavailable.corpus = error.message;
    return null;
  }
}
