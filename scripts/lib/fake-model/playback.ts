import { type Exchange, pause, waitForAbort } from "./exchange.js";
import type {
  ChatMessage,
  ChatReply,
  ChatRequest,
  EmbeddingsReply,
  EmbeddingsReplyValue,
  EmbeddingsRequest,
  FailureReply,
  TextReply,
} from "./replies.js";
import { isHangReply, isMalformedReply, isStatusReply } from "./replies.js";
import { countTokens, splitIntoChunks } from "./tokens.js";

/** A chat reply ready to play: text with its chunks and token counts, or a failure. */
export type ChatPlan = { kind: "text"; reply: TextReply; chunks: string[]; usage: Usage } | FailurePlan;

/** A failure to play, whichever API it is for. */
export type FailurePlan = { kind: "failure"; failure: FailureReply };

/** Token counts as the fake reports them. */
export interface Usage {
  promptTokens: number;
  completionTokens: number;
}

/** Resolves a scripted chat reply (calling it when it is a function) into what to send. */
export async function planChat(reply: ChatReply, request: ChatRequest): Promise<ChatPlan> {
  const value = typeof reply === "function" ? await reply(request) : reply;
  const text: TextReply | FailureReply = typeof value === "string" ? { text: value } : value;
  if (isStatusReply(text) || isHangReply(text) || isMalformedReply(text)) return { kind: "failure", failure: text };
  const chunks = text.chunks ? [...text.chunks] : splitIntoChunks(text.text);
  return {
    kind: "text",
    reply: text,
    chunks,
    usage: {
      promptTokens: text.usage?.promptTokens ?? promptTokens(request.messages),
      // Each streamed chunk stands for one generated token.
      completionTokens: text.usage?.completionTokens ?? chunks.length,
    },
  };
}

/** Resolves a scripted embeddings reply (calling it when it is a function). */
export async function planEmbeddings(
  reply: EmbeddingsReply,
  request: EmbeddingsRequest,
): Promise<EmbeddingsReplyValue> {
  return typeof reply === "function" ? reply(request) : reply;
}

/** True when `value` is one of the scripted failures. */
export function isFailure(value: object): value is FailureReply {
  return isStatusReply(value) || isHangReply(value) || isMalformedReply(value);
}

/** The fake's prompt token count: the tokens of every message's content. */
export function promptTokens(messages: readonly ChatMessage[]): number {
  return messages.reduce((sum, m) => sum + countTokens(m.content), 0);
}

/**
 * Sends the chunks through `write` with the reply's pauses. Resolves false when the client
 * went away or the server closed (stop writing); a stalled reply never resolves true.
 */
export async function playChunks(
  plan: { reply: TextReply; chunks: string[] },
  exchange: Exchange,
  write: (chunk: string) => void,
): Promise<boolean> {
  const { reply, chunks } = plan;
  for (const [i, chunk] of chunks.entries()) {
    if (i === reply.stallAfterChunks) {
      await waitForAbort(exchange.signal);
      return false;
    }
    if (!(await pause(i === 0 ? (reply.firstDelayMs ?? 0) : (reply.delayMs ?? 0), exchange.signal))) return false;
    write(chunk);
  }
  if (reply.stallAfterChunks !== undefined && reply.stallAfterChunks >= chunks.length) {
    await waitForAbort(exchange.signal);
    return false;
  }
  return !exchange.signal.aborted;
}

/** Waits as long as streaming the reply would take. Resolves false when aborted or stalled. */
export async function waitLikeStreaming(plan: { reply: TextReply; chunks: string[] }, exchange: Exchange) {
  return playChunks(plan, exchange, () => {});
}

/** Hangs until the client goes away or the server closes, then drops the connection. */
export async function hang(exchange: Exchange): Promise<void> {
  await waitForAbort(exchange.signal);
  exchange.response.destroy();
}
