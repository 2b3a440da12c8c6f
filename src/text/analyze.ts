import { stemmer } from "stemmer";
import { IRREGULAR_BASE } from "./irregular-forms.js";
import { words } from "./normalize.js";
import { STOP_WORDS } from "./stopwords.js";

/** A content word of a text: its surface form and Porter stem. */
export interface Term {
  readonly word: string;
  readonly stem: string;
}

const stemCache = new Map<string, string>();

/**
 * Stem of a lowercase word: irregular forms first go to their base ("met" → "meet"), then
 * Porter. Cached, since stemming dominates indexing time otherwise.
 */
export function stem(word: string): string {
  let s = stemCache.get(word);
  if (s === undefined) {
    s = stemmer(IRREGULAR_BASE.get(word) ?? word);
    if (stemCache.size < 200_000) stemCache.set(word, s);
  }
  return s;
}

/** Content terms of a text: words minus stop words, each with its stem. */
export function terms(text: string): Term[] {
  const out: Term[] = [];
  for (const word of words(text)) {
    if (STOP_WORDS.has(word)) continue;
    if (word.length < 2 && !/\d/.test(word)) continue;
    out.push({ word, stem: stem(word) });
  }
  return out;
}

/** Stems of the content words of a text, in order, with repeats. */
export function stems(text: string): string[] {
  return terms(text).map((t) => t.stem);
}
