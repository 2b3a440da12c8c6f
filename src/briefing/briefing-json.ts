import type { Briefing } from "./briefing.js";

/** The JSON a script prints: exactly topic, covered and the points with their citations. */
export interface BriefingJson {
  readonly topic: string | null;
  readonly covered: boolean;
  readonly points: readonly {
    readonly heading: string;
    readonly text: string;
    readonly citations: readonly {
      n: number;
      id: string;
      source: string;
      title: string;
      location: string;
      text: string;
    }[];
  }[];
}

/** The briefing as {@link BriefingJson}, fields in that order. */
export function briefingJson(briefing: Briefing): BriefingJson {
  return {
    topic: briefing.topic,
    covered: briefing.covered,
    points: briefing.points.map((p) => ({
      heading: p.heading,
      text: p.text,
      citations: p.citations.map((c) => ({
        n: c.n,
        id: c.id,
        source: c.source,
        title: c.title,
        location: c.location,
        text: c.text,
      })),
    })),
  };
}
