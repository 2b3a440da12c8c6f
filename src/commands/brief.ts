import { BRIEFING_POINTS } from "../briefing/briefer.js";
import type { Briefing } from "../briefing/briefing.js";
import { UserError } from "../errors.js";
import { tidyLine } from "./ask.js";
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
  // Measured as a topic, not as a question: the length told is the one compared with the limit.
  const topic = tidyLine(raw);
  if (topic.length === 0) return null;
  if (topic.length > MAX_TOPIC_CHARS)
    throw new UserError(
      "TOPIC_TOO_LONG",
      `That topic is ${topic.length} characters long; please keep it under ${MAX_TOPIC_CHARS}, e.g. “Taiwan” or “the fentanyl trade”.`,
    );
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
