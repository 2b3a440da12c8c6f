import { z } from "zod";
import type { AuditEntry, AuditStore, NewAuditEntry, UndoableEntry } from "../types.js";
import type { PgDatabase, Queryable } from "./database.js";
import { iso } from "./rows.js";

// A row edited by hand or written by another version is caught here, before a wrong value is shown.
const ROW = z.object({
  id: z.number().int(),
  at: z.date(),
  actor_id: z.string(),
  actor_name: z.string(),
  action: z.enum(["add", "remove", "replace", "undo"]),
  source: z.string(),
  title: z.string(),
  origin: z.string(),
  checksum: z.string(),
  snapshot: z.string().nullable(),
  undone: z.boolean(),
});
type Row = z.output<typeof ROW>;

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
    const row = ROW.parse(rows[0]);
    const entry = toEntry(row);
    return { ...entry, action: entry.action as UndoableEntry["action"], snapshot: row.snapshot };
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
      const entry = toEntry(ROW.parse(row));
      out.set(entry.source, entry);
    }
    return out;
  }

  async recent(limit: number): Promise<AuditEntry[]> {
    const { rows } = await this.db.query("SELECT * FROM corpus_changes ORDER BY id DESC LIMIT $1", [limit]);
    return rows.map((row) => toEntry(ROW.parse(row)));
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

function toEntry(row: Row): AuditEntry {
  return {
    id: row.id,
    at: iso(row.at),
    actor: { id: row.actor_id, name: row.actor_name },
    action: row.action,
    source: row.source,
    title: row.title,
    origin: row.origin,
    checksum: row.checksum,
    undone: row.undone,
  };
}
