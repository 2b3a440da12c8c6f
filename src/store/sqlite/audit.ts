import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { errorMessage, PassageError } from "../../errors.js";
import { undoable } from "../rows.js";
import type { AuditEntry, AuditStore, NewAuditEntry, UndoableEntry } from "../types.js";
import { damagedFileError, guardDamage, isDamagedFile } from "./damaged.js";
import { migrate } from "./migrate.js";
import { ROWS } from "./rows.js";

/** The file the audit log lives in, inside the data directory (beside schedules.sqlite and feedback.sqlite). */
export const AUDIT_DB_FILE = "corpus-audit.sqlite";

const WHAT = "corpus audit log";

/** Schema steps, applied in order; `user_version` says how many a file has had. */
const MIGRATIONS = [
  `CREATE TABLE changes (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     at TEXT NOT NULL,
     actor_id TEXT NOT NULL,
     actor_name TEXT NOT NULL,
     action TEXT NOT NULL CHECK (action IN ('add', 'remove', 'replace', 'undo')),
     source TEXT NOT NULL,
     title TEXT NOT NULL,
     origin TEXT NOT NULL,
     checksum TEXT NOT NULL,
     snapshot TEXT,
     undone INTEGER NOT NULL DEFAULT 0
   );
   CREATE INDEX changes_source ON changes (source);`,
];

/**
 * Who changed the corpus, how and when, in SQLite: one row per add, remove, replace or undo.
 * An undone change is marked, not deleted: the log keeps what happened.
 */
export class SqliteAuditStore implements AuditStore {
  private constructor(
    private readonly db: Database.Database,
    private readonly path: string,
  ) {}

  /**
   * Opens (creating it and its folder when needed) the log at `path`: `STORE_DAMAGED` for a
   * damaged file, `CORPUS_AUDIT_DB` for any other reason it cannot.
   */
  static open(path: string): SqliteAuditStore {
    let db: Database.Database | null = null;
    try {
      mkdirSync(dirname(path), { recursive: true });
      db = new Database(path);
      db.pragma("journal_mode = WAL");
      db.pragma("busy_timeout = 2000");
      migrate(db, MIGRATIONS);
      return new SqliteAuditStore(db, path);
    } catch (cause) {
      db?.close();
      if (isDamagedFile(cause)) throw damagedFileError(WHAT, path, cause);
      throw new PassageError("CORPUS_AUDIT_DB", `Cannot open the corpus audit log ${path}: ${errorMessage(cause)}`, {
        cause,
      });
    }
  }

  async record(entry: NewAuditEntry): Promise<number> {
    return this.guard(() => this.insert(entry));
  }

  async recordUndo(undone: UndoableEntry, entry: Omit<NewAuditEntry, "action" | "snapshot">): Promise<number> {
    return this.guard(() =>
      this.db.transaction(() => {
        this.db.prepare("UPDATE changes SET undone = 1, snapshot = NULL WHERE id = ?").run(undone.id);
        return this.insert({ ...entry, action: "undo", snapshot: null });
      })(),
    );
  }

  async lastUndoable(): Promise<UndoableEntry | null> {
    const row = this.guard(() =>
      this.db.prepare("SELECT * FROM changes WHERE action != 'undo' AND undone = 0 ORDER BY id DESC").get(),
    );
    if (row === undefined) return null;
    return undoable(ROWS.change.parse(row));
  }

  async dropSnapshots(kept: ReadonlySet<string>): Promise<void> {
    this.guard(() => {
      const rows = this.db.prepare("SELECT id, snapshot FROM changes WHERE snapshot IS NOT NULL").all() as {
        id: number;
        snapshot: string;
      }[];
      const clear = this.db.prepare("UPDATE changes SET snapshot = NULL WHERE id = ?");
      this.db.transaction(() => {
        for (const row of rows) if (!kept.has(row.snapshot)) clear.run(row.id);
      })();
    });
  }

  async currentVersions(): Promise<Map<string, AuditEntry>> {
    const rows = this.guard(() =>
      this.db.prepare("SELECT * FROM changes WHERE action IN ('add', 'replace') AND undone = 0 ORDER BY id").all(),
    );
    const out = new Map<string, AuditEntry>();
    for (const row of rows) {
      const { entry } = ROWS.change.parse(row);
      out.set(entry.source, entry);
    }
    return out;
  }

  async recent(limit: number): Promise<AuditEntry[]> {
    return this.guard(() => this.db.prepare("SELECT * FROM changes ORDER BY id DESC LIMIT ?").all(limit)).map(
      (row) => ROWS.change.parse(row).entry,
    );
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private insert(entry: NewAuditEntry): number {
    const result = this.db
      .prepare(
        `INSERT INTO changes (at, actor_id, actor_name, action, source, title, origin, checksum, snapshot)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        entry.at,
        entry.actor.id,
        entry.actor.name,
        entry.action,
        entry.source,
        entry.title,
        entry.origin,
        entry.checksum,
        entry.snapshot,
      );
    return Number(result.lastInsertRowid);
  }

  private guard<T>(query: () => T): T {
    return guardDamage(WHAT, this.path, query);
  }
}
