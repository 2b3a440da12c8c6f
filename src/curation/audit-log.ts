import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { z } from "zod";
import { errorMessage, PassageError } from "../errors.js";
import { migrate } from "../sqlite-schema.js";
import type { AuditEntry, CorpusAction } from "./types.js";

/** The file the audit log lives in, inside the data directory (beside schedules.sqlite and feedback.sqlite). */
export const AUDIT_DB_FILE = "corpus-audit.sqlite";

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

// A file edited by hand or written by another version is caught here, before a wrong value is shown.
const ROW = z.object({
  id: z.number().int(),
  at: z.string(),
  actor_id: z.string(),
  actor_name: z.string(),
  action: z.enum(["add", "remove", "replace", "undo"]),
  source: z.string(),
  title: z.string(),
  origin: z.string(),
  checksum: z.string(),
  snapshot: z.string().nullable(),
  undone: z.number().int(),
});
type Row = z.output<typeof ROW>;

/** A change about to be recorded. `snapshot` names the corpus version saved before it (undo restores it). */
export interface NewAuditEntry extends Omit<AuditEntry, "id" | "undone"> {
  readonly snapshot: string | null;
}

/** A recorded change that undo may revert, with the snapshot taken before it (null once no longer kept). */
export interface UndoableEntry extends AuditEntry {
  readonly action: Exclude<CorpusAction, "undo">;
  readonly snapshot: string | null;
}

/**
 * Who changed the corpus, how and when, in SQLite: one row per add, remove, replace or undo.
 * An undone change is marked, not deleted: the log keeps what happened.
 */
export class AuditLog {
  private constructor(private readonly db: Database.Database) {}

  /** Opens (creating it and its folder when needed) the log at `path`; `CORPUS_AUDIT_DB` if it cannot. */
  static open(path: string): AuditLog {
    let db: Database.Database | null = null;
    try {
      mkdirSync(dirname(path), { recursive: true });
      db = new Database(path);
      db.pragma("journal_mode = WAL");
      db.pragma("busy_timeout = 2000");
      migrate(db, MIGRATIONS);
      return new AuditLog(db);
    } catch (cause) {
      db?.close();
      throw new PassageError("CORPUS_AUDIT_DB", `Cannot open the corpus audit log ${path}: ${errorMessage(cause)}`, {
        cause,
      });
    }
  }

  /** Records a change; returns its id. */
  record(entry: NewAuditEntry): number {
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

  /** Records an undo of `undone` and marks it undone, in one transaction. */
  recordUndo(undone: UndoableEntry, entry: Omit<NewAuditEntry, "action" | "snapshot">): number {
    return this.db.transaction(() => {
      this.db.prepare("UPDATE changes SET undone = 1, snapshot = NULL WHERE id = ?").run(undone.id);
      return this.record({ ...entry, action: "undo", snapshot: null });
    })();
  }

  /** The most recent change not yet undone, or null. */
  lastUndoable(): UndoableEntry | null {
    const row = this.db.prepare("SELECT * FROM changes WHERE action != 'undo' AND undone = 0 ORDER BY id DESC").get();
    if (row === undefined) return null;
    const parsed = ROW.parse(row);
    const entry = toEntry(parsed);
    return { ...entry, action: entry.action as UndoableEntry["action"], snapshot: parsed.snapshot };
  }

  /** Forgets the snapshot of changes whose snapshot is no longer kept: they can no longer be undone. */
  dropSnapshots(kept: ReadonlySet<string>): void {
    const rows = this.db.prepare("SELECT id, snapshot FROM changes WHERE snapshot IS NOT NULL").all() as {
      id: number;
      snapshot: string;
    }[];
    const clear = this.db.prepare("UPDATE changes SET snapshot = NULL WHERE id = ?");
    this.db.transaction(() => {
      for (const row of rows) if (!kept.has(row.snapshot)) clear.run(row.id);
    })();
  }

  /**
   * For each article, the change that put its current version in (the last add or replace not
   * undone): who and when, and the checksum of what was added.
   */
  currentVersions(): Map<string, AuditEntry> {
    const rows = this.db
      .prepare("SELECT * FROM changes WHERE action IN ('add', 'replace') AND undone = 0 ORDER BY id")
      .all();
    const out = new Map<string, AuditEntry>();
    for (const row of rows) {
      const entry = toEntry(ROW.parse(row));
      out.set(entry.source, entry);
    }
    return out;
  }

  /** The last `limit` changes, newest first. */
  recent(limit: number): AuditEntry[] {
    return this.db
      .prepare("SELECT * FROM changes ORDER BY id DESC LIMIT ?")
      .all(limit)
      .map((row) => toEntry(ROW.parse(row)));
  }

  close(): void {
    this.db.close();
  }
}

function toEntry(row: Row): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    actor: { id: row.actor_id, name: row.actor_name },
    action: row.action,
    source: row.source,
    title: row.title,
    origin: row.origin,
    checksum: row.checksum,
    undone: row.undone !== 0,
  };
}
