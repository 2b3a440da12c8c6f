import { errorMessage, PassageError } from "../../errors.js";
import type { Logger } from "../../log.js";
import type { PgDatabase } from "./database.js";

/** How the first connection is retried while PostgreSQL is not up yet. */
export interface ConnectRetry {
  /** Attempts in all, the first included (at least 1). */
  readonly attempts: number;
  /** The wait after the first failure; it doubles after each later one. */
  readonly initialDelayMs: number;
  /** The longest wait between two attempts. */
  readonly maxDelayMs: number;
}

/** About a minute in all: long enough for a PostgreSQL container started beside the bot to come up. */
export const DEFAULT_CONNECT_RETRY = {
  attempts: 8,
  initialDelayMs: 500,
  maxDelayMs: 15_000,
} as const satisfies Required<ConnectRetry>;

// Retrying cannot fix these: a wrong password or user (28P01, 28000) or a database that does not exist (3D000).
const PERMANENT_CODES = new Set(["28P01", "28000", "3D000"]);

/**
 * Connects once to check that PostgreSQL answers, retrying with exponential backoff and logging
 * each failed attempt (`store.connect_retry`). After the last attempt, or at once for a wrong
 * password or a missing database, throws a one-line `STORE_UNAVAILABLE` `PassageError`.
 */
export async function connectWithRetry(
  db: PgDatabase,
  retry: ConnectRetry,
  logger: Logger,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<void> {
  const attempts = Math.max(1, Math.floor(retry.attempts));
  for (let attempt = 1; ; attempt++) {
    try {
      const client = await db.pool.connect();
      try {
        await client.query("SELECT 1");
      } finally {
        client.release();
      }
      if (attempt > 1) logger.info("store.connected", { target: db.target, attempt });
      return;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const permanent = typeof code === "string" && PERMANENT_CODES.has(code);
      if (permanent || attempt >= attempts)
        throw new PassageError(
          "STORE_UNAVAILABLE",
          `Cannot reach PostgreSQL at ${db.target}${permanent ? "" : ` after ${attempts} attempts`}: ${errorMessage(error)}.`,
          { cause: error, remedy: "Check DATABASE_URL and that the server is running and accepts this user." },
        );
      const delayMs = Math.min(retry.maxDelayMs, retry.initialDelayMs * 2 ** (attempt - 1));
      logger.warn("store.connect_retry", {
        target: db.target,
        attempt,
        attempts,
        delayMs,
        error: errorMessage(error),
      });
      await sleep(delayMs);
    }
  }
}
