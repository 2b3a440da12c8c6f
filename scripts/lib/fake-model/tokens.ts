/**
 * Splits a reply into stream chunks the way a model's tokens arrive: each word with the
 * whitespace before it, so joining the chunks gives the text back exactly.
 */
export function splitIntoChunks(text: string): string[] {
  return text.match(/\s*\S+|\s+$/g) ?? (text === "" ? [] : [text]);
}

/** A rough, deterministic token count for `usage`: words and punctuation marks. */
export function countTokens(text: string): number {
  return text.match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu)?.length ?? 0;
}
