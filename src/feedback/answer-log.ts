import { createHmac, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { z } from "zod";
import type { AnswerKind, AnswerMode } from "../answer/answer.js";
import { errorMessage, PassageError, UserError } from "../errors.js";
import { migrate } from "../sqlite-schema.js";

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

/** Why a question is a gap: Passage abstained on it, or someone voted its answer down. */
export type GapReason = "abstained" | "voted-down";

/** One logged answer that shows a gap in the corpus, as `/gaps` reads it. */
export interface GapRow {
  readonly answerId: string;
  readonly at: string;
  readonly reason: GapReason;
  /** The question as understood (a follow-up's resolved question), else as asked. */
  readonly question: string;
  readonly kind: AnswerKind;
  /** The passages the answer cited (for an abstention, the closest ones). */
  readonly passageIds: readonly string[];
  readonly up: number;
  readonly down: number;
  /** The 👎 "what was wrong?" comments, oldest first. */
  readonly comments: readonly string[];
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
/** Longest comment kept, in characters (the modal is capped lower; this guards the file). */
export const MAX_COMMENT_CHARS = 1000;

const DAY_MS = 86_400_000;

// Each entry migrates the schema from version i to i + 1 (SQLite's user_version), as in the schedule store.
const MIGRATIONS = [
  `CREATE TABLE answers (
     id TEXT PRIMARY KEY,
     at TEXT NOT NULL,
     source TEXT NOT NULL CHECK (source IN ('discord', 'terminal', 'cli')),
     guild_id TEXT,
     channel_id TEXT,
     asker_hash TEXT NOT NULL,
     question TEXT NOT NULL,
     understood_as TEXT,
     kind TEXT NOT NULL CHECK (kind IN ('answer', 'overview', 'abstained')),
     mode TEXT NOT NULL CHECK (mode IN ('quoted', 'generated')),
     passage_ids TEXT NOT NULL,
     corpus_checksum TEXT NOT NULL,
     latency_ms INTEGER NOT NULL
   );
   CREATE INDEX answers_at ON answers (at);
   CREATE INDEX answers_asker ON answers (asker_hash);
   CREATE TABLE votes (
     answer_id TEXT NOT NULL REFERENCES answers (id) ON DELETE CASCADE,
     voter_hash TEXT NOT NULL,
     vote TEXT NOT NULL CHECK (vote IN ('up', 'down')),
     comment TEXT,
     at TEXT NOT NULL,
     PRIMARY KEY (answer_id, voter_hash)
   );
   CREATE INDEX votes_voter ON votes (voter_hash);`,
];

const ANSWER_ROW = z.object({
  id: z.string(),
  at: z.string(),
  source: z.enum(["discord", "terminal", "cli"]),
  guild_id: z.string().nullable(),
  channel_id: z.string().nullable(),
  asker_hash: z.string(),
  question: z.string(),
  understood_as: z.string().nullable(),
  kind: z.enum(["answer", "overview", "abstained"]),
  mode: z.enum(["quoted", "generated"]),
  passage_ids: z.string(),
  corpus_checksum: z.string(),
  latency_ms: z.number(),
});

const GAP_ROW = ANSWER_ROW.pick({
  id: true,
  at: true,
  question: true,
  understood_as: true,
  kind: true,
  passage_ids: true,
}).extend({
  up: z.number().int(),
  down: z.number().int(),
  comments: z.string().nullable(),
});

/**
 * The answer log: every answer Passage gave, with the votes and comments on it, in
 * `feedback.sqlite` in the data folder (better-sqlite3: synchronous, WAL, a short busy timeout
 * so a locked file fails fast instead of stalling an answer). Askers and voters are stored only
 * as HMAC-SHA256 hashes of their ids under a salt kept beside the database, so the file alone
 * never names anyone and the same person's rows can still be found for /forget-me. Rows older
 * than the retention period are deleted at open and then at most once a day.
 */
export class AnswerLog {
  private lastPrune = 0;

  private constructor(
    private readonly db: Database.Database,
    private readonly salt: Buffer,
    private readonly retentionDays: number,
    private readonly now: () => Date,
  ) {}

  /**
   * Opens (creating if need be) the log in `dataDir`, making the salt file (mode 0600) on the
   * first open, and prunes expired rows. Throws a `FEEDBACK_DB` `PassageError` when the file
   * cannot be opened or was written by a newer version.
   */
  static open(dataDir: string, options: AnswerLogOptions = {}): AnswerLog {
    const retentionDays = options.retentionDays ?? DEFAULT_RETENTION_DAYS;
    if (!Number.isInteger(retentionDays) || retentionDays < 1)
      throw new PassageError(
        "FEEDBACK_DB",
        `The answer log's retention must be a whole number of days, not ${retentionDays}.`,
      );
    const path = join(dataDir, FEEDBACK_DB_FILE);
    let db: Database.Database | null = null;
    try {
      mkdirSync(dataDir, { recursive: true });
      const salt = readOrMakeSalt(join(dataDir, FEEDBACK_SALT_FILE));
      db = new Database(path);
      db.pragma("journal_mode = WAL");
      // Short: a locked database must cost an answer's log row, never the answer's latency.
      db.pragma("busy_timeout = 250");
      db.pragma("foreign_keys = ON");
      migrate(db, MIGRATIONS);
      const log = new AnswerLog(db, salt, retentionDays, options.now ?? (() => new Date()));
      log.prune();
      return log;
    } catch (cause) {
      db?.close();
      if (cause instanceof PassageError) throw cause;
      throw new PassageError("FEEDBACK_DB", `Cannot open the answer log ${path}: ${errorMessage(cause)}`, { cause });
    }
  }

  /** The salted hash a user id is stored as (hex HMAC-SHA256). */
  hashUser(userId: string): string {
    return createHmac("sha256", this.salt).update(userId, "utf8").digest("hex");
  }

  /** Logs an answer and returns it with its new id. */
  record(entry: AnswerEntry): LoggedAnswer {
    this.pruneDaily();
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
    this.db
      .prepare(
        `INSERT INTO answers (id, at, source, guild_id, channel_id, asker_hash, question, understood_as, kind, mode, passage_ids, corpus_checksum, latency_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        logged.id,
        logged.at,
        logged.source,
        logged.guildId,
        logged.channelId,
        logged.askerHash,
        logged.question,
        logged.understoodAs,
        logged.kind,
        logged.mode,
        JSON.stringify(logged.passageIds),
        logged.corpusChecksum,
        logged.latencyMs,
      );
    return logged;
  }

  /** The logged answer with this id, or null when the log does not hold it (never did, pruned, forgotten). */
  get(answerId: string): LoggedAnswer | null {
    const row = this.db.prepare("SELECT * FROM answers WHERE id = ?").get(answerId);
    return row === undefined ? null : answerFromRow(row);
  }

  /**
   * Records a person's vote on an answer: one per person per answer, a second vote replaces the
   * first (keeping its comment). Returns the vote it replaced. Throws a `UserError`
   * `ANSWER_GONE` when the log no longer holds the answer.
   */
  vote(answerId: string, userId: string, vote: Vote): { previous: Vote | null } {
    const voter = this.hashUser(userId);
    return this.db.transaction(() => {
      this.requireAnswer(answerId);
      const before = this.db
        .prepare("SELECT vote FROM votes WHERE answer_id = ? AND voter_hash = ?")
        .get(answerId, voter) as { vote: Vote } | undefined;
      this.db
        .prepare(
          `INSERT INTO votes (answer_id, voter_hash, vote, at) VALUES (?, ?, ?, ?)
           ON CONFLICT (answer_id, voter_hash) DO UPDATE SET vote = excluded.vote, at = excluded.at`,
        )
        .run(answerId, voter, vote, this.now().toISOString());
      return { previous: before?.vote ?? null };
    })();
  }

  /**
   * Stores the 👎 "what was wrong?" text with that person's vote on the answer (a 👎 vote is
   * recorded if they had none; a blank text clears the comment). Throws `ANSWER_GONE` like `vote`.
   */
  comment(answerId: string, userId: string, text: string): void {
    const voter = this.hashUser(userId);
    const cleaned = text.replace(/\s+/g, " ").trim().slice(0, MAX_COMMENT_CHARS);
    this.db.transaction(() => {
      this.requireAnswer(answerId);
      this.db
        .prepare(
          `INSERT INTO votes (answer_id, voter_hash, vote, comment, at) VALUES (?, ?, 'down', ?, ?)
           ON CONFLICT (answer_id, voter_hash) DO UPDATE SET comment = excluded.comment`,
        )
        .run(answerId, voter, cleaned === "" ? null : cleaned, this.now().toISOString());
    })();
  }

  /**
   * Deletes everything the log holds about a person: the answers they asked (with the votes on
   * them, which mean nothing without the answer) and their votes and comments on other answers.
   * Returns how many rows of theirs were deleted (their answers plus their votes).
   */
  forget(userId: string): number {
    const hash = this.hashUser(userId);
    return this.db.transaction(() => {
      const votes = this.db.prepare("DELETE FROM votes WHERE voter_hash = ?").run(hash).changes;
      const answers = this.db.prepare("DELETE FROM answers WHERE asker_hash = ?").run(hash).changes;
      return votes + answers;
    })();
  }

  /** Deletes answers (and their votes) older than the retention period; returns the answers deleted. */
  prune(): number {
    const now = this.now().getTime();
    this.lastPrune = now;
    const cutoff = new Date(now - this.retentionDays * DAY_MS).toISOString();
    return this.db.prepare("DELETE FROM answers WHERE at < ?").run(cutoff).changes;
  }

  /** Answers and abstentions in the last 24 hours and 7 days, and the votes held. */
  usage(): Usage {
    this.pruneDaily();
    const now = this.now().getTime();
    const count = this.db.prepare(
      `SELECT COALESCE(SUM(kind != 'abstained'), 0) AS answered, COALESCE(SUM(kind = 'abstained'), 0) AS abstained
       FROM answers WHERE at >= ? AND at <= ?`,
    );
    const since = (days: number) => {
      const row = count.get(new Date(now - days * DAY_MS).toISOString(), new Date(now).toISOString()) as {
        answered: number;
        abstained: number;
      };
      return { answered: row.answered, abstained: row.abstained };
    };
    const votes = this.db
      .prepare("SELECT COALESCE(SUM(vote = 'up'), 0) AS up, COALESCE(SUM(vote = 'down'), 0) AS down FROM votes")
      .get() as { up: number; down: number };
    return { day: since(1), week: since(7), votes: { up: votes.up, down: votes.down } };
  }

  /**
   * The gaps of the last `sinceDays` days, newest first: answers that abstained, and answers
   * with at least one 👎 (with their comments and the passages they cited).
   */
  gapRows(sinceDays: number): GapRow[] {
    this.pruneDaily();
    const cutoff = new Date(this.now().getTime() - sinceDays * DAY_MS).toISOString();
    // Comments are joined with a separator no single-line comment contains (they are whitespace-collapsed).
    const rows = this.db
      .prepare(
        `SELECT a.id, a.at, a.question, a.understood_as, a.kind, a.passage_ids,
                COALESCE(SUM(v.vote = 'up'), 0) AS up, COALESCE(SUM(v.vote = 'down'), 0) AS down,
                GROUP_CONCAT(v.comment, char(10)) AS comments
         FROM answers a LEFT JOIN votes v ON v.answer_id = a.id
         WHERE a.at >= ?
         GROUP BY a.id
         HAVING a.kind = 'abstained' OR down > 0
         ORDER BY a.at DESC, a.id`,
      )
      .all(cutoff);
    return rows.map((raw) => {
      const r = GAP_ROW.parse(raw);
      return {
        answerId: r.id,
        at: r.at,
        reason: r.kind === "abstained" ? "abstained" : "voted-down",
        question: r.understood_as ?? r.question,
        kind: r.kind,
        passageIds: passageIds(r.passage_ids),
        up: r.up,
        down: r.down,
        comments: r.comments === null ? [] : r.comments.split("\n"),
      } satisfies GapRow;
    });
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private pruneDaily(): void {
    if (this.now().getTime() - this.lastPrune >= DAY_MS) this.prune();
  }

  private requireAnswer(answerId: string): void {
    if (!this.db.prepare("SELECT 1 FROM answers WHERE id = ?").get(answerId))
      throw new UserError("ANSWER_GONE", "Passage no longer holds that answer (it was deleted or has expired).");
  }
}

/** Reads the salt, or makes it (32 random bytes, hex, owner-only) when there is none. */
function readOrMakeSalt(path: string): Buffer {
  try {
    // 'wx': two processes starting together cannot both write a salt; the loser reads the winner's.
    writeFileSync(path, randomBytes(32).toString("hex"), { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const hex = readFileSync(path, "utf8").trim();
  if (!/^[0-9a-f]{32,}$/i.test(hex))
    throw new PassageError(
      "FEEDBACK_DB",
      `The answer log's salt file ${path} is damaged; delete it with feedback.sqlite to start afresh.`,
    );
  return Buffer.from(hex, "hex");
}

/** Passage ids stored as a JSON array; a damaged value reads as none rather than failing /gaps. */
function passageIds(json: string): string[] {
  try {
    const ids: unknown = JSON.parse(json);
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === "string") : [];
  } catch {
    return [];
  }
}

function answerFromRow(raw: unknown): LoggedAnswer {
  const parsed = ANSWER_ROW.safeParse(raw);
  if (!parsed.success)
    throw new PassageError("FEEDBACK_DB", "An answer in the answer log is malformed (was the file edited by hand?).");
  const r = parsed.data;
  return {
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
    passageIds: passageIds(r.passage_ids),
    corpusChecksum: r.corpus_checksum,
    latencyMs: r.latency_ms,
  };
}
