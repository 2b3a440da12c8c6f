import { createHash } from "node:crypto";
import { Document } from "@langchain/core/documents";
import type { Article } from "./article.js";
import type { Passage, PassageMetadata } from "./passage.js";
import { type Span, splitSentences } from "./sentences.js";

/** How articles are cut into passages. */
export interface SplitOptions {
  /** A paragraph longer than this is cut between sentences into several passages. */
  readonly maxChars: number;
  /**
   * No passage is longer than this: a sentence that runs on past it (an article with no
   * sentence-ending punctuation) is cut at the last word boundary before it, so the work any
   * one passage costs (scoring, rendering, quoting) stays bounded.
   */
  readonly maxPassageChars?: number;
}

/**
 * 4,000 characters: well above the longest paragraph in corpus/ and the test corpora (about
 * 1,150), so indexes built from ordinary articles are cut exactly as before.
 */
export const DEFAULT_SPLIT_OPTIONS = {
  maxChars: 1000,
  maxPassageChars: 4000,
} as const satisfies Required<SplitOptions>;

/**
 * Cuts an article into passages along paragraph lines (one paragraph per non-empty line),
 * and cuts long paragraphs between sentences (and a sentence longer than `maxPassageChars`
 * between words). Markdown headings and rules are structure, not
 * text, and are left out. Every passage's offsets reproduce its text from the source file.
 */
export function splitArticle(article: Article, options: SplitOptions = DEFAULT_SPLIT_OPTIONS): Passage[] {
  const passages: Passage[] = [];
  const seen = new Map<string, number>();
  let paragraph = 0;
  for (const line of paragraphLines(article.content, article.bodyStart)) {
    if (isStructure(article.content.slice(line.start, line.end))) continue;
    paragraph++;
    const maxPassage = options.maxPassageChars ?? DEFAULT_SPLIT_OPTIONS.maxPassageChars;
    const sentences = splitSentences(article.content, line.start, line.end).flatMap((s) =>
      cutAtWords(article.content, s, maxPassage),
    );
    for (const group of groupSentences(sentences, options.maxChars)) {
      const first = group[0];
      const last = group[group.length - 1];
      if (!first || !last) continue;
      const text = article.content.slice(first.start, last.end);
      const baseId = passageId(article.source, text);
      // The same text twice in one article still needs two ids; the n-th copy gets a suffix.
      const copies = (seen.get(baseId) ?? 0) + 1;
      seen.set(baseId, copies);
      const metadata: PassageMetadata = {
        id: copies === 1 ? baseId : `${baseId}-${copies}`,
        source: article.source,
        title: article.title,
        url: article.url,
        paragraph,
        paragraphEnd: paragraph,
        start: first.start,
        end: last.end,
        sentences: group,
      };
      passages.push(new Document({ pageContent: text, metadata, id: metadata.id }));
    }
  }
  return passages;
}

/** A stable id: the first 16 hex digits of SHA-256 over the source name and the passage text. */
export function passageId(source: string, text: string): string {
  return createHash("sha256").update(source).update("\0").update(text).digest("hex").slice(0, 16);
}

function* paragraphLines(content: string, from: number): Generator<Span> {
  let start = from;
  while (start < content.length) {
    let end = content.indexOf("\n", start);
    if (end === -1) end = content.length;
    let lineEnd = end;
    if (content[lineEnd - 1] === "\r") lineEnd--;
    let s = start;
    while (s < lineEnd && /\s/.test(content[s] ?? "")) s++;
    let e = lineEnd;
    while (e > s && /\s/.test(content[e - 1] ?? "")) e--;
    if (e > s) yield { start: s, end: e };
    start = end + 1;
  }
}

function isStructure(line: string): boolean {
  return /^#{1,6}\s/.test(line) || /^([-*_])(\s*\1){2,}$/.test(line) || /^!\[[^\]]*\]\([^)]*\)$/.test(line);
}

function groupSentences(sentences: readonly Span[], maxChars: number): Span[][] {
  const groups: Span[][] = [];
  let current: Span[] = [];
  for (const s of sentences) {
    const first = current[0];
    if (first && s.end - first.start > maxChars) {
      groups.push(current);
      current = [];
    }
    current.push(s);
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/**
 * A span longer than `max` as consecutive pieces of at most `max` characters, each ending at
 * the last white space that fits (or exactly at `max` in a run with no space at all, never
 * inside a surrogate pair), with the white space between pieces left out.
 */
export function cutAtWords(text: string, span: Span, max: number): Span[] {
  if (span.end - span.start <= max) return [span];
  const pieces: Span[] = [];
  let start = span.start;
  while (span.end - start > max) {
    let cut = start + max;
    // The last white space at or before the limit; a piece is never cut inside a word if it can be helped.
    let space = cut;
    while (space > start && !/\s/.test(text[space] ?? "")) space--;
    if (space > start) cut = space;
    else if (/[\uDC00-\uDFFF]/.test(text[cut] ?? "")) cut--;
    let end = cut;
    while (end > start && /\s/.test(text[end - 1] ?? "")) end--;
    pieces.push({ start, end });
    start = cut;
    while (start < span.end && /\s/.test(text[start] ?? "")) start++;
  }
  if (span.end > start) pieces.push({ start, end: span.end });
  return pieces;
}
