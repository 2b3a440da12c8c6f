import type { AnswerKind, AnswerMode } from "../answer/answer.js";

/** The answer log's database file, inside the data directory (beside schedules.sqlite). */
export const FEEDBACK_DB_FILE = "feedback.sqlite";
/** The salt that askers' ids are hashed with: made on first start, kept beside the database. */
export const FEEDBACK_SALT_FILE = "feedback.salt";

/** A member's verdict on an answer. */
export type Vote = "up" | "down";

/** Where an answer was asked. */
export type AnswerSource = "discord" | "terminal" | "cli";

/** One answer as the transports hand it to the log (the user id is hashed before it is stored). */
export interface AnswerEntry {
  readonly source: AnswerSource;
  readonly guildId: string | null;
  readonly channelId: string | null;
  /** The raw user id (Discord snowflake, or a local name for the terminal); never stored as is. */
  readonly userId: string;
  /** The question as asked, and as understood when it was a follow-up. */
  readonly question: string;
  readonly understoodAs: string | null;
  readonly kind: AnswerKind;
  readonly mode: AnswerMode;
  /** Ids of the passages the answer cites (or, for an abstention, the closest ones). */
  readonly passageIds: readonly string[];
  /** The manifest's corpusChecksum: which corpus version answered. */
  readonly corpusChecksum: string;
  readonly latencyMs: number;
}

/** An answer as the log holds it. */
export interface LoggedAnswer {
  /** Short random id, used in button custom ids (`vote:up:<id>`). */
  readonly id: string;
  readonly at: string;
  readonly source: AnswerSource;
  readonly guildId: string | null;
  readonly channelId: string | null;
  readonly askerHash: string;
  readonly question: string;
  readonly understoodAs: string | null;
  readonly kind: AnswerKind;
  readonly mode: AnswerMode;
  readonly passageIds: readonly string[];
  readonly corpusChecksum: string;
  readonly latencyMs: number;
}

/** Usage for /status. */
export interface Usage {
  readonly day: { readonly answered: number; readonly abstained: number };
  readonly week: { readonly answered: number; readonly abstained: number };
  /** Votes over the retention period. */
  readonly votes: { readonly up: number; readonly down: number };
}
