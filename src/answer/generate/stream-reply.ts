import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { BaseMessage, UsageMetadata } from "@langchain/core/messages";

/**
 * How long past the timeout we wait for an aborted stream to end by itself before we stop
 * waiting for it: the answer must be back within the timeout and a second.
 */
export const ABORT_GRACE_MS = 250;

/** A model's whole reply, with its timings (from the call) and token counts when the server gave them. */
export interface StreamedReply {
  readonly ok: true;
  readonly text: string;
  readonly firstTokenMs: number | null;
  readonly totalMs: number;
  readonly tokensIn: number | null;
  readonly tokensOut: number | null;
}

/** A call that failed: the error, or `timedOut` when it ran past the timeout. */
export interface FailedReply {
  readonly ok: false;
  readonly timedOut: boolean;
  readonly error: unknown;
  readonly totalMs: number;
}

/**
 * Streams a chat model's reply, calling `onText` with the whole text so far after each chunk.
 * At `timeoutMs` the request is aborted; should the client not end the stream promptly, we stop
 * waiting `ABORT_GRACE_MS` later. Never throws: a failure is returned.
 */
export async function streamReply(
  chat: BaseChatModel,
  messages: readonly BaseMessage[],
  timeoutMs: number,
  onText: (text: string) => void,
): Promise<StreamedReply | FailedReply> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const controller = new AbortController();
  let timedOut = false;
  let stopWaiting: () => void = () => {};
  const stopped = new Promise<"stopped">((resolve) => {
    stopWaiting = () => resolve("stopped");
  });
  const abortTimer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const giveUpTimer = setTimeout(stopWaiting, timeoutMs + ABORT_GRACE_MS);

  const consume = async (): Promise<StreamedReply> => {
    let text = "";
    let firstTokenMs: number | null = null;
    let tokensIn: number | null = null;
    let tokensOut: number | null = null;
    const stream = await chat.stream([...messages], { signal: controller.signal });
    for await (const chunk of stream) {
      if (controller.signal.aborted) break;
      // Typed through the message's structure parameter as never; the field is LangChain's UsageMetadata.
      const usage = (chunk as unknown as { usage_metadata?: UsageMetadata }).usage_metadata;
      if (usage) {
        tokensIn = usage.input_tokens;
        tokensOut = usage.output_tokens;
      }
      const piece = chunk.text;
      if (piece.length === 0) continue;
      firstTokenMs ??= elapsed();
      text += piece;
      onText(text);
    }
    return { ok: true, text, firstTokenMs, totalMs: elapsed(), tokensIn, tokensOut };
  };

  const consuming = consume();
  // Once we stop waiting, a late failure of the abandoned stream is of no interest.
  consuming.catch(() => {});
  try {
    const result = await Promise.race([consuming, stopped]);
    if (result === "stopped" || timedOut) return { ok: false, timedOut: true, error: null, totalMs: elapsed() };
    return result;
  } catch (error) {
    return { ok: false, timedOut, error, totalMs: elapsed() };
  } finally {
    clearTimeout(abortTimer);
    clearTimeout(giveUpTimer);
    controller.abort();
  }
}
