import type { Answer } from "../answer/answer.js";
import { answerMode } from "../answer/answer.js";
import { passageLocation } from "../corpus/passage.js";
import { UserError } from "../errors.js";
import type { AnswerEntry, AnswerSource, LoggedAnswer } from "../feedback/answer-log.js";
import { findGaps, type GapGroup, gapsCsv } from "../feedback/gaps.js";
import { localQuestionSimilarity } from "../feedback/question-similarity.js";
import type { Services } from "./services.js";

/** Who asked where, and how long the answer took: what a transport knows beside the answer. */
export interface AnswerContext {
  readonly source: AnswerSource;
  /** The raw user id; it is hashed before it is stored. */
  readonly userId: string;
  readonly guildId?: string | null;
  readonly channelId?: string | null;
  /** The question as typed, when it differs from `answer.question` (a follow-up, resolved). */
  readonly asked?: string;
  readonly latencyMs: number;
}

/**
 * The log entry for an answer: its kind, mode and cited passages, the served corpus version,
 * and, for a follow-up, the question as typed with the question as understood.
 */
export function answerEntry(services: Services, answer: Answer, context: AnswerContext): AnswerEntry {
  const asked = context.asked?.replace(/\s+/g, " ").trim();
  const followUp = asked !== undefined && asked !== "" && asked !== answer.question;
  return {
    source: context.source,
    guildId: context.guildId ?? null,
    channelId: context.channelId ?? null,
    userId: context.userId,
    question: followUp ? asked : answer.question,
    understoodAs: followUp ? answer.question : null,
    kind: answer.kind,
    mode: answerMode(answer),
    passageIds: answer.citations.map((c) => c.id),
    corpusChecksum: services.indexes.current.manifest.corpusChecksum,
    latencyMs: context.latencyMs,
  };
}

/**
 * Logs an answer, fail-soft: with no log configured, or when the write fails (a full disk, a
 * locked or read-only database), it returns null and, for a failure, logs why without the
 * user's id, so the caller sends the answer all the same (without vote buttons).
 */
export async function recordAnswer(services: Services, entry: AnswerEntry): Promise<LoggedAnswer | null> {
  const log = services.feedback;
  if (!log) return null;
  try {
    return await log.record(entry);
  } catch (error) {
    services.logger.error("feedback.record_failed", { source: entry.source, kind: entry.kind, error });
    return null;
  }
}

/** The periods and lengths /gaps and `npm run gaps` accept, and their defaults. */
export const GAPS_LIMITS = {
  days: { min: 1, max: 3650, default: 7 },
  limit: { min: 1, max: 50, default: 10 },
} as const;

/** A cited passage as moderators read it: where it is, not its id alone. */
export interface GapPassage {
  readonly id: string;
  readonly title: string;
  readonly location: string;
  readonly source: string;
}

/** A merged gap with its cited passage looked up in the served index (null when none, or gone since). */
export interface GapEntry extends GapGroup {
  readonly passage: GapPassage | null;
}

/** What /gaps and `npm run gaps` show. */
export interface GapsReport {
  readonly days: number;
  /** Start of the period (ISO 8601). */
  readonly since: string;
  /** Gap rows in the period (abstentions and voted-down answers) before merging. */
  readonly rows: number;
  /** Merged groups in all; `groups` holds the first `limit` of them. */
  readonly total: number;
  readonly groups: readonly GapEntry[];
  /** Every group, not only the first `limit`, as CSV (see {@link gapsCsv}). */
  readonly csv: string;
}

/**
 * The questions Passage could not answer and the answers voted down in the last `days` days,
 * near-duplicates merged by {@link localQuestionSimilarity} and counted, most frequent first.
 * Throws a `UserError` (`FEEDBACK_OFF`, `BAD_DAYS`, `BAD_LIMIT`) the caller shows as it is.
 */
export async function gaps(
  services: Services,
  options: { readonly days?: number; readonly limit?: number; readonly now?: Date } = {},
): Promise<GapsReport> {
  const log = services.feedback;
  if (!log)
    throw new UserError(
      "FEEDBACK_OFF",
      services.unavailable.feedback ?? "The answer log is off, so there are no gaps to show.",
    );
  const days = options.days ?? GAPS_LIMITS.days.default;
  const limit = options.limit ?? GAPS_LIMITS.limit.default;
  if (!Number.isInteger(days) || days < GAPS_LIMITS.days.min || days > GAPS_LIMITS.days.max)
    throw new UserError(
      "BAD_DAYS",
      `Days must be a whole number from ${GAPS_LIMITS.days.min} to ${GAPS_LIMITS.days.max}.`,
    );
  if (!Number.isInteger(limit) || limit < GAPS_LIMITS.limit.min || limit > GAPS_LIMITS.limit.max)
    throw new UserError(
      "BAD_LIMIT",
      `The limit must be a whole number from ${GAPS_LIMITS.limit.min} to ${GAPS_LIMITS.limit.max}.`,
    );
  const rows = await log.gapRows(days);
  const groups = findGaps(rows, localQuestionSimilarity(services.concepts));
  const passages = new Map(services.indexes.current.passages.map((p) => [p.metadata.id, p.metadata]));
  const passage = (id: string | null): GapPassage | null => {
    const m = id === null ? undefined : passages.get(id);
    return m ? { id: m.id, title: m.title, location: passageLocation(m), source: m.source } : null;
  };
  const label = (id: string) => {
    const p = passage(id);
    return p ? `${p.title}, ${p.location} (${p.source})` : id;
  };
  const now = options.now ?? new Date();
  return {
    days,
    since: new Date(now.getTime() - days * 86_400_000).toISOString(),
    rows: rows.length,
    total: groups.length,
    groups: groups.slice(0, limit).map((g) => ({ ...g, passage: passage(g.passageId) })),
    csv: gapsCsv(groups, label),
  };
}
