import type { Answer, OnPartialAnswer } from "../answer/answer.js";
import { ask, cleanQuestion } from "./ask.js";
import type { Services } from "./services.js";

/**
 * The follow-up as understood in the context of the previous question. (Placeholder: the
 * previous question's words are carried over; the resolution rules come next.)
 */
export function resolveFollowUp(previous: string, followUp: string): string {
  return `${cleanQuestion(followUp)} (after: ${cleanQuestion(previous)})`;
}

/** Answers a follow-up in the context of the previous question; the answer's question is the one understood. */
export async function askFollowUp(
  services: Services,
  previous: string,
  raw: string,
  onPartial?: OnPartialAnswer,
): Promise<Answer> {
  return ask(services, resolveFollowUp(previous, raw), onPartial);
}
