import { parse as parseYaml } from "yaml";
import { UserError } from "../../errors.js";
import type { ExtractedArticle } from "./incoming-article.js";
import { shownName } from "./shown-name.js";

const FRONT_MATTER = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;
const KNOWN_KEYS = new Set(["title", "author", "date", "url"]);

/**
 * Reads a Markdown or plain-text article as it is: its front matter (when present) gives the
 * title, author, date and url, and any other keys are kept; the body is left untouched, since
 * the corpus loader reads Markdown directly. Line endings become `\n`.
 */
export function readMarkdown(text: string, name: string): ExtractedArticle {
  const content = text.replace(/\r\n?/g, "\n");
  let meta: Record<string, unknown> = {};
  let body = content;
  const fm = FRONT_MATTER.exec(content);
  if (fm) {
    let parsed: unknown;
    try {
      parsed = parseYaml(fm[1] ?? "");
    } catch {
      throw badFrontMatter(name, "is not valid YAML");
    }
    if (parsed !== null && parsed !== undefined) {
      if (typeof parsed !== "object" || Array.isArray(parsed)) throw badFrontMatter(name, "is not a list of fields");
      meta = parsed as Record<string, unknown>;
    }
    body = content.slice(fm[0].length);
  } else if (content.startsWith("---\n")) {
    throw badFrontMatter(name, "opens with --- but never closes");
  }
  const extra = Object.fromEntries(Object.entries(meta).filter(([key]) => !KNOWN_KEYS.has(key)));
  return {
    title: field(meta, "title"),
    author: field(meta, "author"),
    date: field(meta, "date"),
    url: field(meta, "url"),
    extra,
    body,
  };
}

function field(meta: Record<string, unknown>, key: string): string | null {
  const value = meta[key];
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === "string" || typeof value === "number") return String(value).trim() || null;
  return null;
}

function badFrontMatter(name: string, why: string): UserError {
  return new UserError(
    "ARTICLE_FORMAT",
    `The front matter of "${shownName(name)}" ${why}: fix the lines between the two --- and try again.`,
  );
}
