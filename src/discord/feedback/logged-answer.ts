import { UserError } from "../../errors.js";
import type { AnswerLog, LoggedAnswer } from "../../feedback/answer-log.js";
import type { DiscordContext } from "../command.js";

/** The answer log, or a `UserError` saying feedback is not being recorded. */
export function requireLog(context: DiscordContext): AnswerLog {
  const log = context.services.feedback;
  if (!log)
    throw new UserError(
      "FEEDBACK_OFF",
      context.services.unavailable.feedback ??
        "Feedback isn't being recorded on this bot right now (its answer log could not be opened).",
    );
  return log;
}

/** The logged answer a component names, or a `UserError` saying the log no longer holds it. */
export async function requireAnswer(log: AnswerLog, answerId: string | null): Promise<LoggedAnswer> {
  const answer = answerId === null ? null : await log.get(answerId);
  if (!answer)
    throw new UserError(
      "ANSWER_GONE",
      "That answer is no longer in the log (old answers are pruned, and askers can delete theirs), so this button no longer works. Ask again with /ask.",
    );
  return answer;
}

/**
 * The per-user rate limit of a feedback action, as /ask's: the same window, kept per action
 * so a 👎 and the comment that follows it are not refused as too quick.
 */
export function takeCooldown(context: DiscordContext, action: string, userId: string): void {
  const wait = context.cooldowns.take(`${action}:${userId}`);
  if (wait > 0) throw new UserError("COOLDOWN", `You're going quickly — please wait ${wait} s and try again.`);
}
