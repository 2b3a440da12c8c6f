import { basename } from "node:path";
import { UserError } from "../../errors.js";
import { parseArticle } from "../load-corpus.js";
import { splitArticle } from "../split-passages.js";
import { articleFormat, charsetOf } from "./article-format.js";
import { bodyChecksum } from "./body-checksum.js";
import { decodeText } from "./decode-text.js";
import { articleFileName } from "./file-name.js";
import { withFrontMatter } from "./front-matter.js";
import { humanSize } from "./human-size.js";
import type { ConvertedArticle, ConvertLimits, ExtractedArticle, IncomingArticle } from "./incoming-article.js";
import { readHtml } from "./read-html.js";
import { readMarkdown } from "./read-markdown.js";
import { readPdf } from "./read-pdf.js";
import { shownName } from "./shown-name.js";

export type { ConvertedArticle, ConvertLimits, IncomingArticle } from "./incoming-article.js";

/**
 * Turns an incoming file or fetched page into a corpus article: Markdown and plain text as they
 * are (front matter kept, title/url added), HTML through Readability, PDF through its text
 * layer. The result carries YAML front matter, a safe file name, a checksum of the body for
 * duplicate detection, and loads with the corpus loader. Every refusal is a `UserError`:
 * ARTICLE_TOO_LARGE, ARTICLE_FORMAT, ARTICLE_BINARY, ARTICLE_NO_TEXT_LAYER, ARTICLE_UNREADABLE,
 * ARTICLE_EMPTY.
 */
export async function convertArticle(input: IncomingArticle, limits: ConvertLimits): Promise<ConvertedArticle> {
  const name = shownName(input.name);
  if (input.bytes.length > limits.maxBytes) {
    throw new UserError(
      "ARTICLE_TOO_LARGE",
      `"${name}" is ${humanSize(input.bytes.length)}, over the ${humanSize(limits.maxBytes)} limit for an article (CORPUS_MAX_BYTES).`,
    );
  }
  if (input.bytes.length === 0) throw empty(name);
  const format = articleFormat(input.name, input.contentType);
  const extracted = await extract(format, input);
  const body = extracted.body.replace(/\r\n?/g, "\n");
  if (body.trim() === "") throw empty(name);
  const title = extracted.title ?? firstHeading(body) ?? firstShortLine(body) ?? titleFromName(input.name);
  const sourceUrl = input.sourceUrl ?? extracted.url;
  const markdown = withFrontMatter(
    { title, author: extracted.author, date: extracted.date, url: sourceUrl, extra: extracted.extra },
    body,
  );
  const fileName = articleFileName(title, basename(input.name).replace(/\.[^.]*$/, ""));
  return {
    title,
    author: extracted.author,
    date: extracted.date,
    sourceUrl,
    markdown,
    fileName,
    checksum: bodyChecksum(body),
    paragraphs: countParagraphs(fileName, markdown, name),
  };
}

function extract(
  format: ReturnType<typeof articleFormat>,
  input: IncomingArticle,
): Promise<ExtractedArticle> | ExtractedArticle {
  switch (format) {
    case "pdf":
      return readPdf(input.bytes, input.name);
    case "html":
      return readHtml(decodeText(input.bytes, input.name, htmlCharset(input)), input.name, input.sourceUrl);
    case "markdown":
    case "text":
      return readMarkdown(decodeText(input.bytes, input.name, charsetOf(input.contentType)), input.name);
  }
}

/** The charset of a page: the Content-Type header's, else the page's own `<meta charset>`. */
function htmlCharset(input: IncomingArticle): string | null {
  const declared = charsetOf(input.contentType);
  if (declared) return declared;
  const head = Buffer.from(input.bytes.subarray(0, 2048)).toString("latin1");
  return /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(head)?.[1]?.toLowerCase() ?? null;
}

/**
 * Paragraphs as the corpus loader will see them; the article is parsed and split exactly as a
 * reindex will, so a file that would be skipped is refused here instead.
 */
function countParagraphs(fileName: string, markdown: string, name: string): number {
  let paragraphs = 0;
  try {
    const passages = splitArticle(parseArticle(fileName, markdown));
    paragraphs = new Set(passages.map((p) => p.metadata.paragraph)).size;
  } catch (error) {
    throw new UserError("ARTICLE_EMPTY", `"${name}" could not be made into an article.`, { cause: error });
  }
  if (paragraphs === 0) throw empty(name);
  return paragraphs;
}

function firstHeading(body: string): string | null {
  return /^#{1,6}[ \t]+(.+?)[ \t#]*$/m.exec(body)?.[1]?.trim() || null;
}

/** A plain text's first line is its title when it is short and not a sentence that runs on. */
function firstShortLine(body: string): string | null {
  const line = body.trim().split("\n")[0]?.trim() ?? "";
  return line.length > 0 && line.length <= 120 && !/[.,;:]$/.test(line) ? line : null;
}

function titleFromName(name: string): string {
  const words = basename(name)
    .replace(/\.[^.]*$/, "")
    .replace(/[-_]+/g, " ")
    .trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : "Untitled article";
}

function empty(name: string): UserError {
  return new UserError("ARTICLE_EMPTY", `"${name}" has no text to add.`);
}
