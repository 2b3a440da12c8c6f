import { parse as parseYaml } from "yaml";
import { bodyChecksum as checksumOfBody } from "../corpus/ingest/body-checksum.js";
import { parseArticle } from "../corpus/load-corpus.js";

/** Longest preview line, in characters: fits a Discord embed line and a terminal. */
export const PREVIEW_CHARS = 160;

/**
 * The checksum of an article file's body, as `convertArticle` computes a new article's: the same
 * text saved with other line breaks or front matter counts as a duplicate, whichever way the
 * file already in the folder arrived (added here, or put there by hand).
 */
export function bodyChecksum(source: string, content: string): string {
  const article = parseArticle(source, content);
  return checksumOfBody(content.slice(article.bodyStart));
}

/** The front matter of a Markdown file, each scalar value as text (nested values as YAML). */
export function frontMatterOf(content: string): Record<string, string> {
  const match = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(content);
  if (!match) return {};
  let parsed: unknown;
  try {
    parsed = parseYaml(match[1] ?? "");
  } catch {
    return {};
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return {};
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (value === null || value === undefined) continue;
    out[key] =
      value instanceof Date
        ? value.toISOString().slice(0, 10)
        : typeof value === "object"
          ? JSON.stringify(value)
          : String(value);
  }
  return out;
}

/** The first paragraph of an article's body that is not a heading, whitespace collapsed. */
export function firstParagraph(source: string, content: string): string {
  const article = parseArticle(source, content);
  const paragraphs = content
    .slice(article.bodyStart)
    .split(/\r?\n[ \t]*\r?\n/)
    .map((p) => p.replace(/\s+/g, " ").trim())
    .filter((p) => p.length > 0);
  return paragraphs.find((p) => !p.startsWith("#")) ?? paragraphs[0] ?? "";
}

/** `text` on one line, cut on a word boundary to `max` characters with an ellipsis. */
export function oneLine(text: string, max: number = PREVIEW_CHARS): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
