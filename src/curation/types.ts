import type { BuildResult } from "../index/build-index.js";
import type { CorpusAction } from "../store/types.js";

// The audit log's records are the state store's; re-exported so curation's callers keep one import.
export type { Actor, AuditEntry, CorpusAction, NewAuditEntry, UndoableEntry } from "../store/types.js";

/**
 * What `CorpusManager.add` needs of an article: the fields of lane ingest's `ConvertedArticle`
 * that curation uses, so any converted article (or a hand-made one in a test) can be added.
 */
export interface NewArticle {
  readonly title: string;
  readonly sourceUrl: string | null;
  /** The whole file: YAML front matter and the body. */
  readonly markdown: string;
  /** A safe file name ending `.md`, without folders: the article's source in the corpus. */
  readonly fileName: string;
  /** sha256 hex of the normalised body text, for duplicate detection and the audit log. */
  readonly checksum: string;
}

/** One article of the corpus as `list()` shows it. */
export interface CorpusArticle {
  readonly source: string;
  readonly title: string;
  readonly passages: number;
  /** Who added (or last replaced) it through Passage; null for an article put in the folder by hand. */
  readonly addedBy: string | null;
  /** When (ISO 8601); null with `addedBy`. */
  readonly addedAt: string | null;
}

/** One article in detail, for `show()`. */
export interface CorpusArticleDetails {
  readonly source: string;
  readonly title: string;
  /** Its front matter, each value as text (empty when the file has none). */
  readonly frontMatter: Record<string, string>;
  /** The first paragraph of the body that is not a heading. */
  readonly firstParagraph: string;
  readonly passages: number;
}

/** What a change did, for the reply to the moderator. */
export interface CorpusChange {
  readonly action: CorpusAction;
  readonly source: string;
  readonly title: string;
  /** The article's passages after the change (for a remove: the passages it had). */
  readonly passages: number;
  /** One line of the article's text. */
  readonly preview: string;
  /** The reindex that followed. */
  readonly build: BuildResult;
  /** For an undo: the action it reverted. */
  readonly undid: Exclude<CorpusAction, "undo"> | null;
}
