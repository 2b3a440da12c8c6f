import { existsSync, readFileSync, rmSync } from "node:fs";
import { rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { loadCorpus } from "../corpus/load-corpus.js";
import { errorMessage, UserError } from "../errors.js";
import type { BuildProgress, BuildResult } from "../index/build-index.js";
import type { IndexManager } from "../index/index-manager.js";
import type { Logger } from "../log.js";
import { AUDIT_DB_FILE, SqliteAuditStore } from "../store/sqlite/audit.js";
import type { AuditStore, UndoableEntry } from "../store/types.js";
import { bodyChecksum, firstParagraph as firstParagraphOf, frontMatterOf, oneLine } from "./article-text.js";
import { CorpusHistory, HISTORY_DIR } from "./corpus-history.js";
import { LOCK_FILE, withCorpusLock } from "./corpus-lock.js";
import { corpusSignature } from "./corpus-signature.js";
import { rebuildWhenIdle, whenIndexIdle } from "./rebuild-when-idle.js";
import { SerialQueue } from "./serial-queue.js";
import type {
  Actor,
  AuditEntry,
  CorpusAction,
  CorpusArticle,
  CorpusArticleDetails,
  CorpusChange,
  NewArticle,
} from "./types.js";

/** Corpus versions kept for undo unless CORPUS_HISTORY says otherwise. */
export const DEFAULT_CORPUS_HISTORY = 20;
/** Most titles an autocomplete may offer (Discord's limit). */
export const MAX_TITLE_CHOICES = 25;
/** Audit log lines `log()` returns unless asked for another number. */
export const DEFAULT_LOG_LIMIT = 20;

/** A safe article file name: letters, digits, dots, dashes and underscores, ending .md, no folders. */
const SAFE_FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,150}\.md$/;

export interface CorpusManagerOptions {
  readonly corpusDir: string;
  /** Where the audit log (`corpus-audit.sqlite`) and the history (`corpus-history/`) live. */
  readonly dataDir: string;
  readonly indexes: IndexManager;
  readonly logger: Logger;
  /** Corpus versions kept for undo (CORPUS_HISTORY, default 20). */
  readonly historyLimit?: number;
  readonly now?: () => Date;
  /**
   * Called with the sources a change touched, once it is made and indexed (add, remove, undo):
   * how a replica shares its change with the others (issue 15). It must not throw.
   */
  readonly onChange?: (sources: readonly string[]) => Promise<void>;
  /** The audit log (default: `corpus-audit.sqlite` in `dataDir`, which the manager then closes). */
  readonly audit?: AuditStore;
}

/**
 * Changes the corpus on behalf of a moderator: adds, replaces and removes article files, and
 * undoes the last change. Every change runs alone (a queue; it also waits for a reindex already
 * running), saves the corpus as it was into the history first, writes the file, reindexes
 * incrementally, and records who did what in the audit log. When the reindex fails, or the new
 * article cannot be read into passages, the corpus is put back as it was and
 * `REINDEX_ROLLED_BACK` says why: the served index never stopped being the old one.
 */
export class CorpusManager {
  readonly corpusDir: string;
  private readonly indexes: IndexManager;
  private readonly logger: Logger;
  private readonly now: () => Date;
  private readonly onChange: (sources: readonly string[]) => Promise<void>;
  private readonly audit: AuditStore;
  /** The audit log the manager opened itself, to close with it. */
  private readonly ownAudit: SqliteAuditStore | null;
  private readonly history: CorpusHistory;
  private readonly queue = new SerialQueue();
  private readonly lockPath: string;
  /** The corpus folder's fingerprint when the index last matched it (null: not known yet). */
  private indexed: string | null = null;

  constructor(options: CorpusManagerOptions) {
    this.corpusDir = options.corpusDir;
    this.indexes = options.indexes;
    this.logger = options.logger;
    this.now = options.now ?? (() => new Date());
    this.onChange = options.onChange ?? (async () => undefined);
    this.ownAudit = options.audit ? null : SqliteAuditStore.open(join(options.dataDir, AUDIT_DB_FILE));
    this.audit = options.audit ?? (this.ownAudit as SqliteAuditStore);
    this.history = new CorpusHistory(
      options.corpusDir,
      join(options.dataDir, HISTORY_DIR),
      options.historyLimit ?? DEFAULT_CORPUS_HISTORY,
    );
    this.lockPath = join(options.dataDir, LOCK_FILE);
    // A lock naming this very process was left by an earlier life with the same pid (pid 1 in a
    // container): nothing here holds it yet, so it is stale.
    if (readLock(this.lockPath) === process.pid) rmSync(this.lockPath, { force: true });
  }

