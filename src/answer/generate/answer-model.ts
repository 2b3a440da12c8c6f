import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { LlmConfig } from "../../config.js";

/** A chat model that writes answers, with the name shown in footers and logs. */
export interface AnswerModel {
  readonly chat: BaseChatModel;
  /** e.g. "gpt-4o-mini" or "ollama:llama3.2". */
  readonly name: string;
  /** Give up on the model after this long and answer by quoting instead. */
  readonly timeoutMs: number;
}

/** The answer model a configuration names (ChatOpenAI for any OpenAI-compatible server, or ChatOllama). */
export function createAnswerModel(config: LlmConfig): AnswerModel {
  throw new Error(`not yet: ${config.provider}`);
}
