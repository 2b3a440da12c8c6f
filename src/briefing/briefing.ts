import type { Citation } from "../answer/answer.js";

// What a briefing is: the product every transport shows and the scheduler delivers. Briefer
// (briefer.ts) makes one with composeBriefing (compose-briefing.ts); presentation.ts,
// markdown-document.ts and briefing-json.ts show it.

/** One key point: a sentence or two quoted verbatim from a passage, under a heading, with its citation. */
export interface BriefingPoint {
  readonly heading: string;
  /** Verbatim from the cited passage. */
  readonly text: string;
  /** The passage the text is quoted from (one per point: a point never spans passages). */
  readonly citations: readonly Citation[];
  /** Set by `markNewSince` (schedule/changes.ts): the point's passage was not in the corpus at the previous briefing. */
  readonly isNew?: boolean;
}

/** Which index a briefing was made from, so a reader can tell whether it is current. */
export interface BriefingCorpus {
  /** The manifest's corpusChecksum (SHA-256 over the articles' names and checksums). */
  readonly checksum: string;
  /** When the index was built (ISO 8601). */
  readonly builtAt: string;
  readonly articles: number;
  readonly passages: number;
}

/** What changed in the corpus since an earlier briefing on the same subject. */
export interface BriefingChanges {
  /** When the earlier briefing was made (ISO 8601). */
  readonly since: string;
  /** Passages in the corpus now that were not then (added or edited). */
  readonly newPassages: number;
}

/**
 * A briefing on a topic (or on the whole corpus): key points grouped under headings, every one
 * quoted and cited. When the corpus does not cover the topic, `covered` is false and the points
 * are the nearest passages, under the heading "Nearest passages", so nothing pads it out.
 */
export interface Briefing {
  /** The topic as asked, or null for the whole corpus. */
  readonly topic: string | null;
  readonly covered: boolean;
  /** How many points were asked for; fewer are given when the corpus has no more on the topic. */
  readonly requested: number;
  /** In reading order: grouped by heading (consecutive points share it), article order within. */
  readonly points: readonly BriefingPoint[];
  /** The cited passages, numbered in order of first use. */
  readonly citations: readonly Citation[];
  readonly corpus: BriefingCorpus;
  /** How the briefing was made, for footers and logs. */
  readonly method: string;
  /** Set by `markNewSince` (schedule/changes.ts) when the corpus changed since an earlier briefing. */
  readonly changes?: BriefingChanges;
}

/** The heading of the points shown when the corpus does not cover a topic. */
export const NEAREST_HEADING = "Nearest passages";
