/**
 * The OpenAI-compatible half of the fake: `POST /v1/chat/completions` (JSON, or SSE with
 * `stream: true`), `POST /v1/embeddings` (floats or base64) and `GET /v1/models`, in the
 * shapes the `openai` SDK 6 (under `@langchain/openai` 1.5.8) reads.
 *
 * @module
 */
import { randomUUID } from "node:crypto";
import { type Exchange, sendJson, sendTruncatedJson } from "./exchange.js";
import { embeddingToBase64 } from "./hash-embedding.js";
import {
  type ChatPlan,
  type FailurePlan,
  hang,
  isFailure,
  planChat,
  planEmbeddings,
  playChunks,
  waitLikeStreaming,
} from "./playback.js";
import type { ChatMessage, ChatRequest, EmbeddingsRequest, FailureReply } from "./replies.js";
import { isHangReply, isStatusReply } from "./replies.js";
import type { ModelState } from "./state.js";
import { countTokens } from "./tokens.js";

/** Answers an OpenAI-compatible route; false when the path is not one. */
export async function handleOpenAi(
  exchange: Exchange,
  method: string,
  path: string,
  body: Record<string, unknown>,
  state: ModelState,
): Promise<boolean> {
  if (method === "POST" && path === "/v1/chat/completions") await chatCompletions(exchange, body, state);
  else if (method === "POST" && path === "/v1/embeddings") await embeddings(exchange, body, state);
  else if (method === "GET" && path === "/v1/models") {
    const data = state.models.map((id) => ({ id, object: "model", created: 0, owned_by: "passage-fake" }));
    sendJson(exchange.response, 200, { object: "list", data });
  } else return false;
  return true;
}

/** An error body in OpenAI's format, with `Retry-After` when scripted. */
export function sendOpenAiError(exchange: Exchange, status: number, message: string, retryAfterSeconds?: number) {
  const code = status === 429 ? "rate_limit_exceeded" : status >= 500 ? "server_error" : "invalid_request_error";
  const headers: Record<string, string> = {};
  if (retryAfterSeconds !== undefined) headers["retry-after"] = String(retryAfterSeconds);
  sendJson(exchange.response, status, { error: { message, type: code, param: null, code } }, headers);
}

async function chatCompletions(exchange: Exchange, body: Record<string, unknown>, state: ModelState) {
  const request: ChatRequest = {
    api: "openai",
    model: String(body.model ?? ""),
    messages: readMessages(body.messages),
    stream: body.stream === true,
    body,
    at: Date.now(),
  };
  state.recordChat(request);
  const plan = await planChat(state.chat.next(), request);
  if (plan.kind === "failure") return fail(exchange, plan, request.stream);
  if (request.stream) return streamCompletion(exchange, request, plan);
  if (!(await waitLikeStreaming(plan, exchange))) return exchange.response.destroy();
  const text = plan.chunks.join("");
  sendJson(exchange.response, 200, {
    id: `chatcmpl-${randomUUID()}`,
    object: "chat.completion",
    created: Math.floor(request.at / 1000),
    model: request.model,
    choices: [
      { index: 0, message: { role: "assistant", content: text, refusal: null }, logprobs: null, finish_reason: "stop" },
    ],
    usage: usage(plan),
  });
}

async function streamCompletion(exchange: Exchange, request: ChatRequest, plan: ChatPlan & { kind: "text" }) {
  const { response } = exchange;
  const base = {
    id: `chatcmpl-${randomUUID()}`,
    object: "chat.completion.chunk",
    created: Math.floor(request.at / 1000),
    model: request.model,
  };
  const send = (data: object): void => {
    response.write(`data: ${JSON.stringify({ ...base, ...data })}\n\n`);
  };
  response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  // The first chunk carries the role, as OpenAI's does, before any content.
  send({ choices: [{ index: 0, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null }] });
  const played = await playChunks(plan, exchange, (chunk) =>
    send({ choices: [{ index: 0, delta: { content: chunk }, logprobs: null, finish_reason: null }] }),
  );
  if (!played) return response.destroy();
  send({ choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: "stop" }] });
  const options = request.body.stream_options as { include_usage?: unknown } | undefined;
  if (options?.include_usage === true) send({ choices: [], usage: usage(plan) });
  response.end("data: [DONE]\n\n");
}

async function embeddings(exchange: Exchange, body: Record<string, unknown>, state: ModelState) {
  const request: EmbeddingsRequest = {
    api: "openai",
    model: String(body.model ?? ""),
    inputs: readInputs(body.input),
    body,
    at: Date.now(),
  };
  state.recordEmbeddings(request);
  const reply = await planEmbeddings(state.embeddings.next(), request);
  if (isFailure(reply)) return fail(exchange, { kind: "failure", failure: reply }, false);
  const vectors = await state.embed(request, reply, exchange);
  if (!vectors) return exchange.response.destroy();
  const base64 = body.encoding_format === "base64";
  const tokens = request.inputs.reduce((sum, input) => sum + countTokens(input), 0);
  sendJson(exchange.response, 200, {
    object: "list",
    data: vectors.map((vector, index) => ({
      object: "embedding",
      index,
      embedding: base64 ? embeddingToBase64(vector) : vector,
    })),
    model: request.model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  });
}

async function fail(exchange: Exchange, plan: FailurePlan, stream: boolean): Promise<void> {
  const failure: FailureReply = plan.failure;
  if (isStatusReply(failure))
    return sendOpenAiError(
      exchange,
      failure.status,
      failure.message ?? `fake model server: scripted ${failure.status}`,
      failure.retryAfterSeconds,
    );
  if (isHangReply(failure)) return hang(exchange);
  if (!stream) return sendTruncatedJson(exchange.response);
  // A broken stream: good chunks of text, then an event whose data is not JSON, then the end.
  const { response } = exchange;
  response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  if (failure.text) {
    const choices = [{ index: 0, delta: { content: failure.text }, finish_reason: null }];
    response.write(
      `data: ${JSON.stringify({ id: "chatcmpl-malformed", object: "chat.completion.chunk", choices })}\n\n`,
    );
  }
  response.end('data: {"id":"chatcmpl-malformed","choices":[{"delta":{"content":"cut\n\n');
}

function usage(plan: { usage: { promptTokens: number; completionTokens: number } }) {
  const { promptTokens, completionTokens } = plan.usage;
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  };
}

/** Messages with their content as one string (OpenAI content parts are joined). */
export function readMessages(value: unknown): ChatMessage[] {
  if (!Array.isArray(value)) return [];
  return value.map((m: unknown) => {
    const message = (m ?? {}) as { role?: unknown; content?: unknown };
    return { role: String(message.role ?? ""), content: contentText(message.content) };
  });
}

function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part: unknown) => {
      const p = (part ?? {}) as { type?: unknown; text?: unknown };
      return p.type === "text" && typeof p.text === "string" ? p.text : "";
    })
    .join("");
}

/** `input` as texts: a string, strings, or token arrays (kept as their numbers joined). */
export function readInputs(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (!Array.isArray(value)) return [];
  if (value.every((x) => typeof x === "number")) return [value.join(" ")];
  return value.map((x: unknown) => (Array.isArray(x) ? x.join(" ") : String(x)));
}
