import type { EmbeddingsConfig } from "../config.js";
import type { Logger } from "../log.js";
import type { ConceptSource } from "./concept-source.js";
import type { PassageEmbedder } from "./embedder.js";
import { LocalEmbeddings } from "./local-embeddings.js";
import { createRemoteClient, type RemoteEmbeddingsConfig } from "./remote/remote-client.js";
import {
  DEFAULT_REMOTE_EMBEDDINGS_OPTIONS,
  RemoteEmbeddings,
  type RemoteEmbeddingsOptions,
} from "./remote/remote-embeddings.js";
import { WordNet } from "./wordnet/wordnet.js";

/** The embedder, and the concepts of a word that the embedder, the index and retrieval share. */
export interface EmbedderSetup {
  readonly embedder: PassageEmbedder;
  /**
   * The same source the embedder's concept features come from, for the concept postings,
   * question analysis and briefing headings (see {@link ConceptSource}); null when there is none.
   */
  readonly concepts: ConceptSource | null;
  /**
   * The embedder that can answer from an index another embedder built (as its manifest records
   * it) while one for `embedder` builds, or null: see {@link servingEmbedder}. Absent: none can.
   */
  readonly fallback?: (built: BuiltBy) => Promise<PassageEmbedder | null>;
}

/** The embedder an index was built with, as its manifest records it. */
export interface BuiltBy {
  readonly id: string;
  readonly dimension: number;
  readonly provider?: string;
  readonly model?: string;
}

/** Where a remote embedder keeps its vectors and how it behaves; all optional. */
export interface CreateEmbedderOptions extends Partial<Omit<RemoteEmbeddingsOptions, "cacheDir">> {
  /** Folder of the persistent vector cache (normally data/embeddings); absent: no cache. */
  readonly cacheDir?: string;
  readonly logger?: Logger;
}

/**
 * The one place an embedder is chosen. The default is local: hashed word, n-gram and WordNet
 * concept features, computed on this machine with no download and no key — its id, and so every
 * index it built, is unchanged by the remote options. `openai` (any OpenAI-compatible server) and
 * `ollama` embed remotely through LangChain, through a persistent cache in `cacheDir`; the
 * returned embedder must be made `ready()` before use. WordNet stays the concept source either
 * way, so BM25 and the concept ranking stay in the fusion.
 */
export function createEmbedder(
  config: EmbeddingsConfig = { provider: "local" },
  options: CreateEmbedderOptions = {},
): EmbedderSetup {
  const concepts = WordNet.open();
  const local = new LocalEmbeddings({}, concepts);
  if (config.provider === "local") return { embedder: local, concepts };
  const { cacheDir, logger, ...remote } = options;
  const settings = { ...DEFAULT_REMOTE_EMBEDDINGS_OPTIONS, ...remote, cacheDir: cacheDir ?? null };
  const make = (c: RemoteEmbeddingsConfig) =>
    new RemoteEmbeddings(c, createRemoteClient(c, settings), settings, logger ?? null);
  return {
    embedder: make(config),
    concepts,
    fallback: (built) => servingEmbedder(built, local, config, make, logger ?? null),
  };
}

/**
 * What answers from an index `built` by another embedder while the configured remote one's index
 * builds: the local embedder for a local index (its queries need no server); for an index of
 * another model of the same provider, that model on the same server, if it still answers with
 * the recorded dimension; otherwise null (the index cannot be searched, so the build is waited for).
 */
async function servingEmbedder(
  built: BuiltBy,
  local: PassageEmbedder,
  config: RemoteEmbeddingsConfig,
  make: (config: RemoteEmbeddingsConfig) => RemoteEmbeddings,
  logger: Logger | null,
): Promise<PassageEmbedder | null> {
  if (built.id === local.id && built.dimension === local.dimension) return local;
  if (built.provider !== config.provider || built.model === undefined || built.model === config.model) return null;
  const previous = make({ ...config, model: built.model });
  try {
    await previous.ready();
  } catch (error) {
    logger?.warn("embeddings.previous_model_unavailable", { model: built.model, error });
    return null;
  }
  return previous.id === built.id && previous.dimension === built.dimension ? previous : null;
}
