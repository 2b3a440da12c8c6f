import { z } from "zod";
import { UserError } from "../errors.js";
import {
  type AuditEntry,
  CADENCES,
  type GapRow,
  type LastPost,
  type LoggedAnswer,
  type Subscription,
  type UndoableEntry,
} from "./types.js";

/**
 * How one database driver returns the column types that differ between the stores: the tables
 * have the same columns with the same meaning in SQLite and PostgreSQL, only their times, id
 * lists, flags and comment lists come back as different JavaScript values.
 */
export interface ColumnCodecs {
  /** A time column, as the ISO 8601 text the store interface speaks. */
  readonly time: z.ZodType<string>;
  /** A list of passage ids (a damaged value reads as none). */
  readonly ids: z.ZodType<string[]>;
  /** A true/false column. */
  readonly flag: z.ZodType<boolean>;
  /** The 👎 comments aggregated over an answer's votes, oldest first (null: none). */
  readonly comments: z.ZodType<string[]>;
}

const ANSWER_SOURCES = ["discord", "terminal", "cli"] as const;
const ANSWER_KINDS = ["answer", "overview", "abstained"] as const;

/**
 * The rows each store reads, checked (a row edited by hand or written by another version is
 * caught before a wrong value reaches a caller) and turned into the records of the store
 * interface, in one place for both stores. Each store wraps a failed parse in its own error.
 */
export function rowSchemas(c: ColumnCodecs) {
  const answer = z
    .object({
      id: z.string(),
      at: c.time,
      source: z.enum(ANSWER_SOURCES),
      guild_id: z.string().nullable(),
      channel_id: z.string().nullable(),
      asker_hash: z.string(),
      question: z.string(),
      understood_as: z.string().nullable(),
      kind: z.enum(ANSWER_KINDS),
      mode: z.enum(["quoted", "generated"]),
      passage_ids: c.ids,
      corpus_checksum: z.string(),
      latency_ms: z.number(),
    })
    .transform(
      (r): LoggedAnswer => ({
        id: r.id,
        at: r.at,
        source: r.source,
        guildId: r.guild_id,
        channelId: r.channel_id,
        askerHash: r.asker_hash,
        question: r.question,
        understoodAs: r.understood_as,
        kind: r.kind,
        mode: r.mode,
        passageIds: r.passage_ids,
        corpusChecksum: r.corpus_checksum,
        latencyMs: r.latency_ms,
      }),
    );

  const gap = z
    .object({
      id: z.string(),
      at: c.time,
      question: z.string(),
      understood_as: z.string().nullable(),
      kind: z.enum(ANSWER_KINDS),
      passage_ids: c.ids,
      up: z.number().int(),
      down: z.number().int(),
      comments: c.comments,
    })
    .transform(
      (r): GapRow => ({
        answerId: r.id,
        at: r.at,
        reason: r.kind === "abstained" ? "abstained" : "voted-down",
        question: r.understood_as ?? r.question,
        kind: r.kind,
        passageIds: r.passage_ids,
        up: r.up,
        down: r.down,
        comments: r.comments,
      }),
    );

  const subscription = z
    .object({
      id: z.number().int(),
      guild_id: z.string(),
      channel_id: z.string(),
      topic: z.string(),
      points: z.number().int(),
      cadence: z.enum(CADENCES),
      minute_of_day: z.number().int(),
      weekday: z.number().int().nullable(),
      created_by: z.string(),
      created_at: c.time,
      next_due_at: c.time,
      pending_slot: c.time.nullable(),
      claim_owner: z.string().nullable(),
      claimed_at: c.time.nullable(),
      last_posted_at: c.time.nullable(),
      last_slot: c.time.nullable(),
      last_message_id: z.string().nullable(),
      last_corpus_checksum: z.string().nullable(),
      last_passage_ids: c.ids.nullable(),
    })
    .transform((r): Subscription => {
      const lastPost: LastPost | null =
        r.last_posted_at !== null && r.last_slot !== null && r.last_corpus_checksum !== null
          ? {
              at: r.last_posted_at,
              slot: r.last_slot,
              messageId: r.last_message_id ?? "",
              corpusChecksum: r.last_corpus_checksum,
              passageIds: r.last_passage_ids ?? [],
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
        claimOwner: r.claim_owner,
        claimedAt: r.claimed_at,
        lastPost,
      };
    });

  /** A corpus change: the audit entry, and the snapshot an undo restores (kept apart: only undo sees it). */
  const change = z
    .object({
      id: z.number().int(),
      at: c.time,
      actor_id: z.string(),
      actor_name: z.string(),
      action: z.enum(["add", "remove", "replace", "undo"]),
      source: z.string(),
      title: z.string(),
      origin: z.string(),
      checksum: z.string(),
      snapshot: z.string().nullable(),
      undone: c.flag,
    })
    .transform((r): { entry: AuditEntry; snapshot: string | null } => ({
      entry: {
        id: r.id,
        at: r.at,
        actor: { id: r.actor_id, name: r.actor_name },
        action: r.action,
        source: r.source,
        title: r.title,
        origin: r.origin,
        checksum: r.checksum,
        undone: r.undone,
      },
      snapshot: r.snapshot,
    }));

  return { answer, gap, subscription, change };
}

/** A change read by `lastUndoable` (which selects no undo), as the undoable entry it is. */
export function undoable({ entry, snapshot }: { entry: AuditEntry; snapshot: string | null }): UndoableEntry {
  return { ...entry, action: entry.action as UndoableEntry["action"], snapshot };
}

/** A vote or comment on an answer the store no longer holds. */
export function answerGone(): UserError {
  return new UserError("ANSWER_GONE", "Passage no longer holds that answer (it was deleted or has expired).");
}