  /**
   * Writes `article` into the corpus as `article.fileName` and reindexes. A file of that name
   * already there is replaced ("replace"); the same text as an article already there is refused
   * (`ARTICLE_DUPLICATE`). `origin` is what the log names as its origin (default: its URL, else
   * its file name).
   */
  add(article: NewArticle, by: Actor, onProgress?: (p: BuildProgress) => void, origin?: string): Promise<CorpusChange> {
    return this.serial(async () => {
      if (!SAFE_FILE_NAME.test(article.fileName) || article.fileName.includes(".."))
        throw new UserError("ARTICLE_NAME", `"${oneLine(article.fileName, 80)}" cannot be an article's file name.`);
      await whenIndexIdle(this.indexes);
      const source = article.fileName;
      await this.refuseDuplicate(article);
      const action: CorpusAction = existsSync(join(this.corpusDir, source)) ? "replace" : "add";
      const build = await this.change(source, onProgress, async () => {
        // Written under a hidden name first (the loader skips those), so no reader sees half a file.
        const partial = join(this.corpusDir, `.${source}.partial`);
        await writeFile(partial, article.markdown);
        await rename(partial, join(this.corpusDir, source));
      });
      const passages = countPassages(build, source);
      const snapshot = build.snapshot;
      await this.audit.record({
        at: this.now().toISOString(),
        actor: by,
        action,
        source,
        title: article.title,
        origin: origin ?? article.sourceUrl ?? article.fileName,
        checksum: article.checksum,
        snapshot,
      });
      await this.prune();
      this.logger.info("corpus.changed", { action, source, passages, by: by.id });
      await this.onChange([source]);
      return {
        action,
        source,
        title: titleIn(build.result, source) ?? article.title,
        passages,
        preview: oneLine(firstParagraphOf(source, article.markdown)),
        build: build.result,
        undid: null,
      };
    });
  }

  /** Removes an article (by source, or by its exact title) and reindexes. `ARTICLE_NOT_FOUND` when there is none. */
  remove(article: string, by: Actor, onProgress?: (p: BuildProgress) => void): Promise<CorpusChange> {
    return this.serial(async () => {
      await whenIndexIdle(this.indexes);
      const source = await this.resolve(article);
      const path = join(this.corpusDir, source);
      const content = readFileSync(path, "utf8");
      const before = (await this.list()).find((a) => a.source === source);
      const title = before?.title ?? source;
      const passages = before?.passages ?? 0;
      const checksum = (await this.audit.currentVersions()).get(source)?.checksum ?? safeChecksum(source, content);
      const build = await this.change(source, onProgress, () => rm(path, { force: true }), true);
      await this.audit.record({
        at: this.now().toISOString(),
        actor: by,
        action: "remove",
        source,
        title,
        origin: source,
        checksum,
        snapshot: build.snapshot,
      });
      await this.prune();
      this.logger.info("corpus.changed", { action: "remove", source, passages, by: by.id });
      await this.onChange([source]);
      return {
        action: "remove",
        source,
        title,
        passages,
        preview: oneLine(safeFirstParagraph(source, content)),
        build: build.result,
        undid: null,
      };
    });
  }

  /**
   * Reverts the last change not yet undone, whoever made it, by restoring the corpus saved before
   * it, then reindexes. `NOTHING_TO_UNDO` when there is none, or its version is no longer kept.
   */
  undo(by: Actor, onProgress?: (p: BuildProgress) => void): Promise<CorpusChange> {
    return this.serial(async () => {
      await whenIndexIdle(this.indexes);
      const last = await this.lastUndoable();
      const build = await this.change(last.source, onProgress, () => this.history.restore(last.snapshot));
      // The snapshot restored is now the corpus: keeping it would let a second undo restore it again.
      await this.history.discard(last.snapshot);
      if (build.snapshot) await this.history.discard(build.snapshot);
      await this.audit.recordUndo(last, {
        at: this.now().toISOString(),
        actor: by,
        source: last.source,
        title: last.title,
        origin: `change #${last.id} (${last.action})`,
        checksum: last.checksum,
      });
      const passages = countPassages(build, last.source);
      const path = join(this.corpusDir, last.source);
      const preview = existsSync(path) ? oneLine(safeFirstParagraph(last.source, readFileSync(path, "utf8"))) : "";
      this.logger.info("corpus.changed", { action: "undo", undid: last.id, source: last.source, by: by.id });
      await this.onChange([last.source]);
      return {
        action: "undo",
        source: last.source,
        title: titleIn(build.result, last.source) ?? last.title,
        passages,
        preview,
        build: build.result,
        undid: last.action,
      };
    });
  }

  /**
   * Reindexes through the same queue as the changes (watch mode): it waits for a change in
   * progress, and a change waits for it.
   */
  reindex(onProgress?: (p: BuildProgress) => void): Promise<BuildResult> {
    return this.serial(async () => this.rebuildAt(await corpusSignature(this.corpusDir), onProgress));
  }

