import { PassageError } from "../../errors.js";
import { answerGone } from "../rows.js";
import type { AnswerStore, GapRow, LoggedAnswer, Usage, Vote } from "../types.js";
import type { PgDatabase, Queryable } from "./database.js";
import { ROWS } from "./rows.js";

const DAY_MS = 86_400_000;

/** Foreign key violation: the answer a vote points at was deleted between the check and the insert. */
const FOREIGN_KEY_VIOLATION = "23503";

/** The answer log in PostgreSQL: the same rows and rules as the SQLite log, shared by every replica. */
export class PgAnswerStore implements AnswerStore {
  constructor(private readonly db: PgDatabase) {}

  async record(answer: LoggedAnswer): Promise<void> {
    await this.db.query(
      `INSERT INTO answers (id, at, source, guild_id, channel_id, asker_hash, question, understood_as, kind, mode, passage_ids, corpus_checksum, latency_ms)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        answer.id,
        answer.at,
        answer.source,
        answer.guildId,
        answer.channelId,
        answer.askerHash,
        answer.question,
        answer.understoodAs,
        answer.kind,
        answer.mode,
        [...answer.passageIds],
        answer.corpusChecksum,
        Math.max(0, Math.round(answer.latencyMs)),
      ],
    );
  }

  async get(answerId: string): Promise<LoggedAnswer | null> {
    const { rows } = await this.db.query("SELECT * FROM answers WHERE id = $1", [answerId]);
    return rows[0] === undefined ? null : answerFromRow(rows[0]);
  }

  async vote(answerId: string, voterHash: string, vote: Vote, at: Date): Promise<{ previous: Vote | null }> {
    return this.voting(answerId, async (tx) => {
      const before = await tx.query<{ vote: Vote }>(
        "SELECT vote FROM votes WHERE answer_id = $1 AND voter_hash = $2 FOR UPDATE",
        [answerId, voterHash],
      );
      await tx.query(
        `INSERT INTO votes (answer_id, voter_hash, vote, at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (answer_id, voter_hash) DO UPDATE SET vote = excluded.vote, at = excluded.at`,
        [answerId, voterHash, vote, at],
      );
      return { previous: before.rows[0]?.vote ?? null };
    });
  }

  async comment(answerId: string, voterHash: string, text: string | null, at: Date): Promise<void> {
    await this.voting(answerId, async (tx) => {
      await tx.query(
        `INSERT INTO votes (answer_id, voter_hash, vote, comment, at) VALUES ($1, $2, 'down', $3, $4)
         ON CONFLICT (answer_id, voter_hash) DO UPDATE SET comment = excluded.comment`,
        [answerId, voterHash, text, at],
      );
    });
  }

  async forget(userHash: string): Promise<number> {
    return this.db.transaction(async (tx) => {
      const votes = await tx.query("DELETE FROM votes WHERE voter_hash = $1", [userHash]);
      const answers = await tx.query("DELETE FROM answers WHERE asker_hash = $1", [userHash]);
      return (votes.rowCount ?? 0) + (answers.rowCount ?? 0);
    });
  }

  async prune(cutoff: Date): Promise<number> {
    const { rowCount } = await this.db.query("DELETE FROM answers WHERE at < $1", [cutoff]);
    return rowCount ?? 0;
  }

  async usage(now: Date): Promise<Usage> {
    const { rows } = await this.db.query<{
      day_answered: number;
      day_abstained: number;
      week_answered: number;
      week_abstained: number;
      up: number;
      down: number;
    }>(
      `SELECT
         count(*) FILTER (WHERE at >= $1 AND kind <> 'abstained')::int AS day_answered,
         count(*) FILTER (WHERE at >= $1 AND kind = 'abstained')::int AS day_abstained,
         count(*) FILTER (WHERE kind <> 'abstained')::int AS week_answered,
         count(*) FILTER (WHERE kind = 'abstained')::int AS week_abstained,
         (SELECT count(*) FROM votes WHERE vote = 'up')::int AS up,
         (SELECT count(*) FROM votes WHERE vote = 'down')::int AS down
       FROM answers WHERE at >= $2 AND at <= $3`,
      [new Date(now.getTime() - DAY_MS), new Date(now.getTime() - 7 * DAY_MS), now],
    );
    const r = rows[0];
    if (r === undefined) throw new PassageError("STORE_DB", "PostgreSQL returned no usage row.");
    return {
      day: { answered: r.day_answered, abstained: r.day_abstained },
      week: { answered: r.week_answered, abstained: r.week_abstained },
      votes: { up: r.up, down: r.down },
    };
  }

  async gapRows(since: Date): Promise<GapRow[]> {
    const { rows } = await this.db.query(
      `SELECT a.id, a.at, a.question, a.understood_as, a.kind, a.passage_ids,
              count(v.vote) FILTER (WHERE v.vote = 'up')::int AS up,
              count(v.vote) FILTER (WHERE v.vote = 'down')::int AS down,
              array_agg(v.comment ORDER BY v.at, v.voter_hash) FILTER (WHERE v.comment IS NOT NULL) AS comments
       FROM answers a LEFT JOIN votes v ON v.answer_id = a.id
       WHERE a.at >= $1
       GROUP BY a.id
       HAVING a.kind = 'abstained' OR count(v.vote) FILTER (WHERE v.vote = 'down') > 0
       ORDER BY a.at DESC, a.id`,
      [since],
    );
    return rows.map((raw) => ROWS.gap.parse(raw));
  }

  /** Runs a vote or comment in a transaction that first makes sure the answer is still held. */
  private async voting<T>(answerId: string, work: (tx: Queryable) => Promise<T>): Promise<T> {
    try {
      return await this.db.transaction(async (tx) => {
        // FOR SHARE: a prune or /forget-me cannot delete the answer until this vote is in.
        const held = await tx.query("SELECT 1 FROM answers WHERE id = $1 FOR SHARE", [answerId]);
        if (held.rowCount === 0) throw answerGone();
        return work(tx);
      });
    } catch (error) {
      if (
        error instanceof PassageError &&
        (error.cause as { code?: unknown } | undefined)?.code === FOREIGN_KEY_VIOLATION
      )
        throw answerGone();
      throw error;
    }
  }
}

function answerFromRow(raw: unknown): LoggedAnswer {
  const parsed = ROWS.answer.safeParse(raw);
  if (!parsed.success) throw new PassageError("STORE_DB", "An answer in the PostgreSQL answer log is malformed.");
  return parsed.data;
}
