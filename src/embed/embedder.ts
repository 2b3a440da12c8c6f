import type { EmbeddingsInterface } from "@langchain/core/embeddings";

/**
 * What the index needs of an embedder beyond LangChain's interface: a stable id and the
 * vector length, both written to the index manifest so an index is never searched with
 * vectors from a different embedder.
 */
export interface PassageEmbedder extends EmbeddingsInterface {
  /** Changes whenever the vectors would change (provider, model, dimension, feature scheme). */
  readonly id: string;
  readonly dimension: number;
  /** Where the vectors come from, for the manifest: "local", "openai" or "ollama" (absent: "local"). */
  readonly provider?: string;
  /** The remote model's name, for the manifest (absent for the local embedder). */
  readonly model?: string;
  /** Texts per embedDocuments call that suit this embedder (a remote one's request size); absent: the build's default. */
  readonly batchSize?: number;
  /**
   * Resolves once `id` and `dimension` can be read (a remote embedder learns its dimension by
   * asking the server); rejects with a one-line `PassageError` when the embedder cannot be used.
   * Absent when there is nothing to wait for.
   */
  ready?(): Promise<void>;
}
