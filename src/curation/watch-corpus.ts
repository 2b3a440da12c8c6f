import { type FSWatcher, watch } from "node:fs";
import { basename } from "node:path";
import type { BuildResult } from "../index/build-index.js";
import type { Logger } from "../log.js";

/** Quiet time after the last change on disk before reindexing: a git pull or a sync writes many files at once. */
export const WATCH_DEBOUNCE_MS = 1_000;

export interface WatchCorpusOptions {
  readonly corpusDir: string;
  /**
   * The reindex to run: `CorpusManager.reindexIfChanged`, so it takes its turn with moderators'
   * changes and skips (null) when the files are as last indexed.
   */
  readonly reindex: () => Promise<BuildResult | null>;
  readonly logger: Logger;
  readonly debounceMs?: number;
  /** Called after each reindex the watcher ran, with its result or its error (tests wait on it). */
  readonly onReindexed?: (outcome: { result: BuildResult | null } | { error: unknown }) => void;
}

/** A running watch; `close` stops it (a reindex already started finishes). */
export interface CorpusWatch {
  close(): void;
}

/**
 * Watch mode (CORPUS_WATCH=1, `npm start -- --watch`): reindexes, debounced, when files under the
 * corpus folder change on disk, for corpora kept in git or synced from elsewhere. Hidden files
 * (`.git`, editors' swap files, the manager's own partial writes) are ignored. Changes arriving
 * while a reindex runs lead to one more reindex after it; a failed reindex is logged and keeps
 * the served index, and the next change tries again.
 */
export function watchCorpus(options: WatchCorpusOptions): CorpusWatch {
  const { logger } = options;
  const debounceMs = options.debounceMs ?? WATCH_DEBOUNCE_MS;
  let timer: NodeJS.Timeout | null = null;
  let running = false;
  let again = false;
  let closed = false;

  const run = async (): Promise<void> => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      const result = await options.reindex();
      if (!result) {
        logger.debug("corpus.watch_unchanged", {});
        options.onReindexed?.({ result });
        return;
      }
      const { changes } = result;
      logger.info("corpus.watch_reindexed", {
        added: changes.articlesAdded.length,
        changed: changes.articlesChanged.length,
        removed: changes.articlesRemoved.length,
        passages: result.index.manifest.passageCount,
        seconds: result.seconds,
      });
      options.onReindexed?.({ result });
    } catch (error) {
      logger.error("corpus.watch_reindex_failed", { error });
      options.onReindexed?.({ error });
    } finally {
      running = false;
      if (again && !closed) {
        again = false;
        schedule();
      }
    }
  };

  const schedule = (): void => {
    if (closed) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      void run();
    }, debounceMs);
  };

  const watcher: FSWatcher = watch(options.corpusDir, { recursive: true }, (_event, file) => {
    // Any part of the path hidden (`.git/…`, `.x.md.partial`) is not an article change.
    if (
      file &&
      String(file)
        .split(/[\\/]/)
        .some((part) => part.startsWith("."))
    )
      return;
    if (file && basename(String(file)).endsWith("~")) return;
    schedule();
  });
  watcher.on("error", (error) => logger.error("corpus.watch_failed", { error }));
  logger.info("corpus.watching", { corpusDir: options.corpusDir, debounceMs });

  return {
    close(): void {
      closed = true;
      if (timer) clearTimeout(timer);
      watcher.close();
    },
  };
}
