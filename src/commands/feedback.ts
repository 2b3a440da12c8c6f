import type { Answer } from "../answer/answer.js";
import { answerMode } from "../answer/answer.js";
import type { AnswerEntry, AnswerSource, LoggedAnswer } from "../feedback/answer-log.js";
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
export function recordAnswer(services: Services, entry: AnswerEntry): LoggedAnswer | null {
  const log = services.feedback;
  if (!log) return null;
  try {
    return log.record(entry);
  } catch (error) {
    services.logger.error("feedback.record_failed", { source: entry.source, kind: entry.kind, error });
    return null;
  }
}
