/**
 * Citation markers in a model's sentence: `[2]`, `[1][3]`, `[1, 3]`. Read apart from the
 * sentence's words, so that what is cited and what is claimed are checked separately.
 */

/** A marker group: one or more passage numbers in brackets, separated by commas or semicolons. */
const MARKER = /\s*\[\s*(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\s*\]/g;

/** A sentence with its citation markers taken out. */
export interface CitedText {
  /** The sentence without markers, tidied ("held at X [1]." → "held at X."). */
  readonly text: string;
  /** The passage numbers it cites, in order of first mention, each once. */
  readonly cites: readonly number[];
}

/** Separates a sentence's citation markers from its words. */
export function readMarkers(sentence: string): CitedText {
  const cites: number[] = [];
  for (const m of sentence.matchAll(MARKER)) {
    for (const n of (m[1] ?? "").split(/[,;]/)) {
      const value = Number.parseInt(n.trim(), 10);
      if (!cites.includes(value)) cites.push(value);
    }
  }
  const text = sentence
    .replace(MARKER, "")
    .replace(/\s+([.,;:!?])/g, "$1")
    .replace(/\s+/g, " ")
    .trim();
  return { text, cites };
}

/** Whether `text` begins with one or more complete marker groups and nothing else before them. */
export function leadingMarkers(text: string): string {
  const m = /^(\s*\[\s*\d{1,3}(?:\s*[,;]\s*\d{1,3})*\s*\])+/.exec(text);
  return m ? m[0] : "";
}
