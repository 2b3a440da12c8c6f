/**
 * What a test scripts the fake to answer: replies for chat and embedding requests, and the
 * queue that hands them out (one-shot replies first, then a default).
 *
 * @module
 */

/** One chat message as the fake read it; content parts (OpenAI) are joined into one string. */
export interface ChatMessage {
  role: string;
  content: string;
}

/** A chat request as the fake parsed it, given to function replies and kept in `chat.requests`. */
export interface ChatRequest {
  api: "openai" | "ollama";
  model: string;
  messages: ChatMessage[];
  stream: boolean;
  /** The request body as sent. */
  body: Record<string, unknown>;
  /** When it arrived (`Date.now()`). */
  at: number;
}

/** An embeddings request as the fake parsed it, kept in `embeddings.requests`. */
export interface EmbeddingsRequest {
  api: "openai" | "ollama";
  model: string;
  /** The texts to embed, in order. */
  inputs: string[];
  body: Record<string, unknown>;
  at: number;
}

/**
 * Answer with an HTTP error in the API's own error format. `retryAfterSeconds` adds a
 * `Retry-After` header (use it with 429 or 503). `message` replaces the default error text.
 */
export interface StatusReply {
  status: number;
  retryAfterSeconds?: number;
  message?: string;
}

/** Never answer: the request stays open until the client gives up or the server closes. */
export interface HangReply {
  hang: true;
}

/**
 * Answer 200 with a body the client cannot parse: truncated JSON, or (streaming) a few good
 * chunks of `text` followed by a broken SSE event / NDJSON line, then the end of the stream.
 */
export interface MalformedReply {
  malformed: true;
  /** Text streamed as good chunks before the broken one (streaming only). */
  text?: string;
}

/** A failure a chat or embeddings request can be scripted to meet. */
export type FailureReply = StatusReply | HangReply | MalformedReply;

/**
 * A chat answer. Streaming sends `chunks` (default: `text` cut into words, each with the
 * whitespace before it) with `delayMs` between them and `firstDelayMs` before the first, so
 * time to first token can be measured; non-streaming waits the same total and sends `text`.
 */
export interface TextReply {
  text: string;
  chunks?: readonly string[];
  /** Pause between chunks, ms (default 0). */
  delayMs?: number;
  /** Pause before the first chunk, ms (default 0). */
  firstDelayMs?: number;
  /** Send this many chunks, then hang (a model that stalls mid-answer). */
  stallAfterChunks?: number;
  /** Token counts to report instead of the fake's own estimate. */
  usage?: { promptTokens?: number; completionTokens?: number };
}

/** What a function reply may return. */
export type ChatReplyValue = string | TextReply | FailureReply;

/**
 * A scripted chat reply: text, a {@link TextReply}, a failure, or a function of the parsed
 * request (so a reply can quote the passages it was sent).
 */
export type ChatReply = ChatReplyValue | ((request: ChatRequest) => ChatReplyValue | Promise<ChatReplyValue>);

/**
 * A normal embeddings answer: the fake's hash embedding of each input (or `vectors`), after
 * `delayMs`. `{}` is the plain normal answer.
 */
export interface EmbedReply {
  delayMs?: number;
  /** Vectors to send instead of the fake's own, one per input. */
  vectors?: number[][];
}

/** What an embeddings function reply may return. */
export type EmbeddingsReplyValue = EmbedReply | FailureReply;

/** A scripted embeddings reply: normal, a failure, or a function of the parsed request. */
export type EmbeddingsReply =
  | EmbeddingsReplyValue
  | ((request: EmbeddingsRequest) => EmbeddingsReplyValue | Promise<EmbeddingsReplyValue>);

/** Text the fake answers chat requests with when nothing else is scripted. */
export const DEFAULT_CHAT_TEXT = "This is the fake model's default reply.";

/** True for a {@link StatusReply}. */
export function isStatusReply(reply: object): reply is StatusReply {
  return "status" in reply && typeof reply.status === "number";
}

/** True for a {@link HangReply}. */
export function isHangReply(reply: object): reply is HangReply {
  return "hang" in reply && reply.hang === true;
}

/** True for a {@link MalformedReply}. */
export function isMalformedReply(reply: object): reply is MalformedReply {
  return "malformed" in reply && reply.malformed === true;
}

/**
 * Replies handed out in order: scripted one-shot replies first (`push`), then the default
 * (`reply`) for every request after them.
 */
export class ReplyQueue<R> {
  readonly #queue: R[] = [];
  #fallback: R;
  readonly #initial: R;

  constructor(fallback: R) {
    this.#fallback = fallback;
    this.#initial = fallback;
  }

  /** Queues one-shot replies, each used by one request, in order. */
  push(...replies: R[]): void {
    this.#queue.push(...replies);
  }

  /** Sets the reply for every request once the queue is empty. */
  reply(reply: R): void {
    this.#fallback = reply;
  }

  /** One-shot replies not yet used. */
  get pending(): number {
    return this.#queue.length;
  }

  /** Empties the queue and restores the original default. */
  reset(): void {
    this.#queue.length = 0;
    this.#fallback = this.#initial;
  }

  /** The reply for the next request. */
  next(): R {
    return this.#queue.length > 0 ? (this.#queue.shift() as R) : this.#fallback;
  }
}
