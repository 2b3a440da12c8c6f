import { randomBytes } from "node:crypto";
import type { Logger } from "../../log.js";
import type { StateStore } from "../types.js";
import { PgAnswerStore } from "./answer-store.js";
import { PgAuditStore } from "./audit-store.js";
import { type ConnectRetry, connectWithRetry, DEFAULT_CONNECT_RETRY } from "./connect.js";
import type { ListenRetry } from "./corpus-listener.js";
import { PgCorpusStore } from "./corpus-store.js";
import { DEFAULT_POOL_TIMEOUTS, PgDatabase, type PoolTimeouts } from "./database.js";
import { migrate } from "./migrate.js";
import { MIGRATIONS } from "./migrations.js";
import { PgScheduleStore } from "./schedule-store.js";

/** Settings of {@link openPostgresStore}; every one has a default. */
export interface PostgresStoreOptions {
  readonly logger: Logger;
  /** Attempts to reach PostgreSQL at start before giving up (default {@link DEFAULT_CONNECT_RETRY}). */
  readonly connectAttempts?: number;
  readonly retry?: Partial<Omit<ConnectRetry, "attempts">>;
  readonly timeouts?: Partial<PoolTimeouts>;
  /** How a corpus listener lost with the server is re-made. */
  readonly listenRetry?: ListenRetry;
  /** Most connections this process holds. */
  readonly maxConnections?: number;
  /** How the retry waits (tests pass one that does not). */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Opens the state store in PostgreSQL at `url` (DATABASE_URL): connects, retrying with logged
 * backoff while the server is not up yet (then a one-line `STORE_UNAVAILABLE`), and brings the
 * schema up to date under an advisory lock, so replicas may start together. Every call then
 * fails fast with `STORE_DB` while PostgreSQL is gone and works again once it is back.
 */
export async function openPostgresStore(url: string, options: PostgresStoreOptions): Promise<StateStore> {
  const { logger } = options;
  const db = new PgDatabase(
    url,
    logger,
    { ...DEFAULT_POOL_TIMEOUTS, ...options.timeouts },
    options.maxConnections ?? 10,
  );
  try {
    await connectWithRetry(
      db,
      {
        ...DEFAULT_CONNECT_RETRY,
        ...options.retry,
        attempts: options.connectAttempts ?? DEFAULT_CONNECT_RETRY.attempts,
      },
      logger,
      options.sleep,
    );
    await migrate(db, MIGRATIONS, logger);
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
  const corpus = new PgCorpusStore(db, url, logger, options.listenRetry);
  let salt: Buffer | null = null;
  let closed: Promise<void> | null = null;
  return {
    kind: "postgres",
    answers: new PgAnswerStore(db),
    schedules: new PgScheduleStore(db),
    audit: new PgAuditStore(db),
    corpus,
    async salt() {
      if (salt) return salt;
      // The first process to ask makes it; every other one (now or later) reads that row.
      await db.query("INSERT INTO store_salt (id, salt) VALUES (1, $1) ON CONFLICT (id) DO NOTHING", [randomBytes(32)]);
      const { rows } = await db.query<{ salt: Buffer }>("SELECT salt FROM store_salt WHERE id = 1");
      const stored = rows[0]?.salt;
      if (!Buffer.isBuffer(stored) || stored.length < 32) throw db.failure(new Error("the salt row is damaged"));
      salt = stored;
      return salt;
    },
    close() {
      closed ??= (async () => {
        await corpus.close();
        await db.close();
      })();
      return closed;
    },
  };
}
