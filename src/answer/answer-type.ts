import type { AnswerType } from "./question.js";

const NUMBER_WORDS =
  /\b(\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|hundreds?|thousands?|millions?|billions?|trillions?|half|twice|double[ds]?|triple[ds]?|quadrupled|percent|several|few|many)\b/i;
const TIME_WORDS =
  /\b(\d{4}|january|february|march|april|may|june|july|august|september|october|november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday|tomorrow|year|years|month|months|week|weeks|days?|ago|since|after|before|during|until|recent|recently|late|last|next|now|when|took office|approach)\b/i;
const PERSON_WORDS =
  /\b(he|she|they|official|officials|president|secretary|minister|counterpart|counterparts|leader|leaders|reporters|diplomat|diplomats|americans|predecessor|spokesman|spokeswoman|people)\b/i;

/**
 * Whether a sentence holds the kind of thing the question asks for: a number for "how many",
 * a time for "when", a person for "who", a named place for "where". Deliberately permissive:
 * it exists to catch on-topic near misses ("How many hours…?" against a sentence with no
 * figure), not to second-guess retrieval.
 */
export function holdsAnswerType(type: AnswerType, sentence: string): boolean {
  switch (type) {
    case "number":
      return NUMBER_WORDS.test(sentence);
    case "time":
      return TIME_WORDS.test(sentence);
    case "person":
      return PERSON_WORDS.test(sentence) || hasProperName(sentence);
    case "place":
      return hasProperName(sentence);
    case "reason":
    case "other":
      return true;
  }
}

/** A capitalised word that is not the sentence's first word (a rough named-entity test). */
function hasProperName(sentence: string): boolean {
  const words = sentence.split(/\s+/).slice(1);
  return words.some((w) => /^[“"‘']?\p{Lu}\p{Ll}/u.test(w));
}
