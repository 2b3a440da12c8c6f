import { PassageError } from "../../errors.js";
import type { LastPost, NewSubscription, ScheduleStore, SlotClaim, Subscription } from "../types.js";
import type { PgDatabase } from "./database.js";
import { ROWS } from "./rows.js";

/**
 * Briefing subscriptions in PostgreSQL, shared by every replica. Each change is one statement;
 * {@link claim} is one conditional UPDATE, so of two processes claiming the same slot at once
 * PostgreSQL lets exactly one through (the second waits for the first's row lock and then finds
 * the slot taken).
 */
export class PgScheduleStore implements ScheduleStore {
  constructor(private readonly db: PgDatabase) {}

  async add(s: NewSubscription): Promise<Subscription> {
    const { rows } = await this.db.query(
      `INSERT INTO subscriptions (guild_id, channel_id, topic, points, cadence, minute_of_day, weekday, created_by, created_at, next_due_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
      [
        s.guildId,
        s.channelId,
        s.topic,
        s.points,
        s.timetable.cadence,
        s.timetable.minuteOfDay,
        s.timetable.weekday,
        s.createdBy,
        s.createdAt,
        s.nextDueAt,
      ],
    );
    if (rows[0] === undefined) throw new PassageError("STORE_DB", "PostgreSQL did not return the added subscription.");
    return fromRow(rows[0]);
  }

  async get(id: number): Promise<Subscription | null> {
    const { rows } = await this.db.query("SELECT * FROM subscriptions WHERE id = $1", [id]);
    return rows[0] === undefined ? null : fromRow(rows[0]);
  }

  async list(guildId?: string): Promise<Subscription[]> {
    const { rows } =
      guildId === undefined
        ? await this.db.query("SELECT * FROM subscriptions ORDER BY id")
        : await this.db.query("SELECT * FROM subscriptions WHERE guild_id = $1 ORDER BY id", [guildId]);
    return rows.map(fromRow);
  }

  async remove(id: number, guildId: string): Promise<boolean> {
    const { rowCount } = await this.db.query("DELETE FROM subscriptions WHERE id = $1 AND guild_id = $2", [
      id,
      guildId,
    ]);
    return (rowCount ?? 0) > 0;
  }

  async claim(id: number, slot: Date, claim: SlotClaim): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `UPDATE subscriptions SET pending_slot = $2, claim_owner = $3, claimed_at = $4
       WHERE id = $1 AND next_due_at <= $2
         AND (pending_slot IS NULL OR pending_slot <> $2 OR claim_owner IS NULL OR claim_owner = $3
              OR claimed_at IS NULL OR claimed_at < $5)`,
      [id, slot, claim.owner, claim.at, claim.staleBefore],
    );
    return rowCount === 1;
  }

  async recordPost(id: number, post: LastPost, nextDueAt: Date): Promise<void> {
    await this.db.query(
      `UPDATE subscriptions SET pending_slot = NULL, claim_owner = NULL, claimed_at = NULL, next_due_at = $2,
         last_posted_at = $3, last_slot = $4, last_message_id = $5, last_corpus_checksum = $6, last_passage_ids = $7
       WHERE id = $1`,
      [id, nextDueAt, post.at, post.slot, post.messageId, post.corpusChecksum, [...post.passageIds]],
    );
  }

  async skip(id: number, nextDueAt: Date): Promise<void> {
    await this.db.query(
      "UPDATE subscriptions SET pending_slot = NULL, claim_owner = NULL, claimed_at = NULL, next_due_at = $2 WHERE id = $1",
      [id, nextDueAt],
    );
  }
}

function fromRow(row: unknown): Subscription {
  const parsed = ROWS.subscription.safeParse(row);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PassageError(
      "STORE_DB",
      `A subscription in PostgreSQL is malformed (${issue?.path.join(".")}: ${issue?.message}).`,
    );
  }
  return parsed.data;
}
