import { extname } from "node:path";
import { UserError } from "../../errors.js";

/** The formats an article may arrive in. */
export type ArticleFormat = "markdown" | "text" | "html" | "pdf";

const BY_EXTENSION: Readonly<Record<string, ArticleFormat>> = {
  ".md": "markdown",
  ".markdown": "markdown",
  ".txt": "text",
  ".html": "html",
  ".htm": "html",
  ".xhtml": "html",
  ".pdf": "pdf",
};

const BY_MIME_TYPE: Readonly<Record<string, ArticleFormat>> = {
  "text/markdown": "markdown",
  "text/x-markdown": "markdown",
  "text/plain": "text",
  "text/html": "html",
  "application/xhtml+xml": "html",
  "application/pdf": "pdf",
};

/** The MIME type without parameters, lower-cased: `text/html; charset=utf-8` → `text/html`. */
export function mimeType(contentType: string | null): string | null {
  const type = contentType?.split(";")[0]?.trim().toLowerCase();
  return type ? type : null;
}

/** The `charset` parameter of a content type, lower-cased, or null. */
export function charsetOf(contentType: string | null): string | null {
  const m = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? "");
  return m?.[1]?.toLowerCase() ?? null;
}

/** The format for a MIME type, or null when it is not one an article may have. */
export function formatOfMimeType(contentType: string | null): ArticleFormat | null {
  const type = mimeType(contentType);
  return type === null ? null : (BY_MIME_TYPE[type] ?? null);
}

/** The format a file name's extension names, or null. */
export function formatOfName(name: string): ArticleFormat | null {
  return BY_EXTENSION[extname(name).toLowerCase()] ?? null;
}

/** The usual extension of each format, for names made from a link. */
export const FORMAT_EXTENSION: Readonly<Record<ArticleFormat, string>> = {
  markdown: ".md",
  text: ".txt",
  html: ".html",
  pdf: ".pdf",
};

/**
 * The article's format: the file name's extension when it is a known one (Discord often sends a
 * `.md` file as `text/plain`, so the name is the better witness), else the content type.
 * Anything else is refused with ARTICLE_FORMAT.
 */
export function articleFormat(name: string, contentType: string | null): ArticleFormat {
  const byName = formatOfName(name);
  if (byName) return byName;
  const byType = formatOfMimeType(contentType);
  if (byType) return byType;
  const what = extname(name) ? `"${extname(name)}" files` : `"${mimeType(contentType) ?? "untyped"}" content`;
  throw new UserError(
    "ARTICLE_FORMAT",
    `Passage cannot read ${what} as an article: send a .md, .txt, .html or .pdf file.`,
  );
}
