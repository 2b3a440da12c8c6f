import { Document } from "@langchain/core/documents";
import type { Passage, PassageMetadata } from "../corpus/passage.js";
import type { Span } from "../corpus/sentences.js";

/**
 * passages.json: every passage with its provenance and the HNSW label of its vector. Rows are
 * arrays, and an article's source, title and URL are stored once, not in every passage: at
 * 100,000 passages that makes the file a third smaller and parsing it twice as fast as an
 * array of objects.
 *
 * ```json
 * {"articles": [["source.md", "Title", null]],
 *  "passages": [[article, label, "id", paragraph, paragraphEnd, start, end, [s0, e0, s1, e1], "text"]]}
 * ```
 */
type ArticleRow = [source: string, title: string, url: string | null];
type PassageRow = [
  article: number,
  label: number,
  id: string,
  paragraph: number,
  paragraphEnd: number,
  start: number,
  end: number,
  sentences: number[],
  text: string,
];

/** Passages in index order, each with its HNSW label. */
export interface StoredPassages {
  readonly passages: readonly Passage[];
  /** `labels[i]` is the label of passage i's vector in the graph. */
  readonly labels: Uint32Array;
}

/** passages.json's text for `passages`, whose vectors have `labels` in the graph. */
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
      labels[i] ?? 0,
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
 * JSON, is not of this shape, or does not hold `expected` passages.
 */
export function decodePassages(text: string, expected: number): StoredPassages {
  const parsed = JSON.parse(text) as unknown;
  const { articles, passages: rows } = (parsed ?? {}) as { articles?: unknown; passages?: unknown };
  if (!Array.isArray(articles) || !Array.isArray(rows)) throw new Error("it does not hold articles and passages");
  if (rows.length !== expected)
    throw new Error(`it holds ${rows.length} passages, not the ${expected} its manifest lists`);
  for (const a of articles as unknown[]) {
    if (
      !Array.isArray(a) ||
      typeof a[0] !== "string" ||
      typeof a[1] !== "string" ||
      (a[2] !== null && typeof a[2] !== "string")
    )
      throw new Error("an article row is malformed");
  }
  const labels = new Uint32Array(rows.length);
  const passages = (rows as unknown[]).map((row, i): Passage => {
    const r = row as PassageRow;
    const article = (articles as ArticleRow[])[r[0]];
    if (
      !Array.isArray(row) ||
      row.length !== 9 ||
      !article ||
      !Number.isInteger(r[1]) ||
      r[1] < 0 ||
      typeof r[2] !== "string" ||
      typeof r[8] !== "string" ||
      !Array.isArray(r[7]) ||
      r[7].length % 2 !== 0
    ) {
      throw new Error(`passage ${i} is malformed`);
    }
    for (let j = 3; j <= 6; j++) if (typeof r[j] !== "number") throw new Error(`passage ${i} is malformed`);
    labels[i] = r[1];
    const sentences: Span[] = [];
    for (let s = 0; s < r[7].length; s += 2) sentences.push({ start: r[7][s] ?? 0, end: r[7][s + 1] ?? 0 });
    const metadata: PassageMetadata = {
      id: r[2],
      source: article[0],
      title: article[1],
      url: article[2],
      paragraph: r[3],
      paragraphEnd: r[4],
      start: r[5],
      end: r[6],
      sentences,
    };
    return new Document({ pageContent: r[8], metadata, id: r[2] });
  });
  return { passages, labels };
}
