import type { NameKind } from "../embed/concept-source.js";
import { tag } from "../text/nlp.js";
import { foldText, words } from "../text/normalize.js";

/** What kind of thing the question asks for, read from its wording. */
export type AnswerType =
  | "number"
  | "percent"
  | "money"
  | "duration"
  | "age"
  | "measure"
  | "time"
  | "person"
  | "place"
  | "reason"
  | "other";

/** The question's answer type, and for "how many X" the X that must be counted. */
export interface AnswerSlot {
  readonly type: AnswerType;
  /** The counted or measured noun ("hours" in "how many hours…"), when the question names one. */
  readonly unit: string | null;
}

/** The head of the noun phrase after "how many": "snails" in "how many sea snails", by part of speech. */
function countedNoun(question: string): string | null {
  const tokens = tag(question);
  const at = tokens.findIndex((t, i) => t.normal === "how" && tokens[i + 1]?.normal === "many");
  if (at < 0) return null;
  let head: string | null = null;
  for (const t of tokens.slice(at + 2)) {
    if (t.pos === "NOUN" || t.pos === "PROPN") head = t.normal;
    else if (head !== null || (t.pos !== "ADJ" && t.pos !== "NUM")) break;
  }
  return head;
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
  if (/\bhow many\b/.test(q)) return { type: "number", unit: countedNoun(question) ?? unit(/\bhow many ([a-z]+)/) };
  if (/\bhow old\b|\bwhat age\b|\bat what age\b/.test(q)) return { type: "age", unit: null };
  const measured = /\bhow (fast|far|deep|tall|wide|thick|heavy|quickly|hot|cold|high)\b/.exec(q);
  if (measured) return { type: "measure", unit: measured[1] ?? null };
  if (/\bhow much\b|\bwhat (number|amount)\b|\bhow (large|big)\b/.test(q)) return { type: "number", unit: null };
  if (/\bhow long\b|\bwhat duration\b/.test(q)) return { type: "duration", unit: null };
  // The question word that comes first asks: "Which admiral was present when…" wants a person's
  // name, not a date, and "Who was there when…" a person too.
  const lead = /\b(who|whom|whose|when|where|why|which|what)\b/.exec(q)?.[1];
  const asks = (word: RegExp) => lead !== undefined && word.test(lead);
  if (asks(/^when$/) || /\b(what|which) (year|month|day|date|time)\b/.test(q)) return { type: "time", unit: null };
  if (asks(/^(who|whom|whose)$/)) return { type: "person", unit: null };
  if (asks(/^where$/) || /\b(in|at) (what|which) (city|country|place|venue|location)\b/.test(q))
    return { type: "place", unit: null };
  if (asks(/^why$/) || /\bfor what reason\b|\bwhat (caused|led to)\b/.test(q)) return { type: "reason", unit: null };
  return { type: "other", unit: null };
}

const YEAR = /\b(1[0-9]{3}|20[0-9]{2})\b/;
const YEARS = new RegExp(YEAR.source, "g");
const NUMBER =
  /\b(\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundreds?|thousands?|millions?|billions?|trillions?|dozens?|half|twice|double[ds]?|triple[ds]?|quadrupled|several|multiple)\b/i;
const AGE =
  /\b(aged?|at the age of|\d+[- ]years?[- ]old|(his|her|their) (teens|twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties))\b/i;
// Units a height, distance, speed, depth, weight or temperature is given in.
const MEASURE_UNIT =
  /\b(mm|cm|m|km|metres?|meters?|millimet(re|er)s?|centimet(re|er)s?|kilomet(re|er)s?|feet|foot|ft|inch(es)?|miles?|kg|kilograms?|grams?|tonnes?|tons?|pounds?|lbs?|mph|knots?|degrees?|per (second|hour|year|day))\b|°|km\/h/i;
const LENGTH =
  /\b(mm|cm|m|km|metres?|meters?|millimet(re|er)s?|centimet(re|er)s?|kilomet(re|er)s?|feet|foot|ft|inch(es)?|miles?)\b/i;
const WEIGHT = /\b(mg|g|kg|grams?|kilograms?|tonnes?|tons?|pounds?|lbs?|ounces?|oz)\b/i;
const SPEED =
  /\b(mph|knots?|km\/h|kilomet(re|er)s? (an|per) hour|miles (an|per) hour|per (second|hour|year|day)|a year|an hour)\b|km\/h/i;
const TEMPERATURE = /°|\bdegrees?\b/i;
/** The units a measure is given in, by the word that asks it. */
const UNITS_OF: Readonly<Record<string, RegExp>> = {
  tall: LENGTH,
  high: LENGTH,
  deep: LENGTH,
  wide: LENGTH,
  thick: LENGTH,
  far: LENGTH,
  heavy: WEIGHT,
  fast: SPEED,
  quickly: SPEED,
  hot: TEMPERATURE,
  cold: TEMPERATURE,
};
/**
 * The words that say which dimension a figure measures: "4 kilometres long and 1 kilometre
 * deep" says nothing of how wide.
 */
