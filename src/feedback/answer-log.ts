import { createHmac, randomBytes } from "node:crypto";
import { PassageError } from "../errors.js";
import { openSqliteStore } from "../store/sqlite/open-sqlite-store.js";
import type { AnswerStore, GapRow, LoggedAnswer, StateStore, Usage, Vote } from "../store/types.js";

export { FEEDBACK_DB_FILE } from "../store/sqlite/answers.js";
export { FEEDBACK_SALT_FILE } from "../store/sqlite/salt.js";
export type { AnswerSource, GapReason, GapRow, LoggedAnswer, Usage, Vote } from "../store/types.js";

/**
 * One answer as the transports hand it to the log: a logged answer before it has an id, a time
 * and the asker's hash, with the raw user id (a Discord snowflake, or a local name for the
 * terminal) that is hashed before anything is stored.
 */
export interface AnswerEntry extends Omit<LoggedAnswer, "id" | "at" | "askerHash"> {
  readonly userId: string;
}

/** Settings of {@link AnswerLog.open}. */
export interface AnswerLogOptions {
  /** Rows older than this many days are deleted (default {@link DEFAULT_RETENTION_DAYS}). */
  readonly retentionDays?: number;
  /** The clock (tests inject one). */
  readonly now?: () => Date;
}

/** How long answers are kept when FEEDBACK_RETENTION_DAYS is not set. */
export const DEFAULT_RETENTION_DAYS = 90;
/** Longest comment kept, in characters (the modal is capped lower; this guards the store). */
export const MAX_COMMENT_CHARS = 1000;

const DAY_MS = 86_400_000;

/**
 * The answer log: every answer Passage gave, with the votes and comments on it, in the state
 * store (SQLite's feedback.sqlite, or PostgreSQL). Askers and voters reach the store only as
 * HMAC-SHA256 hashes of their ids under the store's salt, so the data alone never names anyone
 * and the same person's rows can still be found for /forget-me. Rows older than the retention
 * period are deleted at open and then at most once a day. This class holds the policy (hashing,
 * clock, retention); the store holds the rows.
 */
export class AnswerLog {
  private lastPrune = 0;

  private constructor(
    private readonly store: AnswerStore,
    private readonly salt: Buffer,
    private readonly retentionDays: number,
    private readonly now: () => Date,
    private readonly owned: StateStore | null,
  ) {}

  /**
   * The log over `state`'s answers, or over the SQLite store in a data folder (which the log then
   * owns and closes): reads (or makes) the salt and prunes expired rows. Throws a `FEEDBACK_DB`
   * `PassageError` for a bad retention, and the store's error (`FEEDBACK_DB`, `STORE_DAMAGED`)
   * when it cannot be opened.
   */
  static async open(state: StateStore | string, options: AnswerLogOptions = {}): Promise<AnswerLog> {
    const retentionDays = options.retentionDays ?? DEFAULT_RETENTION_DAYS;
    if (!Number.isInteger(retentionDays) || retentionDays < 1)
      throw new PassageError(
        "FEEDBACK_DB",
        `The answer log's retention must be a whole number of days, not ${retentionDays}.`,
      );
    const owned = typeof state === "string" ? await openSqliteStore(state) : null;
    const store = owned ?? (state as StateStore);
    try {
      const salt = await store.salt();
      const log = new AnswerLog(store.answers, salt, retentionDays, options.now ?? (() => new Date()), owned);
      await log.prune();
      return log;
    } catch (error) {
      await owned?.close();
      throw error;
    }
  }

  /** Closes the store when the log opened it from a data folder; a store passed in stays open for its owner. */
  async close(): Promise<void> {
    await this.owned?.close();
  }

  /** The salted hash a user id is stored as (hex HMAC-SHA256). */
  hashUser(userId: string): string {
    return createHmac("sha256", this.salt).update(userId, "utf8").digest("hex");
  }

  /** Logs an answer and returns it with its new id. */
  async record(entry: AnswerEntry): Promise<LoggedAnswer> {
    await this.pruneDaily();
    const logged: LoggedAnswer = {
      id: randomBytes(9).toString("base64url"),
      at: this.now().toISOString(),
      source: entry.source,
      guildId: entry.guildId,
      channelId: entry.channelId,
      askerHash: this.hashUser(entry.userId),
      question: entry.question,
      understoodAs: entry.understoodAs,
      kind: entry.kind,
      mode: entry.mode,
      passageIds: [...entry.passageIds],
      corpusChecksum: entry.corpusChecksum,
      latencyMs: Math.max(0, Math.round(entry.latencyMs)),
    };
    await this.store.record(logged);
    return logged;
  }

  /** The logged answer with this id, or null when the log does not hold it (never did, pruned, forgotten). */
  get(answerId: string): Promise<LoggedAnswer | null> {
    return this.store.get(answerId);
  }

  /**
   * Records a person's vote on an answer: one per person per answer, a second vote replaces the
   * first (keeping its comment). Returns the vote it replaced. Rejects with the `UserError`
   * `ANSWER_GONE` when the log no longer holds the answer.
   */
  vote(answerId: string, userId: string, vote: Vote): Promise<{ previous: Vote | null }> {
    return this.store.vote(answerId, this.hashUser(userId), vote, this.now());
  }

  /**
   * Stores the 👎 "what was wrong?" text with that person's vote on the answer (a 👎 vote is
   * recorded if they had none; a blank text clears the comment). Rejects with `ANSWER_GONE` like `vote`.
   */
  async comment(answerId: string, userId: string, text: string): Promise<void> {
    const cleaned = text.replace(/\s+/g, " ").trim().slice(0, MAX_COMMENT_CHARS);
    await this.store.comment(answerId, this.hashUser(userId), cleaned === "" ? null : cleaned, this.now());
  }

  /**
   * Deletes everything the log holds about a person: the answers they asked (with the votes on
   * them, which mean nothing without the answer) and their votes and comments on other answers.
   * Returns how many rows of theirs were deleted (their answers plus their votes).
   */
  forget(userId: string): Promise<number> {
    return this.store.forget(this.hashUser(userId));
  }

  /** Deletes answers (and their votes) older than the retention period; returns the answers deleted. */
  prune(): Promise<number> {
    const now = this.now().getTime();
    this.lastPrune = now;
    return this.store.prune(new Date(now - this.retentionDays * DAY_MS));
  }

  /** Answers and abstentions in the last 24 hours and 7 days, and the votes held. */
  async usage(): Promise<Usage> {
    await this.pruneDaily();
    return this.store.usage(this.now());
  }

  /**
   * The gaps of the last `sinceDays` days, newest first: answers that abstained, and answers
   * with at least one 👎 (with their comments and the passages they cited).
   */
  async gapRows(sinceDays: number): Promise<GapRow[]> {
    await this.pruneDaily();
    return this.store.gapRows(new Date(this.now().getTime() - sinceDays * DAY_MS));
  }

  private async pruneDaily(): Promise<void> {
    if (this.now().getTime() - this.lastPrune >= DAY_MS) await this.prune();
  }
}
