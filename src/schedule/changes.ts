import type { Briefing } from "../briefing/briefing.js";

// What changed in the corpus between two deliveries of a scheduled briefing: the scheduler
// remembers the corpus a subscription's last briefing was made from and marks what is new.

/**
 * Marks what is new since an earlier briefing: when the corpus checksum changed, every point
 * whose passage was not in the corpus then is marked new, and `changes` counts the new passages.
 * An unchanged corpus leaves the briefing as it is.
 */
export function markNewSince(
  briefing: Briefing,
  currentPassageIds: readonly string[],
  previous: { readonly checksum: string; readonly passageIds: ReadonlySet<string>; readonly at: string },
): Briefing {
  if (previous.checksum === briefing.corpus.checksum) return briefing;
  const newPassages = currentPassageIds.filter((id) => !previous.passageIds.has(id)).length;
  return {
    ...briefing,
    points: briefing.points.map((p) =>
      p.citations.some((c) => !previous.passageIds.has(c.id)) ? { ...p, isNew: true } : p,
    ),
    changes: { since: previous.at, newPassages },
  };
}
