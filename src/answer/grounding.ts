import { type AnalyzedQuestion, isAcronym, type QuestionTerm, type TermRole } from "../retrieval/question.js";
import type { PreparedText, TermMatcher } from "../retrieval/term-match.js";
import { stem } from "../text/analyze.js";
import { foldText, words } from "../text/normalize.js";

/**
 * Whether a sentence is about what the question asks, and says nothing against it: the checks
 * that keep Passage from quoting the sentence a question merely resembles.
 *
 * - Names and figures must be in the sentence itself ("Japan" is not answered by a sentence
 *   about China, "in March" not by one about February), or in what it refers to: the sentences
 *   before it when it says "he" or "the two men", the article's title when that names its subject.
 * - Superlatives must be in the sentence, as superlatives; things and actions in it or beside it
 *   (same word, stem, corrected spelling, shared affix, a related WordNet concept). "How much
 *   does Blinken earn?" is not answered by a sentence about Blinken that says nothing of earning.
 * - Nothing may contradict the question: another rank ("second" for "first"), an opposite
 *   ("largest" for "smallest"), or no negation when the question has one.
 */
export interface Grounding {
  /** The question's required terms that neither the sentence nor its neighbours match. */
  readonly missing: readonly QuestionTerm[];
  /** What in the sentence contradicts the question, or null. */
  readonly contradiction: Contradiction | null;
}

export type Contradiction = "ordinal" | "opposite" | "negation";

/** The roles of question terms an answer must match. Other modifiers may be paraphrased away. */
const REQUIRED_ROLES: ReadonlySet<TermRole> = new Set(["name", "thing", "action", "superlative", "number"]);

/**
 * How strong a match must be to count: a related-word (concept) match counts from here up. On
 * the development sets (npm run eval) 0.4 answered more and refused no fewer than 0.5 (seed:
 * hit 0.778 against 0.773, false abstentions 0.086 against 0.097, abstention 0.654 both);
 * 0.35 let more near misses through (abstention 0.635 seed, 0.417 encyclopedic).
 */
export const FOCUS_MATCH = 0.4;
/**
 * A superlative counts as itself or a near synonym ("biggest" for "largest"); a name is matched
 * by its words alone (itself, a corrected spelling, an affix: "Chinese-made"), never a concept.
 */
export const NAME_MATCH = 0.6;

const NUMBER_WORD: Readonly<Record<string, string>> = {
  one: "1",
  two: "2",
  three: "3",
  four: "4",
  five: "5",
  six: "6",
  seven: "7",
  eight: "8",
  nine: "9",
  ten: "10",
  eleven: "11",
  twelve: "12",
  twenty: "20",
  thirty: "30",
  forty: "40",
  fifty: "50",
};

const ORDINALS =
  /\b(\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|final|latest)\b/g;
/**
 * Whether two names are one, said of its people or of itself: "chinese" and "china", "russian"
 * and "russia", "americans" and "america" (the same word once the people's ending is cut,
 * give or take a country's ending of two letters or fewer).
 */
export function sameName(a: string, b: string): boolean {
  const x = a.replace(DEMONYM_ENDING, "");
  const y = b.replace(DEMONYM_ENDING, "");
  const [short, long] = x.length <= y.length ? [x, y] : [y, x];
  // The country's own ending is short: "chin|a", "russi|a", not "austr|alia".
  return short.length >= 4 && long.startsWith(short) && long.length - short.length <= 2;
}

const DEMONYM_ENDING = /(ese|ians?|eans?|ans?|ish)$/;

const TIME_OPPOSITES: readonly (readonly [string, string])[] = [
  ["before", "after"],
  ["after", "before"],
];

/**
 * The plain form of a comparative, superlative or adverb ("highest" → high, "biggest" → big,
 * "coolly" → cool), else the word.
 */
