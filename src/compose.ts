import { type AnswerModel, createAnswerModel } from "./answer/generate/answer-model.js";
import { Services } from "./commands/services.js";
import type { Config } from "./config.js";
import { createEmbedder, type EmbedderSetup } from "./embed/create-embedder.js";
import type { BuildProgress, BuildResult } from "./index/build-index.js";
import type { HnswParams } from "./index/hnsw-params.js";
import { IndexManager } from "./index/index-manager.js";
import type { Logger } from "./log.js";
import { VERSION } from "./version.js";

/**
 * How the index is made ready: `open-or-build` opens it, building it when missing or made by
 * another embedder (`npm start`); `open` only opens it; `none` leaves it to the caller, who will
 * call `services.indexes.rebuild()` (`npm run reindex`, the measuring tools).
 */
export type IndexStart = "open-or-build" | "open" | "none";

/** What may replace a default part: tests and the benchmark use these, production none. */
export interface CompositionOverrides {
  /** The embedder and its concept source (default: `createEmbedder()`). */
  readonly embedding?: EmbedderSetup;
  /** HNSW parameters for builds (default: the measured defaults). */
  readonly hnsw?: HnswParams;
  /** The version reported by /status (default: package.json's). */
  readonly version?: string;
}

export interface CompositionOptions extends CompositionOverrides {
  readonly paths: Pick<Config, "corpusDir" | "indexDir">;
  /** The answer model from the configuration (absent or null: answers are quoted). */
  readonly llm?: Config["llm"];
  readonly logger: Logger;
  readonly index: IndexStart;
  readonly onProgress?: (p: BuildProgress) => void;
}

/** The assembled program: the services every command uses, and the build start-up made, if any. */
export interface Composition {
  readonly services: Services;
  readonly built: BuildResult | null;
}

/**
 * The one place the program is assembled, used by main, every script, the benchmark and the
 * tests: embedder, index manager (with the concept postings production stores) and services.
 */
export async function compose(options: CompositionOptions): Promise<Composition> {
  const { embedder, concepts } = options.embedding ?? createEmbedder();
  const indexes = new IndexManager(options.paths.corpusDir, options.paths.indexDir, embedder, {
    concepts,
    ...(options.hnsw ? { hnsw: options.hnsw } : {}),
  });
  let built: BuildResult | null = null;
  if (options.index === "open-or-build") built = (await indexes.openOrBuild(options.onProgress)).built;
  else if (options.index === "open") await indexes.open();
  const model: AnswerModel | null = options.llm ? createAnswerModel(options.llm) : null;
  const services = new Services(indexes, embedder, concepts, options.logger, options.version ?? VERSION, model);
  return { services, built };
}
