import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { z } from "zod";
import { errorMessage, PassageError } from "../errors.js";
import { migrate } from "../sqlite-schema.js";
import { CADENCES, type Cadence, slotAfter, type Timetable, timetable } from "./due.js";

/** The file the subscriptions live in, inside the data directory. */
export const SCHEDULE_DB_FILE = "schedules.sqlite";

/** What a channel was last sent, so the next briefing can tell what is new since. */
export interface LastPost {
  /** When it was posted (ISO 8601). */
  readonly at: string;
  /** The slot it was posted for (ISO 8601). */
  readonly slot: string;
  readonly messageId: string;
  /** The manifest's corpusChecksum at the time. */
  readonly corpusChecksum: string;
  /** Every passage id in the corpus at the time. */
  readonly passageIds: readonly string[];
}

/** A channel's subscription to a briefing on a topic. */
export interface Subscription {
  readonly id: number;
  readonly guildId: string;
  readonly channelId: string;
  readonly topic: string;
  readonly points: number;
  readonly timetable: Timetable;
  /** The user id of the moderator who made it. */
  readonly createdBy: string;
  readonly createdAt: string;
  /** The next slot to post for (ISO 8601). */
  readonly nextDueAt: string;
  /**
   * A slot whose post was begun but not confirmed: the process stopped between sending and
   * recording. The next run sends it again with the same nonce, which Discord deduplicates.
   */
  readonly pendingSlot: string | null;
  readonly lastPost: LastPost | null;
}

export interface NewSubscription {
  readonly guildId: string;
  readonly channelId: string;
  readonly topic: string;
  readonly points: number;
  readonly cadence: Cadence;
  readonly minuteOfDay: number;
  readonly createdBy: string;
}

/**
 * A row of the subscriptions table as better-sqlite3 returns it. The table's constraints
 * already hold; checking the row here catches a file edited by hand or written by another
 * version before a wrong value reaches the scheduler.
 */
const ROW = z.object({
  id: z.number().int(),
  guild_id: z.string(),
  channel_id: z.string(),
  topic: z.string(),
  points: z.number().int(),
  cadence: z.enum(CADENCES),
  minute_of_day: z.number().int(),
  weekday: z.number().int().nullable(),
  created_by: z.string(),
  created_at: z.string(),
  next_due_at: z.string(),
  pending_slot: z.string().nullable(),
  last_posted_at: z.string().nullable(),
  last_slot: z.string().nullable(),
  last_message_id: z.string().nullable(),
  last_corpus_checksum: z.string().nullable(),
  last_passage_ids: z.string().nullable(),
});

/**
 * The passage ids of a last post, stored as a JSON array. A damaged value reads as no ids
 * (every passage then counts as new in the next briefing) rather than stopping the schedule.
 */
const PASSAGE_IDS = z
  .string()
  .transform((json, context) => {
    try {
      return JSON.parse(json) as unknown;
    } catch {
      context.addIssue({ code: "custom", message: "not JSON" });
      return z.NEVER;
    }
  })
  .pipe(z.array(z.unknown()))
  .transform((ids) => ids.filter((id): id is string => typeof id === "string"))
  .catch([]);

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
];

/**
 * Briefing subscriptions in a SQLite database (better-sqlite3: synchronous, one file, safe to
 * reopen after a crash). Every change is one statement, so a restart sees either the state
 * before it or after it, never half.
 */
export class ScheduleStore {
  private constructor(private readonly db: Database.Database) {}

  /** Opens (creating if need be) the database at `path` and brings its schema up to date. */
  static open(path: string): ScheduleStore {
    let db: Database.Database;
    try {
      if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
      db = new Database(path);
      db.pragma("journal_mode = WAL");
      db.pragma("busy_timeout = 2000");
      migrate(db, MIGRATIONS);
    } catch (cause) {
      throw new PassageError("SCHEDULE_DB", `Cannot open the schedule database ${path}: ${errorMessage(cause)}`, {
        cause,
      });
    }
    return new ScheduleStore(db);
  }

