import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import { OllamaEmbeddings } from "@langchain/ollama";
import { OpenAIEmbeddings } from "@langchain/openai";
import type { EmbeddingsConfig } from "../../config.js";

/** An embeddings server the configuration names (anything but the local embedder). */
export type RemoteEmbeddingsConfig = Exclude<EmbeddingsConfig, { readonly provider: "local" }>;

/**
 * Sent as the key to an OpenAI-compatible server configured without one (vLLM, llama.cpp, LM
 * Studio): the SDK refuses to send a request without a key, and such servers ignore it.
 */
const KEYLESS = "not-needed";

/** A LangChain embeddings client with what our retries need to know about its last response. */
export interface RemoteClient {
  readonly embeddings: EmbeddingsInterface;
  /**
   * The Retry-After header of the last 429 this client received, or null: Ollama's client
   * throws a `ResponseError` without the response's headers, so they are read at the fetch.
   */
  lastRetryAfter(): string | null;
}

/** How the client talks to the server. */
export interface RemoteClientOptions {
  /** Give up on a request after this long (a hung server must not hang a reindex). */
  readonly timeoutMs: number;
  /** Texts per request: the client must not split our batches further. */
  readonly batchSize: number;
}

/**
 * The LangChain client for a remote embedder: `OpenAIEmbeddings` (any OpenAI-compatible server at
 * `configuration.baseURL`) or `OllamaEmbeddings`. Both are made with `maxRetries: 0` — LangChain's
 * own retries back off blindly and would pay for a failed batch several times; ours
 * (RemoteEmbeddings) honour Retry-After — and with a fetch that bounds each request's time.
 */
export function createRemoteClient(config: RemoteEmbeddingsConfig, options: RemoteClientOptions): RemoteClient {
  let retryAfter: string | null = null;
  const watched: typeof fetch = async (input, init) => {
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    const response = await fetch(input, { ...init, signal });
    if (response.status === 429) retryAfter = response.headers.get("retry-after");
    return response;
  };
  const embeddings =
    config.provider === "openai"
      ? new OpenAIEmbeddings({
          model: config.model,
          apiKey: config.apiKey ?? KEYLESS,
          maxRetries: 0,
          timeout: options.timeoutMs,
          batchSize: options.batchSize,
          // Plain floats: the SDK otherwise asks for base64, which some compatible servers lack.
          encodingFormat: "float",
          configuration: { ...(config.baseUrl ? { baseURL: config.baseUrl } : {}), fetch: watched },
        })
      : new OllamaEmbeddings({
          model: config.model,
          maxRetries: 0,
          ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}),
          fetch: watched,
        });
  return {
    embeddings,
    lastRetryAfter: () => {
      const value = retryAfter;
      retryAfter = null;
      return value;
    },
  };
}
