import type { Logger } from "../log.js";
import { openPostgresStore } from "./postgres/open-postgres-store.js";
import { SqliteStateStore } from "./sqlite/open-sqlite-store.js";
import type { StateStore } from "./types.js";

/**
 * The state store the configuration asks for: PostgreSQL when DATABASE_URL is set (connected,
 * retried with logged backoff while it is not up, and migrated, before this resolves), else the
 * SQLite files in `dataDir`, each opened when first used.
 */
export async function openStateStore(
  settings: {
    readonly dataDir: string;
    readonly database: { readonly url: string; readonly connectAttempts?: number } | null;
  },
  logger: Logger,
): Promise<StateStore> {
  if (!settings.database) return new SqliteStateStore(settings.dataDir);
  const { url, connectAttempts } = settings.database;
  const store = await openPostgresStore(url, { logger, ...(connectAttempts ? { connectAttempts } : {}) });
  logger.info("store.opened", { kind: "postgres" });
  return store;
}
