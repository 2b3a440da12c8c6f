import type Database from "better-sqlite3";

/**
 * Brings a SQLite database's schema up to date: `migrations[i]` takes it from version i to
 * i + 1 (SQLite's `user_version`), each in its own transaction, so a crash leaves it at a whole
 * version. A database from a newer program is refused rather than misread.
 */
export function migrate(db: Database.Database, migrations: readonly string[]): void {
  const version = db.pragma("user_version", { simple: true }) as number;
  if (version > migrations.length)
    throw new Error(`its schema version ${version} is newer than this program's (${migrations.length})`);
  for (let v = version; v < migrations.length; v++) {
    db.transaction(() => {
      db.exec(migrations[v] ?? "");
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
