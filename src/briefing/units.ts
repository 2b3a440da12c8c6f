import type { Passage } from "../corpus/passage.js";

/**
 * A quotable piece of a passage that a briefing point can be: one sentence, or two adjacent
 * sentences of the same passage when the first is too short to stand alone or the second leans
 * on it ("However…", "That includes…"). Offsets are into `passage.pageContent`, so the text is
 * always the corpus's own words.
 */
export interface BriefingUnit {
  /** Position of the passage in the index. */
  readonly position: number;
  readonly passage: Passage;
  /** `passage.pageContent.slice(start, end)`. */
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** A sentence shorter than this is joined with the next one of its passage. */
const SHORT_SENTENCE_CHARS = 60;

// A sentence opening with one of these continues the one before it; quoting it alone would
// leave the reader asking "however what?".
const LEANS_ON_PREVIOUS = /^(however|but|that|this|these|those|it|he|she|they|such|yet|still|instead)\b/i;

/**
 * Cuts passages into briefing units, in index order. Each sentence belongs to exactly one
 * unit, and a unit never spans passages, so every unit has exactly one citation.
 */
export function briefingUnits(passages: readonly Passage[]): BriefingUnit[] {
  const units: BriefingUnit[] = [];
  passages.forEach((passage, position) => {
    const base = passage.metadata.start;
    let current: { start: number; end: number; sentences: number } | null = null;
    const flush = () => {
      if (current)
        units.push({
          position,
          passage,
          start: current.start,
          end: current.end,
          text: passage.pageContent.slice(current.start, current.end),
        });
    };
    for (const span of passage.metadata.sentences) {
      const start = span.start - base;
      const end = span.end - base;
      const sentence = passage.pageContent.slice(start, end);
      if (
        current &&
        current.sentences < 2 &&
        (current.end - current.start < SHORT_SENTENCE_CHARS || LEANS_ON_PREVIOUS.test(sentence))
      ) {
        current.end = end;
        current.sentences++;
        continue;
      }
      flush();
      current = { start, end, sentences: 1 };
    }
    flush();
  });
  return units;
}
