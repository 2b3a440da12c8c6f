/**
 * The keys of `npm run ask -- --json`'s object, in the order its --help promises: programs
 * read them, so every test of the JSON checks against this one list.
 */
export const ANSWER_JSON_KEYS = [
  "question",
  "kind",
  "abstained",
  "answer",
  "citations",
  "mode",
  "model",
  "removed",
] as const;