const DIMENSION_OF: Readonly<Record<string, RegExp>> = {
  tall: /\b(tall|height|high|rise|rising|rose|risen)/i,
  high: /\b(high|height|tall|altitude|elevation|rise|rising|rose|risen)/i,
  deep: /\b(deep|depth|below)/i,
  wide: /\b(wide|width|across|broad|breadth)/i,
  thick: /\b(thick|diameter|across)/i,
  heavy: /\b(heav|weigh|mass)/i,
};
const PERCENT =
  /%|\bper ?cent\b|\b(a|one|two|three) (half|third|quarter|fifth|tenth)s?\b|\b(halves|majority|minority|most of|half of)\b/i;
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
  nameKind: (word: string) => NameKind | null = () => null,
  /**
   * The slot's unit: for a measure, the word that asks it ("heavy" wants a weight, "tall" a
   * length); for a count, what is counted ("years" lets a year count as a figure).
   */
  measured: string | null = null,
): boolean {
  switch (type) {
    case "number": {
      // A figure the question itself gives ("How many units of the Nokia 3210…") is not the
      // answer, nor a year ("in 1854") unless years are counted.
      const years = measured !== null && /^(years?|decades?|centuries)$/.test(measured);
      const asked = withoutWords(sentence, questionWords);
      const figures = years ? asked : asked.replace(YEARS, " ");
      return (
        NUMBER.test(figures) ||
        tagged(sentence).tokens.some(
          (t) => t.entity === "CARDINAL" && !questionWords.has(t.normal) && (years || !YEAR.test(t.normal)),
        )
      );
    }
    case "age":
      return AGE.test(sentence);
    case "measure":
      return (
        NUMBER.test(withoutWords(sentence, questionWords)) &&
        (UNITS_OF[measured ?? ""] ?? MEASURE_UNIT).test(sentence) &&
        (DIMENSION_OF[measured ?? ""]?.test(sentence) ?? true)
      );
    case "percent":
      return PERCENT.test(sentence);
    case "money":
      return MONEY.test(sentence) && NUMBER.test(sentence);
    case "duration":
      return (NUMBER.test(sentence) && TIME_UNIT.test(sentence)) || TIME.test(sentence);
    case "time":
      return TIME.test(sentence) || entities(sentence).has("DATE") || entities(sentence).has("TIME");
    case "person":
      // Someone the question does not already name: "Whom did Blinken meet?" is not answered
      // by a sentence whose only person is Blinken.
      // …and not a place: "Who founded Gadir?" is not answered by "Gadir, the modern Cádiz".
      return (
        newNames(sentence, questionWords, nameKind).some((n) => n.kind !== "place") ||
        words(sentence).some((w) => PERSON_ROLES.has(w) && !questionWords.has(w))
      );
    case "place":
      return newNames(sentence, questionWords, nameKind).some((n) => n.kind !== "person");
    case "reason":
    case "other":
      return true;
  }
}

/**
 * The names of a sentence the question does not already use: runs of proper nouns (by part of
 * speech, so a name that opens the sentence counts), leaving out titles and dates, each with
 * what it stands for when the lexicon knows (the kind of its last word, which heads it).
 */
function newNames(
  sentence: string,
  questionWords: ReadonlySet<string>,
  nameKind: (word: string) => NameKind | null,
): { words: string[]; kind: NameKind | null }[] {
  const names: { words: string[]; kind: NameKind | null }[] = [];
  let run: string[] = [];
  const close = () => {
    const fresh = run.filter((w) => !questionWords.has(w));
    if (fresh.length > 0) {
      // The last word heads the name: "Diaoyutai State Guest House" is a house, not a guest.
      names.push({ words: fresh, kind: nameKind(run[run.length - 1] ?? "") });
    }
    run = [];
  };
  for (const t of tagged(sentence).tokens) {
    if (t.pos !== "PROPN" || t.entity !== null) {
      close();
      continue;
    }
    for (const w of words(t.text)) if (!TITLES.has(w)) run.push(w);
  }
  close();
  return names;
}

/** The sentence without the words the question uses (figures it names are not answers). */
function withoutWords(sentence: string, questionWords: ReadonlySet<string>): string {
  if (questionWords.size === 0) return sentence;
  return sentence.replace(/[\p{L}\p{N}][\p{L}\p{N},.]*/gu, (w) =>
    questionWords.has(foldText(w).replace(/[,.]$/, "")) ? " " : w,
  );
}

function entities(sentence: string): ReadonlySet<string> {
  return tagged(sentence).entities;
}

/** Tagged sentences, remembered: the same passages come back for question after question. */
const tags = new Map<string, { tokens: ReturnType<typeof tag>; entities: ReadonlySet<string> }>();

function tagged(sentence: string): { tokens: ReturnType<typeof tag>; entities: ReadonlySet<string> } {
  let t = tags.get(sentence);
  if (t === undefined) {
    const tokens = tag(sentence);
    t = { tokens, entities: new Set(tokens.flatMap((k) => (k.entity === null ? [] : [k.entity]))) };
    if (tags.size >= 5000) tags.delete(tags.keys().next().value as string);
    tags.set(sentence, t);
  }
  return t;
}
