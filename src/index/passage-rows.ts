import { z } from "zod";

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
export type PassageRow = [
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

/** The fields of an article row, by position, for error messages. */
export const ARTICLE_FIELDS = ["source", "title", "url"] as const;

/** The fields of a passage row, by position, for error messages. */
export const PASSAGE_FIELDS = [
  "article",
  "label",
  "id",
  "paragraph",
  "paragraphEnd",
  "start",
  "end",
  "sentences",
  "text",
] as const;

/** The file. Its rows are checked one at a time (see decodePassages). */
export const passagesFile = z.object({ articles: z.array(z.unknown()), passages: z.array(z.unknown()) });

export const articleRow = z.tuple([z.string(), z.string(), z.string().nullable()]);

const count = z.int().nonnegative();
/** A graph label: a slot number, held in a Uint32Array. */
export const MAX_LABEL = 0xffff_ffff;

/** One passage row. */
export const passageRow = z.tuple([
  count,
  count.max(MAX_LABEL),
  z.string(),
  z.number(),
  z.number(),
  z.number(),
  z.number(),
  z.array(z.number()).refine((spans) => spans.length % 2 === 0, { message: "are not pairs of start and end offsets" }),
  z.string(),
]) satisfies z.ZodType<PassageRow>;

/** The type of an article row. */
export type ArticleRow = z.infer<typeof articleRow>;
