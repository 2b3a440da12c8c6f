import type { EmbeddingsInterface } from "@langchain/core/embeddings";

/**
 * What the index needs of an embedder beyond LangChain's interface: a stable id and the
 * vector length, both written to the index manifest so an index is never searched with
 * vectors from a different embedder.
 */
export interface PassageEmbedder extends EmbeddingsInterface {
  /** Changes whenever the vectors would change (model, dimension, feature scheme). */
  readonly id: string;
  readonly dimension: number;
}
