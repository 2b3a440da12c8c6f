import { PassageError } from "../../errors.js";
import type { Logger } from "../../log.js";
import type { PgDatabase } from "./database.js";

/** One step of the schema: `sql` takes the database from `version - 1` to `version`. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/**
 * The advisory lock every starting process takes before it looks at the schema, so that two
 * replicas starting together apply each migration once: the second waits for the first's
 * transaction and then finds nothing left to do. Any constant works, as long as it never changes.
 */
export const MIGRATION_LOCK = 7_140_517_901;

/**
 * Brings the schema up to date in one transaction holding {@link MIGRATION_LOCK}: the versions
 * applied are rows of `schema_migrations`; the missing ones run in order. A crash leaves the
 * schema as it was (PostgreSQL's DDL is transactional). A database migrated by a newer program
 * is refused rather than misread. Returns the versions applied now.
 */
export async function migrate(db: PgDatabase, migrations: readonly Migration[], logger: Logger): Promise<number[]> {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${m.name} is numbered ${m.version}, expected ${i + 1}`);
  });
  const applied = await db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
    await tx.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version integer PRIMARY KEY,
         name text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const { rows } = await tx.query<{ version: number | null }>(
      "SELECT max(version) AS version FROM schema_migrations",
    );
    const current = rows[0]?.version ?? 0;
    if (current > migrations.length)
      throw new PassageError(
        "STORE_DB",
        `The PostgreSQL schema at ${db.target} is at version ${current}, newer than this program's (${migrations.length}).`,
        { remedy: "Run the newer version of Passage, or restore a backup made before the upgrade." },
      );
    const done: number[] = [];
    for (const m of migrations.slice(current)) {
      await tx.query(m.sql);
      await tx.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [m.version, m.name]);
      done.push(m.version);
    }
    return done;
  });
  if (applied.length > 0) logger.info("store.migrated", { target: db.target, versions: applied });
  return applied;
}
