import { type CitationJson, citationJson } from "../answer/answer.js";
import type { Briefing } from "./briefing.js";

/** The JSON a script prints: exactly topic, covered and the points with their citations. */
export interface BriefingJson {
  readonly topic: string | null;
  readonly covered: boolean;
  readonly points: readonly {
    readonly heading: string;
    readonly text: string;
    readonly citations: readonly CitationJson[];
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
      citations: p.citations.map(citationJson),
    })),
  };
}
