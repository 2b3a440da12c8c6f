import { setTimeout as sleep } from "node:timers/promises";
import { Embeddings } from "@langchain/core/embeddings";
import { EmbeddingsError, hasCode } from "../../errors.js";
import type { Logger } from "../../log.js";
import type { PassageEmbedder } from "../embedder.js";
import { cacheFile, EmbeddingCache, textKey } from "../embedding-cache.js";
import { describeFailure, failureStatus, parseRetryAfter, retryAfterHeader } from "./failure.js";
import type { RemoteClient, RemoteEmbeddingsConfig } from "./remote-client.js";

/** How a remote embedder batches, waits and gives up; every field has a default. */
export interface RemoteEmbeddingsOptions {
  /** Texts per request; also the build's batch, so progress and the cache advance per request. */
  readonly batchSize: number;
  /** Give up on one request after this long. */
  readonly timeoutMs: number;
  /** Give up on embedding a question after this long: someone is waiting for the answer. */
  readonly queryTimeoutMs: number;
  /** Retries of a request answered 429 before the build fails. */
  readonly maxRetries: number;
  /** The longest Retry-After waited for; a longer one fails at once (a quota, not a burst). */
  readonly maxWaitMs: number;
  /** The wait after a 429 without Retry-After, doubled on each retry. */
  readonly fallbackWaitMs: number;
  /** Folder of the persistent vector cache (data/embeddings); null keeps vectors in memory only. */
  readonly cacheDir: string | null;
}

/** Defaults: OpenAI's batch guidance is far larger, but 64 keeps a lost batch and a progress step small. */
export const DEFAULT_REMOTE_EMBEDDINGS_OPTIONS = {
  batchSize: 64,
  timeoutMs: 60_000,
  queryTimeoutMs: 10_000,
  maxRetries: 5,
  maxWaitMs: 120_000,
  fallbackWaitMs: 2_000,
  cacheDir: null,
} as const satisfies Required<RemoteEmbeddingsOptions>;

/** Counters of what the server was asked, for tests and logs. */
export interface RemoteEmbeddingsStats {
  /** Requests sent (retries included). */
  requests: number;
  /** Texts sent to be embedded by embedDocuments. */
  embedded: number;
  /** Texts served from the cache by embedDocuments. */
  cached: number;
}

/** Sent once at start-up to learn the dimension and that the server answers. */
const PROBE_TEXT = "dimension probe";

/**
 * A remote embedding model (an OpenAI-compatible server or Ollama) as a PassageEmbedder. Its id
 * records provider, model and dimension, so an index made by another model (or the local
 * embedder) is never searched with its vectors; the dimension is learned by `ready()`, which
 * must be awaited before `id` or `dimension` is read.
 *
 * Documents go through a persistent cache (EmbeddingCache): only texts it lacks are sent, in
 * batches, and each batch is on disk before the next is sent — so an interrupted build resumes
 * without paying twice. A 429 is retried after its Retry-After (a bounded number of times);
 * any other failure is thrown as an `EmbeddingsError` naming the server, never the key.
 */
export class RemoteEmbeddings extends Embeddings implements PassageEmbedder {
  readonly provider: RemoteEmbeddingsConfig["provider"];
  readonly model: string;
  readonly batchSize: number;
  readonly stats: RemoteEmbeddingsStats = { requests: 0, embedded: 0, cached: 0 };
  private readonly options: Required<RemoteEmbeddingsOptions>;
  private readonly where: string;
  private learned: { readonly dimension: number; readonly cache: EmbeddingCache | null } | null = null;
  private probing: Promise<void> | null = null;

  constructor(
    config: RemoteEmbeddingsConfig,
    private readonly client: RemoteClient,
    options: Partial<RemoteEmbeddingsOptions> = {},
    private readonly logger: Logger | null = null,
  ) {
    super({});
    this.options = { ...DEFAULT_REMOTE_EMBEDDINGS_OPTIONS, ...options };
    this.provider = config.provider;
    this.model = config.model;
    this.batchSize = this.options.batchSize;
    this.where = `${config.provider} model ${config.model}${config.baseUrl ? ` at ${config.baseUrl}` : ""}`;
  }

  /** `<provider>:<model>:d<dimension>`. */
  get id(): string {
    return `${this.provider}:${this.model}:d${this.learnedOrThrow().dimension}`;
  }

  get dimension(): number {
    return this.learnedOrThrow().dimension;
  }

  /**
   * Asks the server for one vector, to learn the dimension and that it answers, then opens the
   * cache. Idempotent. Throws `EmbeddingsError("EMBEDDINGS_UNAVAILABLE")` with a one-line reason.
   */
  ready(): Promise<void> {
    this.probing ??= this.probe().catch((error: unknown) => {
      this.probing = null;
      throw error;
    });
    return this.probing;
  }

