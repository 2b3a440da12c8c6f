import pg from "pg";
import { errorMessage, PassageError } from "../../errors.js";
import type { Logger } from "../../log.js";
import { describeTarget } from "./target.js";

/** How long PostgreSQL may take before a store call gives up (milliseconds). */
export interface PoolTimeouts {
  /** Opening a connection, or waiting for a free one in the pool. */
  readonly connectTimeoutMs: number;
  /** One statement, enforced by the server (statement_timeout) and by the client (query_timeout). */
  readonly queryTimeoutMs: number;
}

/** Timeouts short enough that a store call fails fast when PostgreSQL is gone, instead of stalling an answer. */
export const DEFAULT_POOL_TIMEOUTS = {
  connectTimeoutMs: 5_000,
  queryTimeoutMs: 10_000,
} as const satisfies Required<PoolTimeouts>;

/** Anything that runs a parameterised query: the pool, or one client inside a transaction. */
export interface Queryable {
  query<Row extends pg.QueryResultRow>(sql: string, params?: readonly unknown[]): Promise<pg.QueryResult<Row>>;
}

/**
 * A `pg.Pool` with the store's rules: every failure (unreachable, terminated, timed out) becomes a
 * one-line `STORE_DB` `PassageError` naming the server but never the credentials, errors we raise
 * on purpose inside a transaction pass through unchanged, and a connection PostgreSQL drops while
 * idle is logged and replaced instead of crashing the process.
 */
export class PgDatabase implements Queryable {
  readonly pool: pg.Pool;
  readonly target: string;

  constructor(
    url: string,
    private readonly logger: Logger,
    timeouts: PoolTimeouts = DEFAULT_POOL_TIMEOUTS,
    max = 10,
  ) {
    this.target = describeTarget(url);
    this.pool = new pg.Pool({
      connectionString: url,
      max,
      connectionTimeoutMillis: timeouts.connectTimeoutMs,
      statement_timeout: timeouts.queryTimeoutMs,
      query_timeout: timeouts.queryTimeoutMs,
      idleTimeoutMillis: 30_000,
      // Notices a server that vanished without closing the socket (a machine gone, a cable pulled).
      keepAlive: true,
      application_name: "passage",
    });
    // pg emits 'error' for an idle client whose server went away; unhandled, it would end the process.
    this.pool.on("error", (error) => {
      this.logger.warn("store.connection_lost", { target: this.target, error: errorMessage(error) });
    });
  }

  /** Runs one statement; `STORE_DB` when PostgreSQL cannot be reached or the statement fails. */
  async query<Row extends pg.QueryResultRow>(
    sql: string,
    params: readonly unknown[] = [],
  ): Promise<pg.QueryResult<Row>> {
    try {
      return await this.pool.query<Row>(sql, [...params]);
    } catch (cause) {
      throw this.failure(cause);
    }
  }

  /**
   * Runs `work` in one transaction on one connection: committed when it returns, rolled back when
   * it throws (its error is rethrown, a `PassageError` as it is, anything else as `STORE_DB`).
   */
  async transaction<T>(work: (client: Queryable) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (cause) {
      throw this.failure(cause);
    }
    let broken: unknown = null;
    try {
      await client.query("BEGIN");
      const result = await work({ query: (sql, params = []) => client.query(sql, [...params]) });
      await client.query("COMMIT");
      return result;
    } catch (cause) {
      try {
        await client.query("ROLLBACK");
      } catch (rollbackError) {
        // The connection is unusable (the server went away): the pool must not hand it out again.
        broken = rollbackError;
      }
      throw this.failure(cause);
    } finally {
      client.release(broken instanceof Error ? broken : undefined);
    }
  }

  /** Closes every connection. */
  async close(): Promise<void> {
    await this.pool.end();
  }

  /** A thrown value as the error a store call rejects with. */
  failure(cause: unknown): PassageError {
    if (cause instanceof PassageError) return cause;
    return new PassageError("STORE_DB", `PostgreSQL at ${this.target} failed: ${oneLine(errorMessage(cause))}.`, {
      cause,
    });
  }
}

function oneLine(message: string): string {
  return message.replace(/\s+/g, " ").trim().replace(/\.$/, "");
}
