import type { ConceptSource, PassageEmbedder } from "./embedder.js";
import { LocalEmbeddings } from "./local-embeddings.js";
import { WordNet } from "./wordnet/wordnet.js";

/** The embedder and the related-word source that answers are matched with. */
export interface EmbedderSetup {
  readonly embedder: PassageEmbedder;
  readonly concepts: ConceptSource | null;
}

/**
 * The one place an embedder is chosen. The default is local: hashed word, n-gram and WordNet
 * concept features, computed on this machine with no download and no key.
 */
export function createEmbedder(): EmbedderSetup {
  const concepts = WordNet.open();
  return { embedder: new LocalEmbeddings({}, concepts), concepts };
}
