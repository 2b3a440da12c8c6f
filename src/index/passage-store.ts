import { Document } from "@langchain/core/documents";
import type { Passage, PassageMetadata } from "../corpus/passage.js";
import type { Span } from "../corpus/sentences.js";
import { at } from "./checked-at.js";
import {
  ARTICLE_FIELDS,
  type ArticleRow,
  articleRow,
  MAX_LABEL,
  PASSAGE_FIELDS,
  type PassageRow,
  passageRow,
  passagesFile,
} from "./passage-rows.js";
import { validate } from "./validate.js";

/** Passages in index order, each with its HNSW label. */
export interface StoredPassages {
  readonly passages: readonly Passage[];
  /** `labels[i]` is the label of passage i's vector in the graph. */
  readonly labels: Uint32Array;
}

/** passages.json's text for `passages`, whose vectors have `labels` in the graph (layout in passage-rows.ts). */
export function encodePassages(passages: readonly Passage[], labels: Uint32Array): string {
  const articles: ArticleRow[] = [];
  const articleIndex = new Map<string, number>();
  const rows: PassageRow[] = passages.map((p, i) => {
    const m = p.metadata;
    const key = `${m.source}\0${m.title}\0${m.url ?? ""}\0${m.url === null ? 0 : 1}`;
    let a = articleIndex.get(key);
    if (a === undefined) {
      a = articles.length;
      articleIndex.set(key, a);
      articles.push([m.source, m.title, m.url]);
    }
    return [
      a,
      at(labels, i),
      m.id,
      m.paragraph,
      m.paragraphEnd,
      m.start,
      m.end,
      m.sentences.flatMap((s) => [s.start, s.end]),
      p.pageContent,
    ];
  });
  return JSON.stringify({ articles, passages: rows });
}

/**
 * Reads passages.json's text. Throws an Error saying what is wrong when the text is not valid
 * JSON, does not fit the schemas of passage-rows.ts, or does not hold `expected` passages.
 *
 * The schemas say what the file holds and explain what is wrong with a part that does not fit.
 * A start reads every row, though, and zod takes 1.5 µs a row (30 ms of a 350 ms start at
 * 20,000 passages), so each part is first read by hand, checking the same shape as it goes,
 * and zod is asked only about a part that reading refuses. A test checks that they agree.
 */
export function decodePassages(text: string, expected: number): StoredPassages {
  const parsed: unknown = JSON.parse(text);
  const file = isPassagesFile(parsed) ? parsed : validate(passagesFile, parsed);
  if (file.passages.length !== expected)
    throw new Error(`it holds ${file.passages.length} passages, not the ${expected} its manifest lists`);
  const articles = file.articles.map((row, i) =>
    isArticleRow(row) ? row : validate(articleRow, row, (path) => rowName("article", i, path, ARTICLE_FIELDS)),
  );
  const labels = new Uint32Array(file.passages.length);
  const passages = file.passages.map(
    (row, i): Passage => readPassage(row, i, articles, labels) ?? refuse(row, i, articles),
  );
  return { passages, labels };
}

function isPassagesFile(file: unknown): file is { articles: unknown[]; passages: unknown[] } {
  if (typeof file !== "object" || file === null) return false;
  const { articles, passages } = file as Record<string, unknown>;
  return Array.isArray(articles) && Array.isArray(passages);
}

function isArticleRow(row: unknown): row is ArticleRow {
  return (
    Array.isArray(row) &&
    row.length === 3 &&
    typeof row[0] === "string" &&
    typeof row[1] === "string" &&
    (row[2] === null || typeof row[2] === "string")
  );
}

/**
 * Passage `i` of its row, its label written to `labels[i]`; null when the row does not fit
 * {@link passageRow} or names no article. Values are checked where they are read, by index
 * (destructuring goes through the iterator protocol): this runs for every passage at every start.
 */
function readPassage(row: unknown, i: number, articles: readonly ArticleRow[], labels: Uint32Array): Passage | null {
  if (!Array.isArray(row) || row.length !== 9) return null;
  const r: unknown[] = row;
  const a = r[0];
  const label = r[1];
  const id = r[2];
  const spans = r[7];
  const pageContent = r[8];
  if (!isCount(a) || !isCount(label) || label > MAX_LABEL || typeof id !== "string") return null;
  // typeof suffices where zod asks for a finite number: JSON holds no NaN or Infinity.
  const paragraph = r[3];
  const paragraphEnd = r[4];
  const start = r[5];
  const end = r[6];
  if (typeof paragraph !== "number" || typeof paragraphEnd !== "number") return null;
  if (typeof start !== "number" || typeof end !== "number") return null;
  if (!Array.isArray(spans) || typeof pageContent !== "string") return null;
  const sentences: Span[] = [];
  for (let s = 0; s < spans.length; s += 2) {
    // An odd count leaves the last end undefined, which is refused too.
    const from: unknown = spans[s];
    const to: unknown = spans[s + 1];
    if (typeof from !== "number" || typeof to !== "number") return null;
    sentences.push({ start: from, end: to });
  }
  const article = articles[a];
  if (!article) return null;
  labels[i] = label;
  const metadata = {
    id,
    source: article[0],
    title: article[1],
    url: article[2],
    paragraph,
    paragraphEnd,
    start,
    end,
    sentences,
  } satisfies PassageMetadata;
  return new Document({ pageContent, metadata, id });
}

/** Throws why row `i`, which readPassage refused, is not a passage. */
function refuse(row: unknown, i: number, articles: readonly ArticleRow[]): never {
  const r = validate(passageRow, row, (path) => rowName("passage", i, path, PASSAGE_FIELDS));
  if (!articles[r[0]]) throw new Error(`passage ${i}'s article ${r[0]} is not among the ${articles.length} articles`);
  // readPassage and the schema disagree: a bug here, not damage to the file.
  throw new Error(`passage ${i} fits the schema but was not read`);
}

function isCount(x: unknown): x is number {
  return Number.isSafeInteger(x) && (x as number) >= 0;
}

/** `passage 12`, `passage 12's label`, `passage 12's sentences[3]`. */
function rowName(kind: string, i: number, path: readonly PropertyKey[], fields: readonly string[]): string {
  const [field, ...rest] = path;
  if (field === undefined) return `${kind} ${i}`;
  const name = typeof field === "number" ? (fields[field] ?? `field ${field}`) : String(field);
  return `${kind} ${i}'s ${name}${rest.map((k) => `[${String(k)}]`).join("")}`;
}
