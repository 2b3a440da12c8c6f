import type { BuildResult } from "../index/build-index.js";

/** Who changed the corpus: a Discord member or the OS user of `npm run corpus`. */
export interface Actor {
  /** A stable id: a Discord user id, or `os:<user name>` from a shell. */
  readonly id: string;
  /** The name shown in lists and the log (the transport escapes it and keeps it mention-free). */
  readonly name: string;
}

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

/** The kinds of change the audit log records. */
export type CorpusAction = "add" | "remove" | "replace" | "undo";

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

/** One line of the audit log. */
export interface AuditEntry {
  readonly id: number;
  readonly at: string;
  readonly actor: Actor;
  readonly action: CorpusAction;
  readonly source: string;
  readonly title: string;
  /** Where the article came from: the file name or URL it was added from; for an undo, which change it reverted. */
  readonly origin: string;
  readonly checksum: string;
  /** Whether a later undo reverted this change. */
  readonly undone: boolean;
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