  /**
   * Like `reindex`, but resolves with null without building when no file has changed since the
   * index last matched the folder (watch mode, after a change made through this manager).
   */
  reindexIfChanged(onProgress?: (p: BuildProgress) => void): Promise<BuildResult | null> {
    return this.serial(async () => {
      const signature = await corpusSignature(this.corpusDir);
      return signature === this.indexed ? null : this.rebuildAt(signature, onProgress);
    });
  }

  /**
   * Takes in a change another replica made (issue 15): in the queue, so no change of this
   * process's runs meanwhile, `pull` writes the shared corpus into the folder; when it changed a
   * file the index is rebuilt. Resolves with the build, or null when nothing changed.
   */
  follow(pull: () => Promise<boolean>): Promise<BuildResult | null> {
    return this.serial(async () => {
      await whenIndexIdle(this.indexes);
      if (!(await pull())) return null;
      return this.rebuildAt(await corpusSignature(this.corpusDir));
    });
  }

  /** The articles of the served index, by title, with who added each through Passage. */
  async list(): Promise<CorpusArticle[]> {
    let passages: readonly { metadata: { source: string; title: string } }[];
    try {
      passages = this.indexes.current.passages;
    } catch {
      return [];
    }
    const counts = new Map<string, { title: string; passages: number }>();
    for (const p of passages) {
      const seen = counts.get(p.metadata.source);
      if (seen) seen.passages++;
      else counts.set(p.metadata.source, { title: p.metadata.title, passages: 1 });
    }
    const added = await this.audit.currentVersions();
    return [...counts.entries()]
      .map(([source, { title, passages }]) => {
        const by = added.get(source);
        return { source, title, passages, addedBy: by?.actor.name ?? null, addedAt: by?.at ?? null };
      })
      .sort((a, b) => a.title.localeCompare(b.title) || a.source.localeCompare(b.source));
  }

  /** One article's front matter and first paragraph. `ARTICLE_NOT_FOUND` when there is none. */
  async show(article: string): Promise<CorpusArticleDetails> {
    const source = await this.resolve(article);
    const content = readFileSync(join(this.corpusDir, source), "utf8");
    const listed = (await this.list()).find((a) => a.source === source);
    return {
      source,
      title: listed?.title ?? source,
      frontMatter: frontMatterOf(content),
      firstParagraph: safeFirstParagraph(source, content),
      passages: listed?.passages ?? 0,
    };
  }

  /**
   * Articles whose title or file name contains `prefix` (case-insensitive), those starting with
   * it first, at most 25: the choices of an autocomplete.
   */
  async titles(prefix: string): Promise<{ source: string; title: string }[]> {
    const wanted = prefix.trim().toLowerCase();
    const scored = (await this.list())
      .map((a) => {
        const title = a.title.toLowerCase();
        const source = a.source.toLowerCase();
        const rank = title.startsWith(wanted) ? 0 : title.includes(wanted) ? 1 : source.includes(wanted) ? 2 : 3;
        return { a, rank };
      })
      .filter((s) => s.rank < 3)
      .sort((x, y) => x.rank - y.rank);
    return scored.slice(0, MAX_TITLE_CHOICES).map(({ a }) => ({ source: a.source, title: a.title }));
  }

  /** The last `limit` changes, newest first. */
  log(limit: number = DEFAULT_LOG_LIMIT): Promise<AuditEntry[]> {
    return this.audit.recent(limit);
  }

  /** Closes the audit log when the manager opened it; one passed in stays open for its owner. */
  close(): void {
    this.ownAudit?.close();
  }

  /** Runs `task` after every change queued before it, holding the lock other processes (`npm run corpus`) respect. */
  private serial<T>(task: () => Promise<T>): Promise<T> {
    return this.queue.run(() => withCorpusLock(this.lockPath, task));
  }

  /**
   * The source an argument names: an article's source (with or without `.md`), or its exact title
   * (case-insensitive). Only articles in the served index can be named, so no path outside the
   * corpus ever is.
   */
  private async resolve(article: string): Promise<string> {
    const wanted = article.trim();
    const articles = await this.list();
    const bySource = articles.find((a) => a.source === wanted || a.source === `${wanted}.md`);
    if (bySource && existsSync(join(this.corpusDir, bySource.source))) return bySource.source;
    const byTitle = articles.filter((a) => a.title.toLowerCase() === wanted.toLowerCase());
    if (byTitle.length > 1)
      throw new UserError(
        "ARTICLE_AMBIGUOUS",
        `${byTitle.length} articles are titled "${oneLine(wanted, 80)}"; name one by its file: ${byTitle.map((a) => a.source).join(", ")}.`,
      );
    const found = byTitle[0];
    if (found && existsSync(join(this.corpusDir, found.source))) return found.source;
    throw new UserError("ARTICLE_NOT_FOUND", `No article in the corpus is called "${oneLine(wanted, 80)}".`);
  }

