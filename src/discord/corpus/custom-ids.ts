import { createHash } from "node:crypto";

/**
 * The custom ids of `/corpus`'s buttons. Like the feedback buttons' they carry everything the
 * press needs, so a press after a restart still works: nothing is kept in memory.
 *
 * | custom id | component | what it does |
 * |---|---|---|
 * | `corpus-page:<n>` | ◀ / ▶ under `/corpus list` | shows page `n` (from 1) in place |
 * | `corpus-remove:<key>` | *Remove* under `/corpus remove`'s question | removes the article whose key this is, then reindexes |
 * | `corpus-cancel` | *Keep it* under the same question | changes nothing |
 *
 * An article's key is the start of the SHA-256 of its source path: a source may be longer than a
 * custom id allows (100 characters) or hold the `:` that separates its parts.
 */
export const CORPUS_ID = {
  page: "corpus-page",
  remove: "corpus-remove",
  cancel: "corpus-cancel",
} as const;

/** Hex characters of the source's hash in a custom id: 80 bits, no collision in any real corpus. */
const KEY_CHARS = 20;

/** The key of an article's source in a custom id. */
export function articleKey(source: string): string {
  return createHash("sha256").update(source, "utf8").digest("hex").slice(0, KEY_CHARS);
}

/** The custom id of a page button. */
export function pageId(page: number): string {
  return `${CORPUS_ID.page}:${page}`;
}

/** The custom id of the button that confirms removing `source`. */
export function removeId(source: string): string {
  return `${CORPUS_ID.remove}:${articleKey(source)}`;
}
