/**
 * A loopback fake of the model servers Passage can use, for tests and benchmarks that drive
 * the real LangChain clients (never a mock of them). One `node:http` server on 127.0.0.1
 * speaks both APIs:
 *
 * - OpenAI-compatible (`ChatOpenAI`, `OpenAIEmbeddings` with `configuration.baseURL` =
 *   {@link FakeModelServer.openaiBaseUrl}): `POST /v1/chat/completions` (JSON, or SSE with
 *   `stream: true`, usage in the last chunk when `stream_options.include_usage`),
 *   `POST /v1/embeddings` (floats, or base64 as the `openai` SDK asks by default), `GET /v1/models`.
 * - Ollama (`ChatOllama`, `OllamaEmbeddings` with `baseUrl` = {@link FakeModelServer.ollamaBaseUrl}):
 *   `POST /api/chat` (NDJSON stream, or one JSON with `stream: false`), `POST /api/embed`,
 *   `GET /api/tags`, `GET /api/version`.
 *
 * Each test scripts the replies: `fake.chat.push(...)` queues one-shot replies (text, a function
 * of the request, `{ status: 429, retryAfterSeconds: 1 }`, `{ status: 500 }`, `{ hang: true }`,
 * `{ malformed: true }`), `fake.chat.reply(...)` sets the default after them; the same for
 * `fake.embeddings`. Embeddings are deterministic hashed bag-of-words vectors (see
 * hash-embedding.ts), so retrieval over them works.
 *
 * ```ts
 * const fake = await startFakeModelServer();
 * fake.chat.push({ status: 429, retryAfterSeconds: 1 }, "Hello there [1].");
 * const chat = new ChatOpenAI({ model: "fake", apiKey: "none", configuration: { baseURL: fake.openaiBaseUrl } });
 * await chat.invoke("Hi"); // retried after the 429, then "Hello there [1]."
 * fake.chat.count; // 2
 *
 * // A reindex interrupted halfway: two batches are embedded, the third fails.
 * fake.embeddings.push({}, {}, { status: 500 });
 * // A streamed answer whose first token comes after 200 ms, then one word every 20 ms.
 * fake.chat.push({ text: "Talks resumed [1].", firstDelayMs: 200, delayMs: 20 });
 * // A reply built from what was sent, e.g. quoting the first passage.
 * fake.chat.push((request) => `${request.messages.at(-1)?.content.split("\n")[0] ?? ""} [1].`);
 * await fake.close();
 * ```
 *
 * How each scripted failure reaches a LangChain caller (asserted in test/fake-model/*-clients.test.ts):
 *
 * | failure | ChatOpenAI / OpenAIEmbeddings | ChatOllama / OllamaEmbeddings |
 * |---|---|---|
 * | 429 + Retry-After | `RateLimitError`, `.status` 429, `.headers.get("retry-after")`, `.retryAfterMs`, `.lc_error_code` "MODEL_RATE_LIMIT"; retried after max(backoff, Retry-After) when ≤ 60 s | `ResponseError`, `.status_code` 429, no headers |
 * | 429 without it, or > 60 s | the same class, `.name` "RateLimitCapacityError", never retried | as above |
 * | 500 (any 5xx) | `InternalServerError`, `.status` 500; retried with backoff | `ResponseError`, `.status_code` 500 |
 * | hang | an `Error` named "TimeoutError" after `timeout` ms (retried!) | nothing ends it but a `fetch` option with a timeout (or `stream()` with a signal) |
 * | malformed | `SyntaxError`, no `.status`; retried | chat: plain `Error` "Did not receive done or success response in stream."; embed: `SyntaxError` |
 * | refused | `APIConnectionError`, `.status` undefined, ECONNREFUSED at `.cause.cause.code`; retried | `TypeError` "fetch failed", `.cause.code` ECONNREFUSED |
 *
 * Retries are LangChain's (`AsyncCaller`, default `maxRetries` 6, exponential backoff from 1 s;
 * the openai SDK's own are off). `maxRetries: 0` turns them off; `onFailedAttempt` replaces the
 * policy (throw to stop). A call's AbortSignal ends a request in flight but not the backoff
 * sleep between attempts: with retries on, a call can outlive its signal by seconds. ChatOllama never retries; OllamaEmbeddings retries every failure,
 * 404 included, and ignores Retry-After.
 *
 * Checked against @langchain/openai 1.5.8 (openai 6.49) and @langchain/ollama 1.3.0 (ollama 0.6.4).
 *
 * @module
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type Exchange, readBody, sendJson } from "./exchange.js";
import { DEFAULT_EMBEDDING_DIMENSION } from "./hash-embedding.js";
import { handleOllama, sendOllamaError } from "./ollama-api.js";
import { handleOpenAi, sendOpenAiError } from "./openai-api.js";
import type { ChatReply, ChatRequest, EmbeddingsReply, EmbeddingsRequest } from "./replies.js";
import { ModelState, type RecordedRequest } from "./state.js";

export { DEFAULT_EMBEDDING_DIMENSION, embeddingToBase64, hashEmbedding } from "./hash-embedding.js";
export { FAKE_OLLAMA_VERSION } from "./ollama-api.js";
export { quotingReply } from "./quoting-reply.js";
export type {
  ChatMessage,
  ChatReply,
  ChatReplyValue,
  ChatRequest,
  EmbeddingsReply,
  EmbeddingsReplyValue,
  EmbeddingsRequest,
  EmbedReply,
  FailureReply,
  HangReply,
  MalformedReply,
  StatusReply,
  TextReply,
} from "./replies.js";
export { DEFAULT_CHAT_TEXT } from "./replies.js";
export type { RecordedRequest } from "./state.js";
export { countTokens, splitIntoChunks } from "./tokens.js";

/** Options of {@link startFakeModelServer}; every field is optional. */
export interface FakeModelServerOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Dimension of the embeddings (default 64). */
  dimension?: number;
  /** Dimension per model name, overriding `dimension` (to test a change of embedder). */
  dimensions?: Record<string, number>;
  /** Model names `GET /v1/models` and `GET /api/tags` list (default `["fake-chat", "fake-embed"]`). */
  models?: string[];
  /** Default chat reply (default {@link DEFAULT_CHAT_TEXT}). */
  chat?: ChatReply;
  /** Default embeddings reply (default `{}`: the hash embedding at once). */
  embeddings?: EmbeddingsReply;
  /** Called with each request as it is recorded (before it is answered): for logs. */
  onRequest?: (request: RecordedRequest) => void;
}