  /** Refuses an article whose text is already in the corpus, under any name. */
  private async refuseDuplicate(article: NewArticle): Promise<void> {
    const corpus = await loadCorpus(this.corpusDir);
    const present = new Set(corpus.articles.map((a) => a.source));
    const logged = await this.audit.currentVersions();
    // The article's own checksum, and the one of the text it will be written as (the same for a
    // converted article; a hand-made one may carry another).
    const incoming = new Set([article.checksum, safeChecksum(article.fileName, article.markdown)]);
    incoming.delete("");
    for (const existing of corpus.articles) {
      const sameLogged = logged.get(existing.source)?.checksum === article.checksum;
      const sameText = incoming.has(safeChecksum(existing.source, existing.content));
      if ((sameLogged && present.has(existing.source)) || sameText)
        throw new UserError(
          "ARTICLE_DUPLICATE",
          `This article is already in the corpus as "${oneLine(existing.title, 100)}" (${existing.source}).`,
        );
    }
  }

  /**
   * One change of the corpus: snapshot, `write`, reindex; on failure the snapshot is restored and
   * `REINDEX_ROLLED_BACK` thrown. Unless `removing`, an article `source` the build skipped or
   * split into no passages counts as a failure too.
   */
  private async change(
    source: string,
    onProgress: ((p: BuildProgress) => void) | undefined,
    write: () => Promise<void>,
    removing = false,
  ): Promise<{ result: BuildResult; snapshot: string }> {
    const snapshot = await this.history.take();
    try {
      await write();
      const signature = await corpusSignature(this.corpusDir);
      const result = await rebuildWhenIdle(this.indexes, onProgress);
      const skipped = result.skipped.find((s) => s.source === source);
      if (!removing && skipped) throw new Error(`${source} could not be read: ${skipped.reason}`);
      this.indexed = signature;
      return { result, snapshot };
    } catch (error) {
      const why = errorMessage(error).split("\n")[0] ?? "";
      try {
        await this.history.restore(snapshot);
        await this.history.discard(snapshot);
      } catch (restoreError) {
        this.logger.error("corpus.rollback_failed", { source, snapshot, error: restoreError });
        throw new UserError(
          "REINDEX_ROLLED_BACK",
          `The reindex failed (${why}) and the corpus could not be put back; its previous version is in ${HISTORY_DIR}/${snapshot}.`,
          { cause: error },
        );
      }
      this.logger.warn("corpus.rolled_back", { source, error });
      throw new UserError(
        "REINDEX_ROLLED_BACK",
        `The reindex failed, so the corpus was put back as it was and nothing changed: ${why}`,
        { cause: error },
      );
    }
  }

  /**
   * Rebuilds and notes `signature`, the folder's fingerprint taken before the build: a file
   * changed during it leaves a different fingerprint, so the next look rebuilds. Runs in `serial`.
   */
  private async rebuildAt(signature: string, onProgress?: (p: BuildProgress) => void): Promise<BuildResult> {
    const result = await rebuildWhenIdle(this.indexes, onProgress);
    this.indexed = signature;
    return result;
  }

  private async lastUndoable(): Promise<UndoableEntry & { readonly snapshot: string }> {
    const last = await this.audit.lastUndoable();
    const kept = new Set(await this.history.names());
    if (!last) throw new UserError("NOTHING_TO_UNDO", "There is no change to undo.");
    if (last.snapshot === null || !kept.has(last.snapshot))
      throw new UserError(
        "NOTHING_TO_UNDO",
        "The corpus before the last change is no longer kept, so it cannot be undone.",
      );
    return { ...last, snapshot: last.snapshot };
  }

  private async prune(): Promise<void> {
    await this.audit.dropSnapshots(await this.history.prune());
  }
}

function countPassages(build: { result: BuildResult }, source: string): number {
  return build.result.index.passages.filter((p) => p.metadata.source === source).length;
}

function titleIn(result: BuildResult, source: string): string | null {
  return result.index.passages.find((p) => p.metadata.source === source)?.metadata.title ?? null;
}

/** The process id in a lock file, or null. */
function readLock(path: string): number | null {
  try {
    return Number.parseInt(readFileSync(path, "utf8"), 10);
  } catch {
    return null;
  }
}

/** A file's body checksum, or "" when it cannot be read as an article. */
function safeChecksum(source: string, content: string): string {
  try {
    return bodyChecksum(source, content);
  } catch {
    return "";
  }
}

function safeFirstParagraph(source: string, content: string): string {
  try {
    return firstParagraphOf(source, content);
  } catch {
    return "";
  }
}