  override async embedQuery(text: string): Promise<number[]> {
    const limit = this.options.queryTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    // The request itself is bounded by timeoutMs; a question is not kept waiting that long.
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(this.failed(new DOMException("timed out", "TimeoutError"), limit)), limit);
    });
    try {
      const [vector] = await Promise.race([this.request([text]), late]);
      if (!vector) throw this.failed(new Error("the server returned no vector"));
      return Array.from(vector);
    } finally {
      clearTimeout(timer);
    }
  }

  override async embedDocuments(texts: string[]): Promise<number[][]> {
    const { cache } = this.learnedOrThrow();
    const keys = texts.map(textKey);
    const fresh = new Map<string, Float32Array>();
    const missing: { key: string; text: string }[] = [];
    const queued = new Set<string>();
    texts.forEach((text, i) => {
      const key = keys[i] ?? textKey(text);
      if (cache?.get(key) || queued.has(key)) return;
      queued.add(key);
      missing.push({ key, text });
    });
    this.stats.cached += texts.length - missing.length;
    for (let i = 0; i < missing.length; i += this.batchSize) {
      const batch = missing.slice(i, i + this.batchSize);
      const vectors = await this.request(batch.map((m) => m.text));
      this.stats.embedded += batch.length;
      const entries = batch.map((m, j) => ({ key: m.key, vector: vectors[j] ?? new Float32Array() }));
      for (const e of entries) fresh.set(e.key, e.vector);
      // On disk before the next request: what was paid for survives a crash.
      await cache?.add(entries);
    }
    return keys.map((key) => {
      const vector = fresh.get(key) ?? cache?.get(key);
      if (!vector) throw this.failed(new Error("a vector went missing between the server and the cache"));
      return Array.from(vector);
    });
  }

  private async probe(): Promise<void> {
    let vector: Float32Array | undefined;
    try {
      [vector] = await this.request([PROBE_TEXT], false);
    } catch (error) {
      const remedy = "Check EMBEDDINGS_PROVIDER, EMBEDDINGS_BASE_URL and EMBEDDINGS_MODEL.";
      // A rate limit says it all already; any other failure is said as "could not be used: <why>".
      if (hasCode(error, "EMBEDDINGS_RATE_LIMITED"))
        throw new EmbeddingsError("EMBEDDINGS_UNAVAILABLE", error.message, { cause: error, remedy });
      const cause = hasCode(error, "EMBEDDINGS_FAILED") ? error.cause : error;
      const reason = describeFailure(cause, this.options.timeoutMs);
      throw new EmbeddingsError(
        "EMBEDDINGS_UNAVAILABLE",
        `The embeddings server (${this.where}) could not be used: ${reason}.`,
        { cause: error, remedy },
      );
    }
    if (!vector || vector.length === 0)
      throw new EmbeddingsError("EMBEDDINGS_UNAVAILABLE", `The embeddings server (${this.where}) returned no vector.`);
    const dimension = vector.length;
    const dir = this.options.cacheDir;
    const cache = dir ? await EmbeddingCache.open(cacheFile(dir, this.idFor(dimension)), dimension) : null;
    this.learned = { dimension, cache };
    this.logger?.info("embeddings.ready", { embedder: this.idFor(dimension), cached: cache?.size ?? 0 });
  }

  /**
   * One request for `texts`, retried after each 429's Retry-After up to maxRetries times;
   * vectors rounded to float32 (what the cache and the graph hold) and checked for count and
   * dimension.
   */
  private async request(texts: string[], checkDimension = true): Promise<Float32Array[]> {
    const o = this.options;
    for (let attempt = 0; ; attempt++) {
      this.stats.requests++;
      let vectors: number[][];
      try {
        vectors = await this.client.embeddings.embedDocuments(texts);
      } catch (error) {
        if (failureStatus(error) !== 429) throw this.failed(error);
        const header = retryAfterHeader(error) ?? this.client.lastRetryAfter();
        const wait = parseRetryAfter(header) ?? o.fallbackWaitMs * 2 ** attempt;
        if (attempt >= o.maxRetries || wait > o.maxWaitMs) {
          const why =
            wait > o.maxWaitMs
              ? `it asked to wait ${Math.ceil(wait / 1000)} s, longer than the ${Math.round(o.maxWaitMs / 1000)} s allowed`
              : `still rate-limited after ${attempt} retries`;
          throw new EmbeddingsError("EMBEDDINGS_RATE_LIMITED", `The embeddings server (${this.where}) ${why}.`, {
            cause: error,
          });
        }
        this.logger?.warn("embeddings.rate_limited", { waitMs: wait, attempt: attempt + 1, retryAfter: header });
        await sleep(wait);
        continue;
      }
      if (vectors.length !== texts.length)
        throw this.failed(new Error(`it returned ${vectors.length} vectors for ${texts.length} texts`));
      const rounded = vectors.map((v) => Float32Array.from(v));
      const dimension = this.learned?.dimension;
      const wrong = rounded.find((v) => (checkDimension && dimension !== undefined ? v.length !== dimension : false));
      if (wrong)
        throw this.failed(new Error(`it returned a vector of ${wrong.length} dimensions instead of ${dimension}`));
      return rounded;
    }
  }

  private failed(error: unknown, timeoutMs: number = this.options.timeoutMs): EmbeddingsError {
    if (error instanceof EmbeddingsError) return error;
    return new EmbeddingsError(
      "EMBEDDINGS_FAILED",
      `The embeddings server (${this.where}) failed: ${describeFailure(error, timeoutMs)}.`,
      { cause: error },
    );
  }

  private idFor(dimension: number): string {
    return `${this.provider}:${this.model}:d${dimension}`;
  }

  private learnedOrThrow(): { readonly dimension: number; readonly cache: EmbeddingCache | null } {
    if (!this.learned)
      throw new EmbeddingsError(
        "EMBEDDINGS_UNAVAILABLE",
        `The embeddings server (${this.where}) has not been probed yet: await ready() first.`,
      );
    return this.learned;
  }
}
