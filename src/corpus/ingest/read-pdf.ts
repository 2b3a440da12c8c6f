import { extractTextItems, getDocumentProxy, getMeta } from "unpdf";
import { UserError } from "../../errors.js";
import type { ExtractedArticle } from "./incoming-article.js";
import { shownName } from "./shown-name.js";

/** One line of text as drawn on a page. */
interface TextLine {
  text: string;
  y: number;
  height: number;
}

/**
 * Reads a PDF's text layer with unpdf (PDF.js for servers). Lines are joined into paragraphs:
 * a vertical gap clearly larger than the usual line spacing starts a new one, a word cut by a
 * hyphen at a line's end is joined again. A PDF without text (a scan) is ARTICLE_NO_TEXT_LAYER;
 * one PDF.js cannot open is ARTICLE_BINARY. Title and author come from the document's info.
 */
export async function readPdf(bytes: Uint8Array, name: string): Promise<ExtractedArticle> {
  if (!startsWithPdfMagic(bytes)) throw damaged(name);
  let pages: TextLine[][];
  let info: Record<string, unknown> = {};
  try {
    // PDF.js takes ownership of (detaches) the buffer it is given: hand it a copy.
    // No eval: PDF.js compiles fonts with it when allowed, and a crafted font has run code that way (CVE-2024-4367).
    const document = await getDocumentProxy(bytes.slice(), { isEvalSupported: false, verbosity: 0 });
    try {
      const items = await extractTextItems(document);
      pages = items.items.map((page) => toLines(page));
      const meta = await getMeta(document);
      info = (meta.info ?? {}) as Record<string, unknown>;
    } finally {
      await document.destroy();
    }
  } catch (error) {
    throw damaged(name, error);
  }
  const body = paragraphsOf(pages).join("\n\n");
  if (body.trim() === "") {
    throw new UserError(
      "ARTICLE_NO_TEXT_LAYER",
      `"${shownName(name)}" has no text layer (it is probably a scan): run it through OCR, or send the text as a .md or .txt file.`,
    );
  }
  return {
    title: usefulTitle(text(info.Title)),
    author: text(info.Author),
    date: pdfDate(text(info.CreationDate)),
    url: null,
    extra: {},
    body: `${body}\n`,
  };
}

function startsWithPdfMagic(bytes: Uint8Array): boolean {
  // The header may follow a little junk; readers look in the first kilobyte.
  return Buffer.from(bytes.subarray(0, 1024)).includes("%PDF-");
}

function toLines(items: readonly { str: string; y: number; height: number; hasEOL: boolean }[]): TextLine[] {
  const lines: TextLine[] = [];
  let current: TextLine | null = null;
  for (const item of items) {
    if (current === null) current = { text: "", y: item.y, height: item.height };
    current.text += item.str;
    if (item.hasEOL) {
      lines.push(current);
      current = null;
    }
  }
  if (current) lines.push(current);
  return lines.map((l) => ({ ...l, text: l.text.replace(/\s+/g, " ").trim() }));
}

/** Lines into paragraphs, by the gaps between them. */
function paragraphsOf(pages: TextLine[][]): string[] {
  const paragraphs: string[] = [];
  let current = "";
  const close = () => {
    if (current.trim()) paragraphs.push(current.trim());
    current = "";
  };
  for (const page of pages) {
    const spacing = usualSpacing(page);
    let previous: TextLine | null = null;
    for (const line of page) {
      if (line.text === "") {
        close();
        previous = null;
        continue;
      }
      const gap = previous ? previous.y - line.y : 0;
      if (previous && (gap > spacing * 1.5 || gap < 0)) close();
      current = join(current, line.text);
      previous = line;
    }
    // A paragraph runs on to the next page unless this one ended a sentence.
    if (/[.!?:"”’)]$/.test(current.trim())) close();
  }
  close();
  return paragraphs;
}

/**
 * The most common positive distance between consecutive lines of a page. With too few lines
 * for a common distance to mean anything (two one-line paragraphs), the font's usual line
 * height stands in, so a blank line between them still separates them.
 */
function usualSpacing(page: TextLine[]): number {
  const fallback = (page[0]?.height ?? 12) * 1.25;
  const counts = new Map<number, number>();
  for (let i = 1; i < page.length; i++) {
    const a = page[i - 1];
    const b = page[i];
    if (!a || !b || !a.text || !b.text) continue;
    const gap = Math.round(a.y - b.y);
    if (gap > 0) counts.set(gap, (counts.get(gap) ?? 0) + 1);
  }
  let best = 0;
  let bestCount = 0;
  for (const [gap, count] of counts) {
    if (count > bestCount || (count === bestCount && gap < best)) {
      best = gap;
      bestCount = count;
    }
  }
  return bestCount >= 2 ? best : Math.min(best || fallback, fallback);
}

function join(paragraph: string, line: string): string {
  if (paragraph === "") return line;
  // "infor-" + "mation" → "information"; "well-" + "Known" stays hyphenated.
  if (/[a-z]-$/.test(paragraph) && /^[a-z]/.test(line)) return paragraph.slice(0, -1) + line;
  return `${paragraph} ${line}`;
}

function text(value: unknown): string | null {
  return typeof value === "string" && value.trim() ? value.replace(/\s+/g, " ").trim() : null;
}

/** A PDF's Title unless it is a placeholder a program wrote ("Untitled", "Microsoft Word - draft.docx"). */
function usefulTitle(title: string | null): string | null {
  if (title === null) return null;
  return /^(untitled|microsoft word - |document\d*$)|\.(docx?|pdf|odt|rtf|tex)$/i.test(title) ? null : title;
}

/** `D:20230618101500+00'00'` → `2023-06-18`. */
function pdfDate(value: string | null): string | null {
  const m = /^(?:D:)?(\d{4})(\d{2})(\d{2})/.exec(value ?? "");
  return m ? `${m[1]}-${m[2]}-${m[3]}` : null;
}

function damaged(name: string, cause?: unknown): UserError {
  return new UserError(
    "ARTICLE_BINARY",
    `"${shownName(name)}" could not be read as a PDF (it is damaged, encrypted or not a PDF).`,
    cause === undefined ? {} : { cause },
  );
}
