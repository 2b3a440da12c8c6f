import type { ConceptSource } from "./concept-source.js";
import type { PassageEmbedder } from "./embedder.js";
import { LocalEmbeddings } from "./local-embeddings.js";
import { WordNet } from "./wordnet/wordnet.js";

/** The embedder, and the concepts of a word that the embedder, the index and retrieval share. */
export interface EmbedderSetup {
  readonly embedder: PassageEmbedder;
  /**
   * The same source the embedder's concept features come from, for the concept postings,
   * question analysis and briefing headings (see {@link ConceptSource}); null when there is none.
   */
  readonly concepts: ConceptSource | null;
}

/**
 * The one place an embedder is chosen. The default is local: hashed word, n-gram and WordNet
 * concept features, computed on this machine with no download and no key; WordNet is also the
 * concept source.
 */
export function createEmbedder(): EmbedderSetup {
  const concepts = WordNet.open();
  return { embedder: new LocalEmbeddings({}, concepts), concepts };
}
