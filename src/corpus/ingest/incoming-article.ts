/** An article as it arrives: a file from a moderator or the body of a fetched link. */
export interface IncomingArticle {
  /** The file name it came with (an attachment's name, or one made from the link); its extension names the format. */
  readonly name: string;
  readonly bytes: Uint8Array;
  /** The MIME type the sender gave (`text/html; charset=…`), or null when none was given. */
  readonly contentType: string | null;
  /** Where it was fetched from, kept as the article's `url`; null for a file. */
  readonly sourceUrl: string | null;
}

/** An article ready to be written to the corpus folder. */
export interface ConvertedArticle {
  readonly title: string;
  readonly author: string | null;
  readonly date: string | null;
  readonly sourceUrl: string | null;
  /** The whole file: YAML front matter (title, author, date, url) and the body, one paragraph a line. */
  readonly markdown: string;
  /** A safe slug ending `.md`, without any path part, e.g. `blinkens-visit-to-china.md`. */
  readonly fileName: string;
  /** SHA-256 (hex) of the body text, normalised, so the same article from a file or a link is one duplicate. */
  readonly checksum: string;
  /** Paragraphs the corpus loader finds in `markdown`. */
  readonly paragraphs: number;
}

/** Limits on what is converted. */
export interface ConvertLimits {
  /** Larger inputs are refused before any parsing (CORPUS_MAX_BYTES). */
  readonly maxBytes: number;
}

/** What a format reader extracts before the article is assembled. */
export interface ExtractedArticle {
  readonly title: string | null;
  readonly author: string | null;
  readonly date: string | null;
  readonly url: string | null;
  /** Front matter fields other than title, author, date and url, kept as they were (Markdown only). */
  readonly extra: Readonly<Record<string, unknown>>;
  /** The body, Markdown, one paragraph a line. */
  readonly body: string;
}