/** The scripting and records of one kind of request (chat or embeddings). */
export interface ReplyScript<R, Q> {
  /** Queues one-shot replies, used by the next requests in order, before the default. */
  push(...replies: R[]): void;
  /** Sets the reply used once the queue is empty. */
  reply(reply: R): void;
  /** One-shot replies still queued. */
  readonly pending: number;
  /** Every request of this kind so far, parsed, in arrival order (failed ones included). */
  readonly requests: readonly Q[];
  /** `requests.length`. */
  readonly count: number;
}

/** Embeddings scripting plus what was embedded. */
export interface EmbeddingsScript extends ReplyScript<EmbeddingsReply, EmbeddingsRequest> {
  /** Inputs received over all embeddings requests, failed ones included. */
  readonly requestedInputs: number;
  /** Inputs answered with a vector: what a paid API would have charged for. */
  readonly embeddedInputs: number;
}

/** A running fake; see {@link startFakeModelServer}. */
export interface FakeModelServer {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  readonly port: number;
  /** `${url}/v1`: `configuration.baseURL` for `ChatOpenAI` / `OpenAIEmbeddings`, `LLM_BASE_URL` for openai. */
  readonly openaiBaseUrl: string;
  /** `url`: `baseUrl` for `ChatOllama` / `OllamaEmbeddings`, `LLM_BASE_URL` for ollama. */
  readonly ollamaBaseUrl: string;
  /** Chat requests (`/v1/chat/completions` and `/api/chat`). */
  readonly chat: ReplyScript<ChatReply, ChatRequest>;
  /** Embeddings requests (`/v1/embeddings`, `/api/embed`, `/api/embeddings`). */
  readonly embeddings: EmbeddingsScript;
  /** Every request to any path, in arrival order. */
  readonly requests: readonly RecordedRequest[];
  /**
   * Resolves with the first recorded request matching `predicate`, including earlier ones;
   * rejects after `timeoutMs` (default 2000).
   */
  waitForRequest(predicate: (request: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
  /** Empties both queues, restores the default replies and forgets the records. */
  reset(): void;
  /**
   * Ends hanging and delayed requests (their connections are destroyed, so clients see a
   * dropped connection), then the server. Safe to call twice.
   */
  close(): Promise<void>;
}

/** Starts a fake model server on 127.0.0.1 (a free port unless `options.port`). */
export async function startFakeModelServer(options: FakeModelServerOptions = {}): Promise<FakeModelServer> {
  let state = newState(options);
  const open = new Set<AbortController>();
  const waiters = new Set<() => void>();
  const server = createServer((request, response) => {
    const controller = new AbortController();
    open.add(controller);
    // "close" fires when the answer is sent or the client goes away: either way, stop waiting.
    response.on("close", () => {
      controller.abort();
      open.delete(controller);
    });
    const exchange: Exchange = { request, response, signal: controller.signal };
    const record = (recorded: RecordedRequest): void => {
      state.requests.push(recorded);
      options.onRequest?.(recorded);
      for (const wake of waiters) wake();
    };
    serve(exchange, state, record).catch((error: unknown) => {
      // A reply function threw (or the request could not be read): a 500 naming it, in the API's format.
      if (response.headersSent) return response.destroy();
      const message = `fake model server: ${error instanceof Error ? error.message : String(error)}`;
      if (request.url?.startsWith("/api/")) sendOllamaError(exchange, 500, message);
      else sendOpenAiError(exchange, 500, message);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  let closed = false;

  return {
    url,
    port,
    openaiBaseUrl: `${url}/v1`,
    ollamaBaseUrl: url,
    chat: {
      push: (...replies) => state.chat.push(...replies),
      reply: (reply) => state.chat.reply(reply),
      get pending() {
        return state.chat.pending;
      },
      get requests() {
        return state.chatRequests;
      },
      get count() {
        return state.chatRequests.length;
      },
    },
    embeddings: {
      push: (...replies) => state.embeddings.push(...replies),
      reply: (reply) => state.embeddings.reply(reply),
      get pending() {
        return state.embeddings.pending;
      },
      get requests() {
        return state.embeddingsRequests;
      },
      get count() {
        return state.embeddingsRequests.length;
      },
      get requestedInputs() {
        return state.embeddingsRequests.reduce((sum, r) => sum + r.inputs.length, 0);
      },
      get embeddedInputs() {
        return state.embeddedInputs;
      },
    },
    get requests() {
      return state.requests;
    },
    waitForRequest(predicate, timeoutMs = 2000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const found = state.requests.find(predicate);
          if (!found) return false;
          clearTimeout(timer);
          waiters.delete(wake);
          resolve(found);
          return true;
        };
        const wake = (): void => {
          check();
        };
        const timer = setTimeout(() => {
          waiters.delete(wake);
          const seen = state.requests.map((r) => `${r.method} ${r.path}`).join(", ") || "none";
          reject(new Error(`fake model server: no matching request within ${timeoutMs} ms (seen: ${seen})`));
        }, timeoutMs);
        waiters.add(wake);
        check();
      });
    },
    reset() {
      state = newState(options);
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const controller of open) controller.abort();
      // Keep-alive sockets from undici / node-fetch would otherwise hold server.close() open.
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

function newState(options: FakeModelServerOptions): ModelState {
  const state = new ModelState(
    options.models ?? ["fake-chat", "fake-embed"],
    options.dimension ?? DEFAULT_EMBEDDING_DIMENSION,
    options.dimensions ?? {},
  );
  if (options.chat !== undefined) state.chat.reply(options.chat);
  if (options.embeddings !== undefined) state.embeddings.reply(options.embeddings);
  return state;
}

/** Reads, records and routes one request. */
async function serve(exchange: Exchange, state: ModelState, record: (request: RecordedRequest) => void): Promise<void> {
  const { request, response } = exchange;
  const method = request.method ?? "GET";
  const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
  const text = await readBody(request);
  let body: unknown;
  try {
    body = text === "" ? undefined : JSON.parse(text);
  } catch {
    record({ method, path, body: text, at: Date.now() });
    return sendJson(response, 400, { error: { message: "fake model server: request body is not JSON" } });
  }
  record({ method, path, body, at: Date.now() });
  const fields = body !== null && typeof body === "object" ? (body as Record<string, unknown>) : {};
  if (path.startsWith("/v1/") && (await handleOpenAi(exchange, method, path, fields, state))) return;
  if (path.startsWith("/api/") && (await handleOllama(exchange, method, path, fields, state))) return;
  if (path.startsWith("/api/"))
    return sendJson(response, 404, { error: `fake model server: no route ${method} ${path}` });
  sendOpenAiError(exchange, 404, `fake model server: no route ${method} ${path}`);
}

/**
 * A base URL on 127.0.0.1 where nothing listens (a port that was free a moment ago), so a
 * client gets "connection refused" at once.
 */
export async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
