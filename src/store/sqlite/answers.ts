import Database from "better-sqlite3";
import { errorMessage, PassageError } from "../../errors.js";
import { answerGone } from "../rows.js";
import type { AnswerStore, GapRow, LoggedAnswer, Usage, Vote } from "../types.js";
import { damagedFileError, guardDamage, isDamagedFile } from "./damaged.js";
import { migrate } from "./migrate.js";
import { ROWS } from "./rows.js";

/** The answer log's database file, inside the data directory (beside schedules.sqlite). */
export const FEEDBACK_DB_FILE = "feedback.sqlite";

const DAY_MS = 86_400_000;
const WHAT = "answer log";

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

/**
 * The answer log in `feedback.sqlite` (better-sqlite3: synchronous, WAL, a short busy timeout so
 * a locked file fails fast instead of stalling an answer). Holds only hashes of user ids.
 */
export class SqliteAnswerStore implements AnswerStore {
  private constructor(
    private readonly db: Database.Database,
    private readonly path: string,
  ) {}

  /**
   * Opens (creating if need be) the log at `path`. Throws `STORE_DAMAGED` for a damaged file and
   * `FEEDBACK_DB` when it cannot be opened otherwise or was written by a newer version.
   */
  static open(path: string): SqliteAnswerStore {
    let db: Database.Database | null = null;
    try {
      db = new Database(path);
      db.pragma("journal_mode = WAL");
      // Short: a locked database must cost an answer's log row, never the answer's latency.
      db.pragma("busy_timeout = 250");
      db.pragma("foreign_keys = ON");
      migrate(db, MIGRATIONS);
      return new SqliteAnswerStore(db, path);
    } catch (cause) {
      db?.close();
      if (cause instanceof PassageError) throw cause;
      if (isDamagedFile(cause)) throw damagedFileError(WHAT, path, cause);
      throw new PassageError("FEEDBACK_DB", `Cannot open the answer log ${path}: ${errorMessage(cause)}`, { cause });
    }
  }

  async record(a: LoggedAnswer): Promise<void> {
    this.guard(() =>
      this.db
        .prepare(
          `INSERT INTO answers (id, at, source, guild_id, channel_id, asker_hash, question, understood_as, kind, mode, passage_ids, corpus_checksum, latency_ms)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          a.id,
          a.at,
          a.source,
          a.guildId,
          a.channelId,
          a.askerHash,
          a.question,
          a.understoodAs,
          a.kind,
          a.mode,
          JSON.stringify(a.passageIds),
          a.corpusChecksum,
          Math.max(0, Math.round(a.latencyMs)),
        ),
    );
  }

  async get(answerId: string): Promise<LoggedAnswer | null> {
    const row = this.guard(() => this.db.prepare("SELECT * FROM answers WHERE id = ?").get(answerId));
    return row === undefined ? null : answerFromRow(row);
  }

  async vote(answerId: string, voterHash: string, vote: Vote, at: Date): Promise<{ previous: Vote | null }> {
    return this.guard(() =>
      this.db.transaction(() => {
        this.requireAnswer(answerId);
        const before = this.db
          .prepare("SELECT vote FROM votes WHERE answer_id = ? AND voter_hash = ?")
          .get(answerId, voterHash) as { vote: Vote } | undefined;
        this.db
          .prepare(
            `INSERT INTO votes (answer_id, voter_hash, vote, at) VALUES (?, ?, ?, ?)
             ON CONFLICT (answer_id, voter_hash) DO UPDATE SET vote = excluded.vote, at = excluded.at`,
          )
          .run(answerId, voterHash, vote, at.toISOString());
        return { previous: before?.vote ?? null };
      })(),
    );
  }

  async comment(answerId: string, voterHash: string, text: string | null, at: Date): Promise<void> {
    this.guard(() =>
      this.db.transaction(() => {
        this.requireAnswer(answerId);
        this.db
          .prepare(
            `INSERT INTO votes (answer_id, voter_hash, vote, comment, at) VALUES (?, ?, 'down', ?, ?)
             ON CONFLICT (answer_id, voter_hash) DO UPDATE SET comment = excluded.comment`,
          )
          .run(answerId, voterHash, text, at.toISOString());
      })(),
    );
  }

  async forget(userHash: string): Promise<number> {
    return this.guard(() =>
      this.db.transaction(() => {
        const votes = this.db.prepare("DELETE FROM votes WHERE voter_hash = ?").run(userHash).changes;
        const answers = this.db.prepare("DELETE FROM answers WHERE asker_hash = ?").run(userHash).changes;
        return votes + answers;
      })(),
    );
  }

  async prune(cutoff: Date): Promise<number> {
    return this.guard(() => this.db.prepare("DELETE FROM answers WHERE at < ?").run(cutoff.toISOString()).changes);
  }

  async usage(now: Date): Promise<Usage> {
    return this.guard(() => {
      const count = this.db.prepare(
        `SELECT COALESCE(SUM(kind != 'abstained'), 0) AS answered, COALESCE(SUM(kind = 'abstained'), 0) AS abstained
         FROM answers WHERE at >= ? AND at <= ?`,
      );
      const since = (days: number) => {
        const row = count.get(new Date(now.getTime() - days * DAY_MS).toISOString(), now.toISOString()) as {
          answered: number;
          abstained: number;
        };
        return { answered: row.answered, abstained: row.abstained };
      };
      const votes = this.db
        .prepare("SELECT COALESCE(SUM(vote = 'up'), 0) AS up, COALESCE(SUM(vote = 'down'), 0) AS down FROM votes")
        .get() as { up: number; down: number };
      return { day: since(1), week: since(7), votes: { up: votes.up, down: votes.down } };
    });
  }

  async gapRows(since: Date): Promise<GapRow[]> {
    // Comments are joined with a separator no single-line comment contains (they are whitespace-collapsed).
    const rows = this.guard(() =>
      this.db
        .prepare(
          `SELECT a.id, a.at, a.question, a.understood_as, a.kind, a.passage_ids,
                  COALESCE(SUM(v.vote = 'up'), 0) AS up, COALESCE(SUM(v.vote = 'down'), 0) AS down,
                  GROUP_CONCAT(v.comment, char(10)) AS comments
           FROM answers a LEFT JOIN (SELECT * FROM votes ORDER BY at, rowid) v ON v.answer_id = a.id
           WHERE a.at >= ?
           GROUP BY a.id
           HAVING a.kind = 'abstained' OR down > 0
           ORDER BY a.at DESC, a.id`,
        )
        .all(since.toISOString()),
    );
    return rows.map((raw) => ROWS.gap.parse(raw));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private guard<T>(query: () => T): T {
    return guardDamage(WHAT, this.path, query);
  }

  private requireAnswer(answerId: string): void {
    if (!this.db.prepare("SELECT 1 FROM answers WHERE id = ?").get(answerId)) throw answerGone();
  }
}

function answerFromRow(raw: unknown): LoggedAnswer {
  const parsed = ROWS.answer.safeParse(raw);
  if (!parsed.success)
    throw new PassageError("FEEDBACK_DB", "An answer in the answer log is malformed (was the file edited by hand?).");
  return parsed.data;
}
