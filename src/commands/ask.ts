import type { Answer, OnPartialAnswer } from "../answer/answer.js";
import { UserError } from "../errors.js";
import { isOverviewRequest, overview } from "./overview.js";
import type { Services } from "./services.js";

/** Longest question accepted, in characters (Discord's option is capped to the same). */
export const MAX_QUESTION_CHARS = 500;

/**
 * Tidies a question as typed: control characters removed, white space collapsed. Throws a
 * `UserError` for an empty question or one longer than `MAX_QUESTION_CHARS`.
 */
export function cleanQuestion(raw: string): string {
  const question = tidyLine(raw);
  if (question.length === 0) {
    throw new UserError(
      "EMPTY_QUESTION",
      "Please ask a question about the articles, for example: “What are the main issues between the US and China?”",
    );
  }
  if (question.length > MAX_QUESTION_CHARS) {
    throw new UserError(
      "QUESTION_TOO_LONG",
      `That question is ${question.length} characters long; please keep it under ${MAX_QUESTION_CHARS}.`,
    );
  }
  return question;
}

/** Text as one tidy line: control and invisible characters removed, white space collapsed. */
export function tidyLine(raw: string): string {
  return (
    raw
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this removes
      .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]/g, " ")
      .replace(/\s+/g, " ")
      .trim()
  );
}

/**
 * Answers a question from the served index, with citations, or abstains. A request for an
 * overview ("what is this article about?", "tl;dr") gets the corpus's key points instead. With
 * a model configured the answer is generated and verified, and `onPartial` sees each verified
 * sentence as it is written; without one it is quoted.
 */
export async function ask(services: Services, raw: string, onPartial?: OnPartialAnswer): Promise<Answer> {
  const question = cleanQuestion(raw);
  if (isOverviewRequest(question)) return overview(services, question);
  const generator = services.generator();
  if (generator) return generator.answer(question, onPartial);
  return services.answerer().answer(question);
}
