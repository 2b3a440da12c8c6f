import type { EmbeddingsConfig } from "../config.js";
import type { Logger } from "../log.js";
import type { ConceptSource } from "./concept-source.js";
import type { PassageEmbedder } from "./embedder.js";
import { LocalEmbeddings } from "./local-embeddings.js";
import { createRemoteClient } from "./remote/remote-client.js";
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
   * Other embedders whose index may be served while one for `embedder` is built: the local
   * embedder when `embedder` is remote (its queries need no server), none otherwise.
   */
  readonly fallbacks?: readonly PassageEmbedder[];
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
  if (config.provider === "local") return { embedder: local, concepts, fallbacks: [] };
  const { cacheDir, logger, ...remote } = options;
  const settings = { ...DEFAULT_REMOTE_EMBEDDINGS_OPTIONS, ...remote, cacheDir: cacheDir ?? null };
  const client = createRemoteClient(config, settings);
  const embedder = new RemoteEmbeddings(config, client, settings, logger ?? null);
  return { embedder, concepts, fallbacks: [local] };
}