  /** Adds a subscription; its first slot is the first one after `now`. */
  add(s: NewSubscription, now: Date): Subscription {
    const t = timetable(s.cadence, s.minuteOfDay, now);
    const { lastInsertRowid } = this.db
      .prepare(
        `INSERT INTO subscriptions (guild_id, channel_id, topic, points, cadence, minute_of_day, weekday, created_by, created_at, next_due_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        s.guildId,
        s.channelId,
        s.topic,
        s.points,
        t.cadence,
        t.minuteOfDay,
        t.weekday,
        s.createdBy,
        now.toISOString(),
        slotAfter(t, now).toISOString(),
      );
    const added = this.get(Number(lastInsertRowid));
    if (!added) throw new PassageError("SCHEDULE_DB", "A subscription vanished right after it was added.");
    return added;
  }

  get(id: number): Subscription | null {
    const row = this.db.prepare("SELECT * FROM subscriptions WHERE id = ?").get(id);
    return row === undefined ? null : fromRow(row);
  }

  /** Every subscription, or a guild's, oldest first. */
  list(guildId?: string): Subscription[] {
    const rows =
      guildId === undefined
        ? this.db.prepare("SELECT * FROM subscriptions ORDER BY id").all()
        : this.db.prepare("SELECT * FROM subscriptions WHERE guild_id = ? ORDER BY id").all(guildId);
    return rows.map(fromRow);
  }

  /** Removes a guild's subscription; false when the guild has none with that id. */
  remove(id: number, guildId: string): boolean {
    return this.db.prepare("DELETE FROM subscriptions WHERE id = ? AND guild_id = ?").run(id, guildId).changes > 0;
  }

  /** Records that a post for `slot` is about to be sent. */
  claim(id: number, slot: Date): void {
    this.db.prepare("UPDATE subscriptions SET pending_slot = ? WHERE id = ?").run(slot.toISOString(), id);
  }

  /** Records a sent post and the next slot, and clears the claim, in one statement. */
  recordPost(id: number, post: LastPost, nextDueAt: Date): void {
    this.db
      .prepare(
        `UPDATE subscriptions SET pending_slot = NULL, next_due_at = ?, last_posted_at = ?, last_slot = ?, last_message_id = ?, last_corpus_checksum = ?, last_passage_ids = ?
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
      );
  }

  /** Gives up on the due slot (the channel is gone or closed to the bot) and waits for `nextDueAt`. */
  skip(id: number, nextDueAt: Date): void {
    this.db
      .prepare("UPDATE subscriptions SET pending_slot = NULL, next_due_at = ? WHERE id = ?")
      .run(nextDueAt.toISOString(), id);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** A row read from the table as a `Subscription`; a row that breaks the format is a `SCHEDULE_DB` error. */
function fromRow(row: unknown): Subscription {
  const parsed = ROW.safeParse(row);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PassageError(
      "SCHEDULE_DB",
      `A subscription in the schedule database is malformed (${issue?.path.join(".")}: ${issue?.message}).`,
    );
  }
  const r = parsed.data;
  const lastPost: LastPost | null =
    r.last_posted_at !== null && r.last_slot !== null && r.last_corpus_checksum !== null
      ? {
          at: r.last_posted_at,
          slot: r.last_slot,
          messageId: r.last_message_id ?? "",
          corpusChecksum: r.last_corpus_checksum,
          passageIds: PASSAGE_IDS.parse(r.last_passage_ids ?? "[]"),
        }
      : null;
  return {
    id: r.id,
    guildId: r.guild_id,
    channelId: r.channel_id,
    topic: r.topic,
    points: r.points,
    timetable: { cadence: r.cadence, minuteOfDay: r.minute_of_day, weekday: r.weekday },
    createdBy: r.created_by,
    createdAt: r.created_at,
    nextDueAt: r.next_due_at,
    pendingSlot: r.pending_slot,
    lastPost,
  };
}
