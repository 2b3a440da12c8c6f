import { NOT_IN_PASSAGES } from "../../../src/answer/generate/verify.js";
import type { ChatRequest, TextReply } from "./replies.js";

/**
 * A faithful model's stand-in: it answers every Passage prompt with the first `sentences`
 * sentences of the first passage it was sent, each cited `[1]`, streamed word by word
 * `delayMs` apart; with no passage in the prompt, the fixed "not in the passages" token.
 * Used by the benchmark and by `npm run fake-model -- --reply quote`.
 */
export function quotingReply(options: { delayMs?: number; sentences?: number } = {}) {
  return (request: ChatRequest): TextReply => {
    const user = request.messages.find((m) => m.role === "user")?.content ?? "";
    const first = /<passage n="1"[^>]*>\n([\s\S]*?)\n<\/passage>/.exec(user)?.[1];
    const delay = options.delayMs === undefined ? {} : { delayMs: options.delayMs };
    if (first === undefined) return { text: NOT_IN_PASSAGES, ...delay };
    const text = (first.match(/[^.!?]+[.!?]+/g) ?? [first])
      .slice(0, options.sentences ?? 2)
      .map((s) => `${s.trim().replace(/[.!?]+$/, "")} [1].`)
      .join(" ");
    return { text, ...delay };
  };
}
