import { splitSentences } from "../../corpus/sentences.js";
import { leadingMarkers } from "./citation-markers.js";

/**
 * Cuts a model's growing reply into sentences, each with the citation markers that follow it
 * ("…held there. [1] The…" and "…held there [1]. The…" both give "…held there. [1]").
 *
 * With `done` false the reply is still being written: a sentence counts as complete only once
 * the next one has begun (its markers may still be on their way), so the sentences returned
 * never change as more text arrives, and each may be verified and shown once. With `done`
 * true every sentence is complete.
 */
export function cutSentences(reply: string, done: boolean): string[] {
  // "held there.[1] Next" would otherwise not split: a sentence ends before white space.
  const text = reply.replace(/([.!?]["'”’)]*)\[/g, "$1 [");
  const lines = text.split(/\n/);
  const out: string[] = [];
  lines.forEach((raw, i) => {
    // A list item's number would read as a sentence of its own ("1." | "The visit…").
    const line = raw.replace(/^\s*(?:[-*•]|\d{1,2}[.)])\s+/, "");
    const lineDone = done || i < lines.length - 1;
    const sentences = attachMarkers(splitSentences(line).map((s) => line.slice(s.start, s.end)));
    const complete = lineDone ? sentences : pendingTrimmed(sentences);
    for (const s of complete) {
      const tidy = unbullet(s);
      if (tidy.length > 0) out.push(tidy);
    }
  });
  return out;
}

/** Moves markers that open a sentence ("[1] Next…") to the end of the one before. */
function attachMarkers(sentences: readonly string[]): string[] {
  const out: string[] = [];
  for (const s of sentences) {
    const lead = leadingMarkers(s);
    const previous = out.length - 1;
    if (lead.length > 0 && previous >= 0) {
      out[previous] = `${out[previous]} ${lead.trim()}`;
      const rest = s.slice(lead.length).trim();
      if (rest.length > 0) out.push(rest);
    } else out.push(s);
  }
  return out;
}

/**
 * The sentences of an unfinished line that are complete: all but the last, and not the one
 * before it either while the last is only (the start of) its markers.
 */
function pendingTrimmed(sentences: readonly string[]): string[] {
  const complete = sentences.slice(0, -1);
  const last = sentences.at(-1);
  if (last === undefined) return complete;
  // The last sentence holds nothing but markers, or a marker still arriving ("[1" or "[").
  const rest = last.slice(leadingMarkers(last).length).trim();
  if (complete.length > 0 && (rest.length === 0 || rest.startsWith("["))) return complete.slice(0, -1);
  return complete;
}

/** Drops a list bullet or number and Markdown emphasis a model may add. */
function unbullet(sentence: string): string {
  return sentence
    .replace(/^\s*(?:[-*•]|\d{1,2}[.)])\s+/, "")
    .replace(/\*\*|__/g, "")
    .trim();
}
