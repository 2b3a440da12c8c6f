/** One article as read from the corpus folder. */
export interface Article {
  /** Path relative to the corpus folder, with forward slashes: the article's stable name. */
  readonly source: string;
  readonly title: string;
  readonly url: string | null;
  readonly date: string | null;
  /** The whole file as read; every offset in a passage points into this string. */
  readonly content: string;
  /** Where the body starts in `content` (after any front matter). */
  readonly bodyStart: number;
}

/** A file that could not be read as an article, and why. */
export interface SkippedFile {
  readonly source: string;
  readonly reason: string;
}