function degreeBase(word: string): string {
  if (word.length > 4 && word.endsWith("ly")) return word.slice(0, -2);
  const m = /^(.{2,}?)(est|er)$/.exec(word);
  if (m === null) return word;
  const base = m[1] ?? word;
  // "biggest" → "bigg" → "big"; "largest" → "larg" (Porter's stem of "large" too).
  return /(.)\1$/.test(base) ? base.slice(0, -1) : base;
}

/**
 * A sentence that stands for someone or something named before it: a pronoun anywhere ("He
 * said…", "Instead they lived…"). Only the first three words would refuse too many answers in
 * encyclopedic paragraphs (wiki dev answer hit 0.883 -> 0.767).
 */
const PRONOUN = /\b(he|she|it|they|his|her|its|their|him|them|this|these|those)\b/i;
/** The sentences before one, nearest first, up to and including the nearest that names someone or something. */
function antecedents(before: readonly ReadText[]): ReadText[] {
  const out: ReadText[] = [];
  for (let i = before.length - 1; i >= 0; i--) {
    const b = before[i] as ReadText;
    out.push(b);
    if (NAMES_SOMEONE.test(b.text)) break;
  }
  return out;
}

/** A capitalised word after a sentence's first: a name, as a rough and quick test. */
const NAMES_SOMEONE = /\S\s+["“‘']?\p{Lu}/u;

/**
 * Whether a title names the article's subject ("Lise Meitner", "Emperor penguin", "Nokia"), as
 * encyclopedic titles do, rather than being a headline ("Blinken’s visit to China — An
 * Analysis"), whose names are not what every sentence of the article is about.
 */
function isSubjectTitle(title: string): boolean {
  return words(title).length <= 4 && !/[—:–-]\s/.test(title);
}

const YEAR_OR_MONTH =
  /^(1\d{3}|20\d{2}|january|february|march|april|may|june|july|august|september|october|november|december)$/;
const YEAR_OR_MONTH_IN =
  /\b(1\d{3}|20\d{2}|january|february|march|april|june|july|august|september|october|november|december)\b/i;

/** A sentence that dates itself by the one before: "that Christmas", "the same year", "then". */
const DATE_ANAPHOR =
  /\b(that|the same|the following|the next|the previous) (year|month|day|week|christmas|summer|winter|spring|autumn|decade|century)\b|\bthen\b/i;

/**
 * The initials of each run of capitalised words in a text, lowercased, small linking words
 * skipped: "the United Nations Educational, Scientific and Cultural Organization" gives "un…".
 */
function initialsOf(text: string): string[] {
  const runs: string[] = [];
  let run = "";
  for (const w of text.split(/[\s,]+/)) {
    if (/^\p{Lu}/u.test(w)) run += w[0]?.toLowerCase() ?? "";
    else if (!/^(of|the|and|for|de|des|du|la|le)$/.test(w)) {
      if (run.length >= 2) runs.push(run);
      run = "";
    }
  }
  if (run.length >= 2) runs.push(run);
  return runs;
}

/** A superlative in a sentence: "largest", "most prominent", "least", "best", "worst", "first". */
const SUPERLATIVE = /\b(\w+est|most|least|best|worst|first|main|top|chief|foremost)\b/i;
/** A sentence that opens on something already named: "The two men…", "Both sides…". */
const DEFINITE_START = /^(the|this|that|these|those|both|such)\b/i;
const NEGATION = /\b(not|no|never|nothing|none|neither|nor|without|cannot|unwilling|unable)\b|n['’]t\b/i;

/**
 * Weighted (by informativeness) share of the question's required terms that the sentence and
 * its neighbours do not match: 0 when all are there (or none are required).
 */
export function missingShare(question: AnalyzedQuestion, grounding: Grounding): number {
  let total = 0;
  let missing = 0;
  for (const t of question.terms) {
    if (!REQUIRED_ROLES.has(t.role)) continue;
    total += t.weight;
    if (grounding.missing.includes(t)) missing += t.weight;
  }
  return total > 0 ? missing / total : 0;
}

/** Whether the most informative required term of the question (its focus) is among those the sentence lacks. */
export function lacksFocus(question: AnalyzedQuestion, grounding: Grounding): boolean {
  let focus: QuestionTerm | undefined;
  for (const t of question.terms) if (REQUIRED_ROLES.has(t.role) && t.weight > (focus?.weight ?? -1)) focus = t;
  return focus !== undefined && grounding.missing.includes(focus);
}

/** A figure in one spelling: "seven" and "7" are the same number; "1,000" is "1000". */
export function normalizeNumber(word: string): string {
  return NUMBER_WORD[word] ?? word.replace(/,/g, "");
}

/** A text as read for grounding: as written, and prepared for matching. */
export interface ReadText {
  readonly text: string;
  readonly prepared: PreparedText;
}

/**
 * Checks one sentence against the question, given the sentences before it in its passage
 * (nearest last), the one after it (null at the end) and its article's title.
 */
export function ground(
  question: AnalyzedQuestion,
  sentence: ReadText,
  before: readonly ReadText[],
  next: ReadText | null,
  title: ReadText,
  matcher: TermMatcher,
): Grounding {
  const previous = before.at(-1) ?? null;
  const missing: QuestionTerm[] = [];
  const source = matcher.conceptSource;
  // "Washington" names the US, "Beijing" China, "Chinese" its people.
  const places = question.constraints.places;
  const isSameName = (a: string, b: string) =>
    sameName(a, b) || (source?.sameEntity?.(a, b, places.includes(a)) ?? false);
  // "UN" is named by "the United Nations": the initials of a run of capitalised words.
  const spellsOut = (t: QuestionTerm, text: string) =>
    isAcronym(t.word, question.text) && initialsOf(text).some((i) => i.includes(t.word));
  // Things and actions may be said beside the sentence, or by a title that names the article's
  // subject: in "Emperor penguin", "The largest colony is on Coulman Island" is about emperor penguins.
  const subject = isSubjectTitle(title.text) ? title : null;
  const window = [previous, sentence, next, subject].flatMap((t) => (t === null ? [] : [t]));
  const sentenceWords = new Set(words(sentence.text).map(normalizeNumber));
  // Names and figures belong to the sentence itself: a neighbour's year or person is another
  // fact. A sentence that says "he", "it" or "the two men" may take its name from the sentences
  // before it in the passage, back to the nearest that names anyone ("…was Carthage. According
  // to legend it was founded…" is about Carthage, not the Gadir named earlier).
  const leans = PRONOUN.test(sentence.text) || DEFINITE_START.test(sentence.text);
  const nameSources = [sentence, ...(leans ? antecedents(before) : [])];
  // Every sentence of an article whose title names its subject is about that subject ("the
  // region" in the article "Atacama Desert").
  if (subject !== null) nameSources.push(subject);
  for (const t of question.terms) {
    if (!REQUIRED_ROLES.has(t.role)) continue;
    let found: boolean;
    if (t.role === "number") {
      // A date the sentence does not give itself it takes from what it refers to ("that
      // Christmas", "It drew 233 entries") or, giving no other, from the sentence before; a
      // sentence that gives another year answers another question.
      const n = normalizeNumber(t.word);
      const isDate = YEAR_OR_MONTH.test(n);
      const inherits = isDate && (DATE_ANAPHOR.test(sentence.text) || !YEAR_OR_MONTH_IN.test(sentence.text));
      const dated = inherits ? [...antecedents(before), ...(previous === null ? [] : [previous])] : [];
      found = sentenceWords.has(n) || dated.some((b) => words(b.text).map(normalizeNumber).includes(n));
    } else {
      // A name is matched by itself (or its spelling), not by a related name: Australia is not China;
      // "smallest" by itself or a near synonym, not by any size word.
      const min = t.role === "name" || t.role === "superlative" ? NAME_MATCH : FOCUS_MATCH;
      // A superlative belongs to the sentence, in its degree: "smaller plates" beside it do not
      // say which plate is the smallest.
      const sources = t.role === "name" ? nameSources : t.role === "superlative" ? [sentence] : window;
      // Names by their words alone: related concepts would make Beijing of any capital and country.
      const literal = t.role === "name";
      found =
        sources.some((w) => matcher.match(t, w.prepared, literal) >= min) ||
        (literal && sources.some((w) => w.prepared.terms.some((x) => isSameName(t.word, x.word)))) ||
        (literal && sources.some((w) => spellsOut(t, w.text)));
    }
    if (found && t.role === "superlative" && !SUPERLATIVE.test(sentence.text)) found = false;
    if (!found) missing.push(t);
  }
  // A name of several words is named when most of its words are ("the UNESCO World Heritage
  // List" names the World Heritage Site): its words count as found or missing together.
  const groups = new Map<number, QuestionTerm[]>();
  for (const t of question.terms)
    if (t.nameGroup !== null) groups.set(t.nameGroup, [...(groups.get(t.nameGroup) ?? []), t]);
  for (const members of groups.values()) {
    const lacking = members.filter((t) => missing.includes(t));
    // Its last word or its most telling one must be there, and for a person the last (the
    // surname): "Ramsay" names William Ramsay, "John Roebling" does not name John Snow.
    // A person is named by their surname alone ("Ramsay received…" names William Ramsay).
    const telling = members.reduce((a, b) => (b.weight > a.weight ? b : a));
    const last = members[members.length - 1] as QuestionTerm;
    // A person's given name says little: "John Roebling" does not name John Snow.
    const person = source?.nameKind?.(members[0]?.word ?? "") === "person";
    const named = !lacking.includes(last) || (!person && !lacking.includes(telling));
    if (lacking.length > 0 && lacking.length * 2 <= members.length && named) {
      for (const t of lacking) missing.splice(missing.indexOf(t), 1);
    }
  }
  return { missing, contradiction: contradiction(question, sentence.text) };
}

function contradiction(question: AnalyzedQuestion, sentence: string): Contradiction | null {
  const { ordinals, negated, opposites } = question.constraints;
  const lower = sentence.toLowerCase();
  if (ordinals.length > 0) {
    const said = [...lower.matchAll(ORDINALS)].map((m) => m[1] ?? "");
    if (said.length > 0 && !ordinals.some((o) => said.includes(o.word))) return "ordinal";
    if (ordinals.some((o) => o.ofNoun && !said.includes(o.word))) return "ordinal";
  }
  if (opposites.length > 0) {
    // Words of the sentence itself, not a neighbour's; parts of a compound ("open-pit") only
    // against a word of a compound ("lowest-ranking" against "highest-ranking").
    const tokens = foldText(sentence).match(/[\p{L}\p{N}]+(?:['-][\p{L}\p{N}]+)*/gu) ?? [];
    const forms = (ws: readonly string[]) => new Set(ws.flatMap((w) => [stem(w), stem(degreeBase(w))]));
    const plain = forms(tokens.filter((w) => !w.includes("-")));
    const all = forms(words(sentence));
    for (const o of opposites) {
      const said = o.inCompound ? all : plain;
      if (said.has(stem(o.word)) || said.has(stem(degreeBase(o.word)))) continue;
      if (o.antonyms.some((a) => said.has(stem(a)))) return "opposite";
    }
  }
  // "after the visit" is not answered by "before the visit", nor the reverse.
  for (const [asked, other] of TIME_OPPOSITES) {
    if (new RegExp(`\\b${asked}\\b`, "i").test(question.text) && new RegExp(`\\b${other}\\b`, "i").test(sentence)) {
      if (!new RegExp(`\\b${asked}\\b`, "i").test(sentence)) return "opposite";
    }
  }
  if (negated && !NEGATION.test(sentence)) return "negation";
  return null;
}
