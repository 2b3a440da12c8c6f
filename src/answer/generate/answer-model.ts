import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { ChatOllama } from "@langchain/ollama";
import { ChatOpenAI } from "@langchain/openai";
import type { LlmConfig } from "../../config.js";

/** A chat model that writes answers, with the name shown in footers and logs. */
export interface AnswerModel {
  readonly chat: BaseChatModel;
  /** e.g. "gpt-4o-mini" or "ollama:llama3.2". */
  readonly name: string;
  /** Give up on the model after this long and answer by quoting instead. */
  readonly timeoutMs: number;
}

/**
 * One retry at most: a second failure (a repeated 429, a 5xx) answers by quoting at once,
 * rather than keeping the user waiting through a backoff the timeout would cut short anyway.
 */
export const ANSWER_MODEL_RETRIES = 1;

/** Local OpenAI-compatible servers (vLLM, llama.cpp, LM Studio) want no key, but the client insists on one. */
const KEYLESS = "not-needed";

/** The answer model a configuration names (ChatOpenAI for any OpenAI-compatible server, or ChatOllama). */
export function createAnswerModel(config: LlmConfig): AnswerModel {
  if (config.provider === "ollama") {
    const chat = new ChatOllama({
      model: config.model,
      ...(config.baseUrl !== null ? { baseUrl: config.baseUrl } : {}),
      maxRetries: ANSWER_MODEL_RETRIES,
    });
    return { chat, name: `ollama:${config.model}`, timeoutMs: config.timeoutMs };
  }
  const chat = new ChatOpenAI({
    model: config.model,
    apiKey: config.apiKey ?? KEYLESS,
    configuration: config.baseUrl !== null ? { baseURL: config.baseUrl } : {},
    streaming: true,
    // Token counts arrive in the stream's last chunk, for the per-answer log.
    streamUsage: true,
    maxRetries: ANSWER_MODEL_RETRIES,
    timeout: config.timeoutMs,
  });
  return { chat, name: config.model, timeoutMs: config.timeoutMs };
}
