import { userInfo } from "node:os";
import { performance } from "node:perf_hooks";
import type { Answer } from "../answer/answer.js";
import { answerEntry, recordAnswer } from "../commands/feedback.js";
import type { Services } from "../commands/services.js";
import type { LoggedAnswer } from "../feedback/answer-log.js";

/** Who asks on this machine, for the answer log: the terminal chat or a script. */
export interface LocalAsker {
  readonly source: "terminal" | "cli";
  /** Hashed before it is stored, like a Discord id. */
  readonly userId: string;
}

/**
 * The local asker's id: the operating system's user name, so /forget-me's counterpart for the
 * terminal (`AnswerLog.forget`) finds one person's rows. "local" when the system has no name for
 * the user (some containers).
 */
export function localUserId(): string {
  try {
    return `local:${userInfo().username}`;
  } catch {
    return "local";
  }
}

/** Milliseconds since `startedAt` (a `performance.now()` reading). */
export function elapsedMs(startedAt: number): number {
  return performance.now() - startedAt;
}

/**
 * Logs an answer given on this machine; never throws (see `recordAnswer`), so the answer
 * printed stands whatever the log does. `asked` is the question as typed.
 */
export async function logLocalAnswer(
  services: Services,
  answer: Answer,
  asker: LocalAsker,
  asked: string,
  startedAt: number,
): Promise<LoggedAnswer | null> {
  try {
    return await recordAnswer(
      services,
      answerEntry(services, answer, { ...asker, asked, latencyMs: elapsedMs(startedAt) }),
    );
  } catch (error) {
    // answerEntry reads the served manifest; nothing here may cost the answer already printed.
    services.logger.error("feedback.record_failed", { source: asker.source, error });
    return null;
  }
}
