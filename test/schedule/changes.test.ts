import { describe, expect, it } from "vitest";
import type { Citation } from "../../src/answer/answer.js";
import type { Briefing } from "../../src/briefing/briefing.js";
import { markNewSince } from "../../src/schedule/changes.js";

function citation(n: number, id: string): Citation {
  return { n, id, source: "a.md", title: "A", url: null, location: `¶ ${n}`, text: `Passage ${id}.` };
}

const cited = [citation(1, "p1"), citation(2, "p2"), citation(3, "p3")];
const briefing: Briefing = {
  topic: "Taiwan",
  covered: true,
  requested: 3,
  points: cited.map((c) => ({ heading: "Taiwan", text: c.text, citations: [c] })),
  citations: cited,
  corpus: { checksum: "now", builtAt: "2025-06-18T09:00:00.000Z", articles: 1, passages: 4 },
  method: "m",
};
const current = ["p1", "p2", "p3", "p4"];

describe("markNewSince", () => {
  it("marks points whose passages were not in the corpus at the last briefing, and counts every new passage", () => {
    // p2 is cited and new; p4 is new but not cited: it counts, but marks no point.
    const previous = { checksum: "then", passageIds: new Set(["p1", "p3"]), at: "2025-06-17T09:00:00.000Z" };
    const marked = markNewSince(briefing, current, previous);
    expect(marked.points.map((p) => p.isNew === true)).toEqual([false, true, false]);
    expect(marked.changes).toEqual({ since: "2025-06-17T09:00:00.000Z", newPassages: 2 });
    expect(marked.citations).toBe(briefing.citations);
  });

  it("says the corpus changed even when no point is new", () => {
    const previous = { checksum: "then", passageIds: new Set(["p1", "p2", "p3"]), at: "2025-06-17T09:00:00.000Z" };
    const marked = markNewSince(briefing, current, previous);
    expect(marked.points.some((p) => p.isNew)).toBe(false);
    expect(marked.changes).toEqual({ since: "2025-06-17T09:00:00.000Z", newPassages: 1 });
  });

  it("leaves the briefing as it is when the corpus is the one of the last briefing", () => {
    const previous = { checksum: "now", passageIds: new Set<string>(), at: "2025-06-17T09:00:00.000Z" };
    expect(markNewSince(briefing, current, previous)).toBe(briefing);
  });
});
