import { undoable } from "../rows.js";
import type { AuditEntry, AuditStore, NewAuditEntry, UndoableEntry } from "../types.js";
import type { PgDatabase, Queryable } from "./database.js";
import { ROWS } from "./rows.js";

/** The corpus audit log in PostgreSQL (table `corpus_changes`): an undone change is marked, never deleted. */
export class PgAuditStore implements AuditStore {
  constructor(private readonly db: PgDatabase) {}

  record(entry: NewAuditEntry): Promise<number> {
    return insert(this.db, entry);
  }

  recordUndo(undone: UndoableEntry, entry: Omit<NewAuditEntry, "action" | "snapshot">): Promise<number> {
    return this.db.transaction(async (tx) => {
      await tx.query("UPDATE corpus_changes SET undone = true, snapshot = NULL WHERE id = $1", [undone.id]);
      return insert(tx, { ...entry, action: "undo", snapshot: null });
    });
  }

  async lastUndoable(): Promise<UndoableEntry | null> {
    const { rows } = await this.db.query(
      "SELECT * FROM corpus_changes WHERE action <> 'undo' AND NOT undone ORDER BY id DESC LIMIT 1",
    );
    if (rows[0] === undefined) return null;
    return undoable(ROWS.change.parse(rows[0]));
  }

  async dropSnapshots(kept: ReadonlySet<string>): Promise<void> {
    await this.db.query(
      "UPDATE corpus_changes SET snapshot = NULL WHERE snapshot IS NOT NULL AND NOT (snapshot = ANY ($1))",
      [[...kept]],
    );
  }

  async currentVersions(): Promise<Map<string, AuditEntry>> {
    const { rows } = await this.db.query(
      "SELECT * FROM corpus_changes WHERE action IN ('add', 'replace') AND NOT undone ORDER BY id",
    );
    const out = new Map<string, AuditEntry>();
    for (const row of rows) {
      const { entry } = ROWS.change.parse(row);
      out.set(entry.source, entry);
    }
    return out;
  }

  async recent(limit: number): Promise<AuditEntry[]> {
    const { rows } = await this.db.query("SELECT * FROM corpus_changes ORDER BY id DESC LIMIT $1", [limit]);
    return rows.map((row) => ROWS.change.parse(row).entry);
  }
}

async function insert(db: Queryable, entry: NewAuditEntry): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO corpus_changes (at, actor_id, actor_name, action, source, title, origin, checksum, snapshot)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [
      entry.at,
      entry.actor.id,
      entry.actor.name,
      entry.action,
      entry.source,
      entry.title,
      entry.origin,
      entry.checksum,
      entry.snapshot,
    ],
  );
  return Number(rows[0]?.id);
}
