import { z } from "zod";
import { rowSchemas } from "../rows.js";

/**
 * Passage ids stored as a JSON array. A damaged value reads as none (every passage then counts
 * as new in the next briefing, /gaps shows no passages) rather than stopping the caller.
 */
const PASSAGE_IDS = z.string().transform((json) => {
  try {
    const ids: unknown = JSON.parse(json);
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === "string") : [];
  } catch {
    return [];
  }
});

/** The shared rows as better-sqlite3 returns them: times as ISO text, id lists as JSON, flags as 0/1. */
export const ROWS = rowSchemas({
  time: z.string(),
  ids: PASSAGE_IDS,
  flag: z
    .number()
    .int()
    .transform((n) => n !== 0),
  // GROUP_CONCAT of the comments, one per line.
  comments: z
    .string()
    .nullable()
    .transform((joined) => (joined === null ? [] : joined.split("\n"))),
});
