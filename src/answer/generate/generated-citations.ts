import type { RetrievedPassage } from "../../retrieval/retriever.js";
import type { AnswerSentence, Citation } from "../answer.js";
import { toCitation } from "../citations.js";
import type { Verified } from "./verify.js";

/**
 * Cites verified sentences: each passage they cite gets one number, in order of first use
 * among the kept sentences, so a reply shown while it grows never renumbers a marker already
 * shown. `passages` are the ones the model was given, its `[n]` being `passages[n - 1]`.
 */
export function citeGenerated(
  kept: readonly Verified[],
  passages: readonly RetrievedPassage[],
): { sentences: AnswerSentence[]; citations: Citation[] } {
  const citations: Citation[] = [];
  const numberOf = new Map<number, number>();
  const sentences = kept.map((v): AnswerSentence => {
    const cites: number[] = [];
    for (const given of v.cites) {
      let n = numberOf.get(given);
      const retrieved = passages[given - 1];
      if (n === undefined && retrieved !== undefined) {
        n = citations.length + 1;
        numberOf.set(given, n);
        citations.push(toCitation(retrieved, n));
      }
      if (n !== undefined && !cites.includes(n)) cites.push(n);
    }
    const first = cites[0] ?? 0;
    return cites.length > 1 ? { text: v.text, n: first, cites } : { text: v.text, n: first };
  });
  return { sentences, citations };
}

/** A sentence as the reply writes it: its text, then its markers ("… [1][3]"). */
export function withMarkers(s: AnswerSentence): string {
  return `${s.text} ${(s.cites ?? [s.n]).map((n) => `[${n}]`).join("")}`;
}
