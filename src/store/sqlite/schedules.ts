import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { errorMessage, PassageError } from "../../errors.js";
import type { LastPost, NewSubscription, ScheduleStore, SlotClaim, Subscription } from "../types.js";
import { damagedFileError, guardDamage, isDamagedFile } from "./damaged.js";
import { migrate } from "./migrate.js";
import { ROWS } from "./rows.js";

/** The file the subscriptions live in, inside the data directory. */
export const SCHEDULE_DB_FILE = "schedules.sqlite";

const WHAT = "schedule database";

// Each entry migrates the schema from version i to i + 1 (SQLite's user_version).
const MIGRATIONS = [
  `CREATE TABLE subscriptions (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     guild_id TEXT NOT NULL,
     channel_id TEXT NOT NULL,
     topic TEXT NOT NULL,
     points INTEGER NOT NULL,
     cadence TEXT NOT NULL CHECK (cadence IN ('daily', 'weekly')),
     minute_of_day INTEGER NOT NULL CHECK (minute_of_day BETWEEN 0 AND 1439),
     weekday INTEGER CHECK (weekday BETWEEN 0 AND 6),
     created_by TEXT NOT NULL,
     created_at TEXT NOT NULL,
     next_due_at TEXT NOT NULL,
     pending_slot TEXT,
     last_posted_at TEXT,
     last_slot TEXT,
     last_message_id TEXT,
     last_corpus_checksum TEXT,
     last_passage_ids TEXT
   );
   CREATE INDEX subscriptions_guild ON subscriptions (guild_id);`,
  // Who holds a pending slot and since when, so several processes sharing the file claim a slot once.
  `ALTER TABLE subscriptions ADD COLUMN claim_owner TEXT;
   ALTER TABLE subscriptions ADD COLUMN claimed_at TEXT;`,
];

/**
 * Briefing subscriptions in a SQLite database (better-sqlite3: synchronous, one file, safe to
 * reopen after a crash). Every change is one statement, so a restart sees either the state
 * before it or after it, never half.
 */
export class SqliteScheduleStore implements ScheduleStore {
  private constructor(
    private readonly db: Database.Database,
    private readonly path: string,
  ) {}

  /**
   * Opens (creating if need be) the database at `path` and brings its schema up to date.
   * `STORE_DAMAGED` for a damaged file, `SCHEDULE_DB` for any other reason it cannot be opened.
   */
  static open(path: string): SqliteScheduleStore {
    let db: Database.Database | null = null;
    try {
      if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
      db = new Database(path);
      db.pragma("journal_mode = WAL");
      db.pragma("busy_timeout = 2000");
      migrate(db, MIGRATIONS);
      return new SqliteScheduleStore(db, path);
    } catch (cause) {
      db?.close();
      if (isDamagedFile(cause)) throw damagedFileError(WHAT, path, cause);
      throw new PassageError("SCHEDULE_DB", `Cannot open the schedule database ${path}: ${errorMessage(cause)}`, {
        cause,
      });
    }
  }

  async add(s: NewSubscription): Promise<Subscription> {
    const { lastInsertRowid } = this.guard(() =>
      this.db
        .prepare(
          `INSERT INTO subscriptions (guild_id, channel_id, topic, points, cadence, minute_of_day, weekday, created_by, created_at, next_due_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          s.guildId,
          s.channelId,
          s.topic,
          s.points,
          s.timetable.cadence,
          s.timetable.minuteOfDay,
          s.timetable.weekday,
          s.createdBy,
          s.createdAt.toISOString(),
          s.nextDueAt.toISOString(),
        ),
    );
    const added = await this.get(Number(lastInsertRowid));
    if (!added) throw new PassageError("SCHEDULE_DB", "A subscription vanished right after it was added.");
    return added;
  }

  async get(id: number): Promise<Subscription | null> {
    const row = this.guard(() => this.db.prepare("SELECT * FROM subscriptions WHERE id = ?").get(id));
    return row === undefined ? null : fromRow(row);
  }

  async list(guildId?: string): Promise<Subscription[]> {
    const rows = this.guard(() =>
      guildId === undefined
        ? this.db.prepare("SELECT * FROM subscriptions ORDER BY id").all()
        : this.db.prepare("SELECT * FROM subscriptions WHERE guild_id = ? ORDER BY id").all(guildId),
    );
    return rows.map(fromRow);
  }

  async remove(id: number, guildId: string): Promise<boolean> {
    return this.guard(
      () => this.db.prepare("DELETE FROM subscriptions WHERE id = ? AND guild_id = ?").run(id, guildId).changes > 0,
    );
  }

  async claim(id: number, slot: Date, claim: SlotClaim): Promise<boolean> {
    const at = slot.toISOString();
    // One statement: SQLite runs it under the write lock, so of two claimers only one sees the row match.
    const { changes } = this.guard(() =>
      this.db
        .prepare(
          `UPDATE subscriptions SET pending_slot = ?, claim_owner = ?, claimed_at = ?
           WHERE id = ? AND next_due_at <= ?
             AND (pending_slot IS NULL OR pending_slot <> ? OR claim_owner IS NULL OR claim_owner = ?
                  OR claimed_at IS NULL OR claimed_at < ?)`,
        )
        .run(at, claim.owner, claim.at.toISOString(), id, at, at, claim.owner, claim.staleBefore.toISOString()),
    );
    return changes > 0;
  }

  async recordPost(id: number, post: LastPost, nextDueAt: Date): Promise<void> {
    this.guard(() =>
      this.db
        .prepare(
          `UPDATE subscriptions SET pending_slot = NULL, claim_owner = NULL, claimed_at = NULL, next_due_at = ?,
             last_posted_at = ?, last_slot = ?, last_message_id = ?, last_corpus_checksum = ?, last_passage_ids = ?
           WHERE id = ?`,
        )
        .run(
          nextDueAt.toISOString(),
          post.at,
          post.slot,
          post.messageId,
          post.corpusChecksum,
          JSON.stringify(post.passageIds),
          id,
        ),
    );
  }

  async skip(id: number, nextDueAt: Date): Promise<void> {
    this.guard(() =>
      this.db
        .prepare(
          "UPDATE subscriptions SET pending_slot = NULL, claim_owner = NULL, claimed_at = NULL, next_due_at = ? WHERE id = ?",
        )
        .run(nextDueAt.toISOString(), id),
    );
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private guard<T>(query: () => T): T {
    return guardDamage(WHAT, this.path, query);
  }
}

/** A row read from the table as a `Subscription`; a row that breaks the format is a `SCHEDULE_DB` error. */
function fromRow(row: unknown): Subscription {
  const parsed = ROWS.subscription.safeParse(row);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PassageError(
      "SCHEDULE_DB",
      `A subscription in the schedule database is malformed (${issue?.path.join(".")}: ${issue?.message}).`,
    );
  }
  return parsed.data;
}
