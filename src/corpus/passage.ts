import type { Document } from "@langchain/core/documents";
import type { Span } from "./sentences.js";

/**
 * Where a passage came from. Citations are rendered from these fields, never
 * reconstructed from text: `article.content.slice(start, end) === passage.pageContent`.
 */
export interface PassageMetadata {
  /** Stable, derived from the source and text: the same passage keeps its id across rebuilds. */
  readonly id: string;
  /** The article file, relative to the corpus folder. */
  readonly source: string;
  readonly title: string;
  readonly url: string | null;
  /** First and last paragraph (1-based, counting the body's non-empty paragraphs). */
  readonly paragraph: number;
  readonly paragraphEnd: number;
  /** Character offsets into the source file (UTF-16 code units, as JavaScript strings count). */
  readonly start: number;
  readonly end: number;
  /** Sentence spans, as offsets into the source file. */
  readonly sentences: readonly Span[];
}

/**
 * A retrievable unit of an article, as a LangChain `Document`. Its `pageContent` is the text it
 * is indexed and matched by; the article title is not part of it: in a corpus of few articles
 * every passage would share the title's words, which blurs the differences between passages
 * that retrieval depends on.
 */
export type Passage = Document<PassageMetadata>;

/** The sentences of a passage, verbatim, in order (from its sentence spans). */
export function sentencesOf(passage: Passage): string[] {
  const { start } = passage.metadata;
  return passage.metadata.sentences.map((span) => passage.pageContent.slice(span.start - start, span.end - start));
}

/** A short human location for a passage: "¶ 7" or "¶ 7–8". */
export function passageLocation(meta: Pick<PassageMetadata, "paragraph" | "paragraphEnd">): string {
  return meta.paragraphEnd > meta.paragraph ? `¶ ${meta.paragraph}–${meta.paragraphEnd}` : `¶ ${meta.paragraph}`;
}
