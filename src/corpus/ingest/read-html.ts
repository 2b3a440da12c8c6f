import { Readability } from "@mozilla/readability";
import { parseHTML } from "linkedom";
import { UserError } from "../../errors.js";
import type { ExtractedArticle } from "./incoming-article.js";
import { shownName } from "./shown-name.js";

/** Below this many characters of text, what Readability kept is a fragment (a cookie notice, a menu), not an article. */
const MIN_ARTICLE_CHARS = 200;

/**
 * Reads a web page's main article with Mozilla's Readability (the engine of Firefox's reader
 * view) over linkedom: navigation, ads, scripts and sidebars are dropped, and the article's
 * headings, paragraphs, list items and quotes become Markdown, one paragraph a line.
 * A page with no text is ARTICLE_EMPTY; one whose text is not an article is ARTICLE_UNREADABLE.
 */
export function readHtml(html: string, name: string, sourceUrl: string | null): ExtractedArticle {
  // A fragment (no <html>) is given a document around it, as a browser would.
  const { document } = parseHTML(/<html[\s>]/i.test(html) ? html : `<!doctype html><html><body>${html}</body></html>`);
  const pageText = normaliseSpace(document.body?.textContent ?? document.documentElement?.textContent ?? "");
  if (pageText === "") throw empty(name);
  const canonical = linkHref(document, 'link[rel="canonical"]') ?? metaContent(document, 'meta[property="og:url"]');
  const published =
    metaContent(document, 'meta[property="article:published_time"]') ??
    metaContent(document, 'meta[name="date"]') ??
    metaContent(document, 'meta[itemprop="datePublished"]') ??
    document.querySelector("time[datetime]")?.getAttribute("datetime") ??
    null;
  // Readability changes the document it reads; everything wanted from the page is read above.
  const parsed = new Readability(document as unknown as ConstructorParameters<typeof Readability>[0], {
    charThreshold: MIN_ARTICLE_CHARS,
  }).parse();
  const content = parsed?.content ?? "";
  const author = clean(parsed?.byline);
  const body = content ? withoutByline(htmlToMarkdown(content), author) : "";
  if (normaliseSpace(body.replace(/^#+ /gm, "")).length < MIN_ARTICLE_CHARS) {
    throw new UserError(
      "ARTICLE_UNREADABLE",
      `No readable article was found in "${shownName(name)}" (only menus, links or fragments): send the article's own page, or its text as a .md or .txt file.`,
    );
  }
  return {
    title: clean(parsed?.title),
    author,
    date: isoDate(clean(parsed?.publishedTime) ?? published),
    url: sourceUrl ?? canonical,
    extra: {},
    body,
  };
}

/** The body without a first line that only repeats the author ("By Maren Holt"): it is front matter now. */
function withoutByline(body: string, author: string | null): string {
  if (author === null) return body;
  const [first = "", ...rest] = body.split("\n\n");
  const byline = first.replace(/^(by|von|par|por|door)\s+/i, "").trim();
  return byline.toLowerCase() === author.toLowerCase().replace(/^(by|von|par|por|door)\s+/i, "")
    ? rest.join("\n\n")
    : body;
}

/** Block elements whose text is one paragraph of the article. */
const BLOCKS = new Set(["P", "LI", "BLOCKQUOTE", "PRE", "H1", "H2", "H3", "H4", "H5", "H6", "DT", "DD", "FIGCAPTION"]);

/**
 * Readability's cleaned article HTML as Markdown: one line per block (headings as `#`, list
 * items as `-`, quotes as `>`), blank lines between, inline markup reduced to its text. Text
 * directly inside a container (a `div` with bare text) is a paragraph too.
 */
export function htmlToMarkdown(html: string): string {
  // A line break inside a paragraph separates words; textContent alone would glue them together.
  const { document } = parseHTML(`<!doctype html><html><body>${html.replace(/<br\s*\/?>/gi, " ")}</body></html>`);
  const lines: string[] = [];
  const walk = (node: Node): void => {
    let loose = "";
    const flush = () => {
      const text = normaliseSpace(loose);
      if (text) lines.push(text);
      loose = "";
    };
    for (const child of Array.from(node.childNodes)) {
      if (child.nodeType === 3) {
        loose += child.textContent ?? "";
        continue;
      }
      if (child.nodeType !== 1) continue;
      const el = child as Element;
      if (BLOCKS.has(el.tagName) && !hasBlockChild(el)) {
        flush();
        const text = normaliseSpace(el.textContent ?? "");
        if (text) lines.push(prefix(el.tagName) + text);
      } else if (isInline(el)) {
        loose += el.textContent ?? "";
      } else {
        flush();
        walk(el);
      }
    }
    flush();
  };
  if (document.body) walk(document.body);
  return `${lines.join("\n\n")}\n`;
}

interface Node {
  readonly nodeType: number;
  readonly textContent: string | null;
  readonly childNodes: ArrayLike<Node>;
}
interface Element extends Node {
  readonly tagName: string;
  readonly children: ArrayLike<Element>;
}

function hasBlockChild(el: Element): boolean {
  return Array.from(el.children).some((c) => BLOCKS.has(c.tagName) || c.tagName === "DIV" || c.tagName === "UL");
}

const INLINE = new Set([
  "A",
  "ABBR",
  "B",
  "BDI",
  "BDO",
  "CITE",
  "CODE",
  "DATA",
  "DFN",
  "EM",
  "I",
  "KBD",
  "MARK",
  "Q",
  "S",
  "SAMP",
  "SMALL",
  "SPAN",
  "STRONG",
  "SUB",
  "SUP",
  "TIME",
  "U",
  "VAR",
  "BR",
  "WBR",
  "DEL",
  "INS",
]);

function isInline(el: Element): boolean {
  return INLINE.has(el.tagName);
}

function prefix(tag: string): string {
  if (/^H[1-6]$/.test(tag)) return `${"#".repeat(Number(tag.slice(1)))} `;
  if (tag === "LI") return "- ";
  if (tag === "BLOCKQUOTE") return "> ";
  return "";
}

/** Whitespace runs (newlines, tabs, no-break spaces) become one space; the ends are trimmed. */
export function normaliseSpace(text: string): string {
  return text.replace(/[\s\u00A0]+/g, " ").trim();
}

function clean(value: string | null | undefined): string | null {
  const text = normaliseSpace(value ?? "");
  return text === "" ? null : text;
}

/** `2023-06-18T10:00:00Z` → `2023-06-18`; any other text is kept as it is. */
export function isoDate(value: string | null): string | null {
  if (value === null) return null;
  const m = /^(\d{4}-\d{2}-\d{2})/.exec(value.trim());
  return m?.[1] ?? (value.trim() || null);
}

interface Queryable {
  querySelector(selector: string): { getAttribute(name: string): string | null } | null;
}

function metaContent(document: Queryable, selector: string): string | null {
  return clean(document.querySelector(selector)?.getAttribute("content"));
}

function linkHref(document: Queryable, selector: string): string | null {
  const href = clean(document.querySelector(selector)?.getAttribute("href"));
  return href && /^https?:\/\//i.test(href) ? href : null;
}

function empty(name: string): UserError {
  return new UserError("ARTICLE_EMPTY", `"${shownName(name)}" has no text to add.`);
}
