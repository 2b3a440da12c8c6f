import { z } from "zod";
import type { Logger } from "../../log.js";
import type { CorpusRecord, CorpusState, CorpusStore } from "../types.js";
import {
  CORPUS_CHANNEL,
  CORPUS_STATE,
  CorpusListener,
  DEFAULT_LISTEN_RETRY,
  type ListenRetry,
} from "./corpus-listener.js";
import type { PgDatabase, Queryable } from "./database.js";
import { iso } from "./rows.js";

const ARTICLE = z.object({ source: z.string(), markdown: z.string(), checksum: z.string(), updated_at: z.date() });

/**
 * The corpus as rows, so every replica rebuilds its index from the same articles. Each change
 * is one transaction that locks `corpus_state` first (changes queue up one after another),
 * changes the article, then records the new corpus checksum and bumps the version; the NOTIFY
 * it sends is delivered only when that transaction commits, so no listener ever sees a half-made
 * change. The checksum is the index manifest's `corpusChecksum` formula (sha256 of the lines
 * `source NUL checksum`, in source order): when each article's checksum is the sha256 of its
 * markdown, as the index takes it, a replica's index built from these rows carries the same
 * checksum as `corpus_state`, so "am I up to date?" is one comparison.
 */
export class PgCorpusStore implements CorpusStore {
  private readonly listeners = new Set<CorpusListener>();

  constructor(
    private readonly db: PgDatabase,
    private readonly url: string,
    private readonly logger: Logger,
    private readonly retry: ListenRetry = DEFAULT_LISTEN_RETRY,
  ) {}

  async list(sources?: readonly string[]): Promise<CorpusRecord[]> {
    const { rows } =
      sources === undefined
        ? await this.db.query("SELECT * FROM articles ORDER BY source")
        : await this.db.query("SELECT * FROM articles WHERE source = ANY ($1) ORDER BY source", [[...sources]]);
    return rows.map((raw) => {
      const r = ARTICLE.parse(raw);
      return { source: r.source, markdown: r.markdown, checksum: r.checksum, updatedAt: iso(r.updated_at) };
    });
  }

  async checksums(): Promise<Map<string, string>> {
    const { rows } = await this.db.query<{ source: string; checksum: string }>("SELECT source, checksum FROM articles");
    return new Map(rows.map((r) => [r.source, r.checksum]));
  }

  async put(article: Omit<CorpusRecord, "updatedAt">): Promise<void> {
    await this.change(async (tx) => {
      await tx.query(
        `INSERT INTO articles (source, markdown, checksum, updated_at) VALUES ($1, $2, $3, now())
         ON CONFLICT (source) DO UPDATE SET markdown = excluded.markdown, checksum = excluded.checksum, updated_at = now()`,
        [article.source, article.markdown, article.checksum],
      );
      return true;
    });
  }

  async remove(source: string): Promise<boolean> {
    return this.change(async (tx) => {
      const { rowCount } = await tx.query("DELETE FROM articles WHERE source = $1", [source]);
      return (rowCount ?? 0) > 0;
    });
  }

  async apply(change: {
    readonly put: readonly Omit<CorpusRecord, "updatedAt">[];
    readonly remove: readonly string[];
  }): Promise<CorpusState> {
    await this.change(async (tx) => {
      let changed = false;
      for (const source of change.remove) {
        const { rowCount } = await tx.query("DELETE FROM articles WHERE source = $1", [source]);
        changed ||= (rowCount ?? 0) > 0;
      }
      for (const a of change.put) {
        const { rowCount } = await tx.query(
          `INSERT INTO articles (source, markdown, checksum, updated_at) VALUES ($1, $2, $3, now())
           ON CONFLICT (source) DO UPDATE SET markdown = excluded.markdown, checksum = excluded.checksum, updated_at = now()
           WHERE articles.checksum <> excluded.checksum`,
          [a.source, a.markdown, a.checksum],
        );
        changed ||= (rowCount ?? 0) > 0;
      }
      return changed;
    });
    return this.state();
  }

  async state(): Promise<CorpusState> {
    const { rows } = await this.db.query("SELECT checksum, version FROM corpus_state WHERE id = 1");
    return CORPUS_STATE.parse(rows[0] ?? { checksum: null, version: 0 });
  }

  /**
   * Calls `onChange` after any process commits a change, and once more with the current state
   * after the listening connection was lost and re-made (see {@link CorpusListener}).
   */
  async listen(onChange: (state: CorpusState) => void): Promise<() => Promise<void>> {
    const listener = new CorpusListener(
      this.url,
      this.db.target,
      this.logger,
      onChange,
      () => this.state(),
      this.retry,
    );
    try {
      await listener.start();
    } catch (cause) {
      throw this.db.failure(cause);
    }
    this.listeners.add(listener);
    return async () => {
      if (this.listeners.delete(listener)) await listener.stop();
    };
  }

  /** Stops every listener (the store is closing). */
  async close(): Promise<void> {
    const listeners = [...this.listeners];
    this.listeners.clear();
    await Promise.all(listeners.map((l) => l.stop()));
  }

  /** Runs an article change, then records and announces the new corpus state when `work` changed something. */
  private change(work: (tx: Queryable) => Promise<boolean>): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      // First, so concurrent changes run one after another and each checksum sees the previous change.
      await tx.query("SELECT 1 FROM corpus_state WHERE id = 1 FOR UPDATE");
      if (!(await work(tx))) return false;
      const { rows } = await tx.query(
        `UPDATE corpus_state SET version = version + 1, checksum = (
           SELECT encode(sha256(string_agg(
                    convert_to(source, 'UTF8') || '\\x00'::bytea || convert_to(checksum, 'UTF8'),
                    '\\x0a'::bytea ORDER BY source COLLATE "C")), 'hex')
           FROM articles
         ) WHERE id = 1 RETURNING checksum, version`,
      );
      const state = CORPUS_STATE.parse(rows[0]);
      await tx.query("SELECT pg_notify($1, $2)", [CORPUS_CHANNEL, JSON.stringify(state)]);
      return true;
    });
  }
}
