import { MAX_QUESTION_CHARS } from "../../commands/ask.js";
import { UserError } from "../../errors.js";

/** Longest "what was wrong?" comment accepted, in characters: as long as a question. */
export const MAX_COMMENT_CHARS = MAX_QUESTION_CHARS;

/**
 * Tidies a comment as typed, like a question: control characters removed, white space
 * collapsed to one line. Returns "" for an empty one (the comment is optional); throws a
 * `UserError` for one longer than `MAX_COMMENT_CHARS`.
 */
export function cleanComment(raw: string): string {
  const comment = raw
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this removes
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  if (comment.length > MAX_COMMENT_CHARS)
    throw new UserError(
      "COMMENT_TOO_LONG",
      `That comment is ${comment.length} characters long; please keep it under ${MAX_COMMENT_CHARS}.`,
    );
  return comment;
}
