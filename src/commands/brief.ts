import { BRIEFING_POINTS } from "../briefing/briefer.js";
import type { Briefing } from "../briefing/briefing.js";
import { UserError } from "../errors.js";
import { cleanQuestion, MAX_QUESTION_CHARS } from "./ask.js";
import { brieferFor } from "./briefers.js";
import type { Services } from "./services.js";

/** Longest topic accepted, in characters (Discord's option is capped to the same). */
export const MAX_TOPIC_CHARS = 200;

/**
 * Tidies a topic as typed (as a question is tidied). Blank means the whole corpus (null); a
 * topic longer than `MAX_TOPIC_CHARS` is a `UserError`.
 */
export function cleanTopic(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  const tooLong = (length: string) =>
    new UserError(
      "TOPIC_TOO_LONG",
      `That topic is ${length} characters long; please keep it under ${MAX_TOPIC_CHARS}, e.g. “Taiwan” or “the fentanyl trade”.`,
    );
  let topic: string;
  try {
    topic = cleanQuestion(raw);
  } catch (error) {
    if (error instanceof UserError && error.code === "EMPTY_QUESTION") return null;
    if (error instanceof UserError && error.code === "QUESTION_TOO_LONG") throw tooLong(`over ${MAX_QUESTION_CHARS}`);
    throw error;
  }
  if (topic.length > MAX_TOPIC_CHARS) throw tooLong(String(topic.length));
  return topic;
}

/** Checks a number of points: a whole number from 3 to 10, or the default when absent. */
export function cleanPoints(raw: number | null | undefined): number {
  if (raw === null || raw === undefined) return BRIEFING_POINTS.default;
  if (!Number.isInteger(raw) || raw < BRIEFING_POINTS.min || raw > BRIEFING_POINTS.max) {
    throw new UserError(
      "BAD_POINTS",
      `A briefing has ${BRIEFING_POINTS.min} to ${BRIEFING_POINTS.max} points (got ${raw}).`,
    );
  }
  return raw;
}

/**
 * A briefing on a topic (or the whole corpus when the topic is blank) from the served index.
 * Throws a `UserError` for a topic too long, a bad number of points, or a topic with no word
 * worth looking for.
 */
export async function brief(
  services: Services,
  request: { readonly topic?: string | null; readonly points?: number | null } = {},
): Promise<Briefing> {
  const topic = cleanTopic(request.topic);
  const points = cleanPoints(request.points);
  const briefing = await brieferFor(services).brief(topic, points);
  if (topic !== null && !briefing.covered && briefing.points.length === 0) {
    throw new UserError(
      "NO_TOPIC_WORDS",
      `“${topic}” has no word to look for. Name a subject, e.g. “Taiwan”, or leave the topic out for a briefing on the whole corpus.`,
    );
  }
  services.logger.debug("brief.done", {
    topic: topic !== null,
    covered: briefing.covered,
    points: briefing.points.length,
    requested: points,
  });
  return briefing;
}
