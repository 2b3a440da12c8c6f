/**
 * The Ollama half of the fake: `POST /api/chat` (NDJSON stream by default, one JSON with
 * `stream: false`), `POST /api/embed` (and the older `/api/embeddings`), `GET /api/tags` and
 * `GET /api/version`, in the shapes the `ollama` client 0.6 (under `@langchain/ollama` 1.3.0)
 * reads.
 *
 * @module
 */
import { type Exchange, sendJson, sendTruncatedJson } from "./exchange.js";
import { type ChatPlan, hang, isFailure, planChat, planEmbeddings, playChunks, waitLikeStreaming } from "./playback.js";
import type { ChatRequest, EmbeddingsRequest, FailureReply } from "./replies.js";
import { isHangReply, isStatusReply } from "./replies.js";
import type { ModelState } from "./state.js";
import { countTokens } from "./tokens.js";

/** The version `GET /api/version` reports. */
export const FAKE_OLLAMA_VERSION = "0.6.0";

/** Answers an Ollama route; false when the path is not one. */
export async function handleOllama(
  exchange: Exchange,
  method: string,
  path: string,
  body: Record<string, unknown>,
  state: ModelState,
): Promise<boolean> {
  if (method === "POST" && path === "/api/chat") await chat(exchange, body, state);
  else if (method === "POST" && (path === "/api/embed" || path === "/api/embeddings"))
    await embed(exchange, body, state, path === "/api/embeddings");
  else if (method === "GET" && path === "/api/tags") sendJson(exchange.response, 200, { models: tags(state) });
  else if (method === "GET" && path === "/api/version")
    sendJson(exchange.response, 200, { version: FAKE_OLLAMA_VERSION });
  else return false;
  return true;
}

/** An error body in Ollama's format (`{ error }`), with `Retry-After` when scripted. */
export function sendOllamaError(exchange: Exchange, status: number, message: string, retryAfterSeconds?: number) {
  const headers: Record<string, string> = {};
  if (retryAfterSeconds !== undefined) headers["retry-after"] = String(retryAfterSeconds);
  sendJson(exchange.response, status, { error: message }, headers);
}

async function chat(exchange: Exchange, body: Record<string, unknown>, state: ModelState) {
  const request: ChatRequest = {
    api: "ollama",
    model: String(body.model ?? ""),
    messages: readOllamaMessages(body.messages),
    // Ollama streams unless told not to.
    stream: body.stream !== false,
    body,
    at: Date.now(),
  };
  state.recordChat(request);
  const plan = await planChat(state.chat.next(), request);
  if (plan.kind === "failure") return fail(exchange, plan.failure, request.stream, request.model);
  const { response } = exchange;
  if (!request.stream) {
    if (!(await waitLikeStreaming(plan, exchange))) return response.destroy();
    return sendJson(response, 200, final(request, plan, plan.chunks.join("")));
  }
  response.writeHead(200, { "content-type": "application/x-ndjson" });
  const played = await playChunks(plan, exchange, (chunk) => {
    const line = {
      model: request.model,
      created_at: new Date().toISOString(),
      message: { role: "assistant", content: chunk },
      done: false,
    };
    response.write(`${JSON.stringify(line)}\n`);
  });
  if (!played) return response.destroy();
  response.end(`${JSON.stringify(final(request, plan, ""))}\n`);
}

/** The last object of a chat: `done` with the token counts LangChain turns into usage metadata. */
function final(request: ChatRequest, plan: ChatPlan & { kind: "text" }, content: string) {
  const durationNs = (Date.now() - request.at) * 1e6;
  return {
    model: request.model,
    created_at: new Date().toISOString(),
    message: { role: "assistant", content },
    done: true,
    done_reason: "stop",
    total_duration: durationNs,
    load_duration: 0,
    prompt_eval_count: plan.usage.promptTokens,
    prompt_eval_duration: 0,
    eval_count: plan.usage.completionTokens,
    eval_duration: durationNs,
  };
}

async function embed(exchange: Exchange, body: Record<string, unknown>, state: ModelState, legacy: boolean) {
  const input = legacy ? body.prompt : body.input;
  const request: EmbeddingsRequest = {
    api: "ollama",
    model: String(body.model ?? ""),
    inputs: typeof input === "string" ? [input] : Array.isArray(input) ? input.map(String) : [],
    body,
    at: Date.now(),
  };
  state.recordEmbeddings(request);
  const reply = await planEmbeddings(state.embeddings.next(), request);
  if (isFailure(reply)) return fail(exchange, reply, false, request.model);
  const vectors = await state.embed(request, reply, exchange);
  if (!vectors) return exchange.response.destroy();
  if (legacy) return sendJson(exchange.response, 200, { embedding: vectors[0] ?? [] });
  sendJson(exchange.response, 200, {
    model: request.model,
    embeddings: vectors,
    total_duration: 0,
    load_duration: 0,
    prompt_eval_count: request.inputs.reduce((sum, text) => sum + countTokens(text), 0),
  });
}

async function fail(exchange: Exchange, failure: FailureReply, stream: boolean, model: string): Promise<void> {
  if (isStatusReply(failure))
    return sendOllamaError(
      exchange,
      failure.status,
      failure.message ?? `fake model server: scripted ${failure.status}`,
      failure.retryAfterSeconds,
    );
  if (isHangReply(failure)) return hang(exchange);
  if (!stream) return sendTruncatedJson(exchange.response);
  // A broken stream: good lines of text, then a line that is not JSON, then the end.
  const { response } = exchange;
  response.writeHead(200, { "content-type": "application/x-ndjson" });
  if (failure.text) {
    const line = { model, created_at: new Date().toISOString(), message: { role: "assistant", content: failure.text } };
    response.write(`${JSON.stringify({ ...line, done: false })}\n`);
  }
  response.end('{"model":"cut off","message":{"content":"\n');
}

function tags(state: ModelState) {
  return state.models.map((name) => ({
    name,
    model: name,
    modified_at: "2026-01-01T00:00:00Z",
    size: 0,
    digest: "0".repeat(64),
    details: { format: "gguf", family: "fake", parameter_size: "0B", quantization_level: "none" },
  }));
}

function readOllamaMessages(value: unknown): ChatRequest["messages"] {
  if (!Array.isArray(value)) return [];
  return value.map((m: unknown) => {
    const message = (m ?? {}) as { role?: unknown; content?: unknown };
    return { role: String(message.role ?? ""), content: typeof message.content === "string" ? message.content : "" };
  });
}
