import { foldText, words } from "../text/normalize.js";

/** What kind of thing the question asks for, read from its wording. */
export type AnswerType = "number" | "percent" | "money" | "duration" | "time" | "person" | "place" | "reason" | "other";

/** The question's answer type, and for "how many X" the X that must be counted. */
export interface AnswerSlot {
  readonly type: AnswerType;
  /** The counted or measured noun ("hours" in "how many hours…"), when the question names one. */
  readonly unit: string | null;
}

/** Reads the answer type from a question's wording. */
export function answerSlot(question: string): AnswerSlot {
  const q = foldText(question);
  const unit = (re: RegExp) => re.exec(q)?.[1] ?? null;
  // The first test that fits decides: "how many percent" asks for a share, "how much … cost" for
  // money, and "for how many years" is counted, so it reads as a number of years.
  if (/\b(percentage|percent|proportion|share|fraction)\b/.test(q) && /\b(what|which|how)\b/.test(q))
    return { type: "percent", unit: null };
  if (
    /\b(dollar value|how much money|how much (does|did|do|would|will) .* cost|what (is|was) the (cost|price|value)|worth)\b/.test(
      q,
    )
  )
    return { type: "money", unit: null };
  if (/\bhow many\b/.test(q)) return { type: "number", unit: unit(/\bhow many ([a-z]+)/) };
  if (/\bhow much\b|\bwhat (number|amount)\b|\bhow (large|big|high)\b/.test(q)) return { type: "number", unit: null };
  if (/\bhow long\b|\bwhat duration\b/.test(q)) return { type: "duration", unit: null };
  if (/\bwhen\b|\b(what|which) (year|month|day|date|time)\b/.test(q)) return { type: "time", unit: null };
  if (/\b(who|whom|whose)\b/.test(q)) return { type: "person", unit: null };
  if (/\bwhere\b|\b(in|at) (what|which) (city|country|place|venue|location)\b/.test(q))
    return { type: "place", unit: null };
  if (/\bwhy\b|\bfor what reason\b|\bwhat (caused|led to)\b/.test(q)) return { type: "reason", unit: null };
  return { type: "other", unit: null };
}

const NUMBER =
  /\b(\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundreds?|thousands?|millions?|billions?|trillions?|dozens?|half|twice|double[ds]?|triple[ds]?|quadrupled|several|multiple)\b/i;
const PERCENT = /%|\bper ?cent\b/i;
const MONEY = /[$€£¥]|\b(dollars?|yuan|euros?|pounds?)\b/i;
const TIME_UNIT = /\b(seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?)\b/i;
const TIME =
  /\b(1[89]\d\d|20\d\d|january|february|march|april|may|june|july|august|september|october|november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday|tomorrow|(this|last|next) (year|month|week)|ago|since|recent(ly)?|of late|took office)\b/i;
// Words that name a person by role; pronouns are left out, as they usually stand for someone
// the question already names.
const PERSON_ROLES = new Set(
  "official officials president secretary minister counterpart counterparts leader leaders reporter reporters diplomat diplomats americans predecessor successor spokesman spokeswoman spokesperson envoy ambassador premier chancellor king queen general".split(
    " ",
  ),
);
const TITLES = new Set(["mr", "mrs", "ms", "dr", "prof", "sir"]);

/**
 * Whether a sentence holds the kind of thing the question asks for: a figure for "how many",
 * a percentage, a sum of money, a length of time, a date for "when", a person for "who", a
 * named place for "where". It catches on-topic near misses ("How many hours…?" against a
 * sentence with no figure), so it is strict only for questions that ask for a value.
 */
export function holdsAnswerType(
  type: AnswerType,
  sentence: string,
  questionWords: ReadonlySet<string> = new Set(),
): boolean {
  switch (type) {
    case "number":
      return NUMBER.test(sentence);
    case "percent":
      return PERCENT.test(sentence);
    case "money":
      return MONEY.test(sentence) && NUMBER.test(sentence);
    case "duration":
      return (NUMBER.test(sentence) && TIME_UNIT.test(sentence)) || TIME.test(sentence);
    case "time":
      return TIME.test(sentence);
    case "person":
      // Someone the question does not already name: "Whom did Blinken meet?" is not answered
      // by a sentence whose only person is Blinken.
      return (
        newNames(sentence, questionWords).length > 0 ||
        words(sentence).some((w) => PERSON_ROLES.has(w) && !questionWords.has(w))
      );
    case "place":
      return newNames(sentence, questionWords).length > 0;
    case "reason":
    case "other":
      return true;
  }
}

/**
 * Capitalised words after the first word (a rough named-entity test), lowercased, leaving out
 * titles and names the question already uses.
 */
function newNames(sentence: string, questionWords: ReadonlySet<string>): string[] {
  const names: string[] = [];
  sentence
    .split(/\s+/)
    .slice(1)
    .forEach((token) => {
      if (!/^[“"‘']?\p{Lu}\p{Ll}/u.test(token)) return;
      for (const w of words(token)) if (!TITLES.has(w) && !questionWords.has(w)) names.push(w);
    });
  return names;
}
