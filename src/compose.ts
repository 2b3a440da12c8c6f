import { Services } from "./commands/services.js";
import type { Config } from "./config.js";
import { createEmbedder } from "./embed/create-embedder.js";
import type { BuildProgress, BuildResult } from "./index/build-index.js";
import { IndexManager } from "./index/index-manager.js";
import type { Logger } from "./log.js";
import { VERSION } from "./version.js";

/**
 * Wires the program's parts from a validated configuration: embedder, index manager and the
 * services every command uses. `build: "if-missing"` builds an index when there is none.
 */
export async function composeServices(
  config: Config,
  logger: Logger,
  options: { build: "if-missing" | "never"; onProgress?: (p: BuildProgress) => void },
): Promise<{ services: Services; built: BuildResult | null }> {
  const { embedder, concepts } = createEmbedder();
  const indexes = new IndexManager(config.corpusDir, config.indexDir, embedder, { concepts });
  let built: BuildResult | null = null;
  if (options.build === "if-missing") built = (await indexes.openOrBuild(options.onProgress)).built;
  else await indexes.open();
  return { services: new Services(indexes, embedder, concepts, logger, VERSION), built };
}
