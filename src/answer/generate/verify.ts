import { splitSentences } from "../../corpus/sentences.js";
import type { ConceptSource } from "../../embed/concept-source.js";
import { stem } from "../../text/analyze.js";
import { foldText, words } from "../../text/normalize.js";
import { LIGHT_VERBS, STOP_WORDS } from "../../text/stopwords.js";
import { readMarkers } from "./citation-markers.js";
import { isNumberWord, numberMentions, numbersOf } from "./verify-numbers.js";

/**
 * Verification of a model's sentences against the passages it was given: what keeps a
 * generated answer to what the articles say. Pure: the same sentence and passages always get
 * the same verdict, and nothing here knows about models or streams.
 *
 * A sentence passes when
 * - it cites at least one passage, and only passages it was given (`[1]`…`[n]`);
 * - text it puts in quotation marks occurs verbatim (quotes, dashes, case and spacing aside) in
 *   one passage it cites;
 * - its names and numbers all occur in the passages it cites;
 * - its other content words occur there too, as the same stem, a longer or shorter form
 *   ("visit", "visitor") or a WordNet synonym or broader word, with a few light words
 *   ("according", "noted", "describes") free and at most one other word in eight unmatched;
 * - it says "not", "never"… only when a passage it cites does.
 *
 * Passages are read without their sentences that address a model ("Ignore previous
 * instructions…"): a model that obeys such a sentence gets no support from it.
 */

/** What the model is told to write, alone, when the passages don't answer the question. */
export const NOT_IN_PASSAGES = "NOT_IN_PASSAGES";

/** Why a sentence was removed. */
export type RejectionReason =
  | "not-in-passages"
  | "no-citation"
  | "bad-citation"
  | "misquote"
  | "name"
  | "number"
  | "negation"
  | "unsupported";

/** A sentence that passed: its text without markers, and the passages (given numbering) it cites. */
export interface Verified {
  readonly ok: true;
  readonly text: string;
  readonly cites: readonly number[];
}

/** A sentence that failed, why, and the words or quote that failed it. */
export interface Rejected {
  readonly ok: false;
  readonly reason: RejectionReason;
  readonly text: string;
  readonly cites: readonly number[];
  readonly detail: readonly string[];
}

export type Verdict = Verified | Rejected;

/** One passage prepared once for checking every sentence that cites it. */
export interface PreparedPassage {
  /** Its statements (instructions to a model left out), folded, white space collapsed. */
  readonly folded: string;
  readonly stems: ReadonlySet<string>;
  /** Numbers as written without thousands separators ("1,200" → "1200"), and number words as digits. */
  readonly numbers: ReadonlySet<string>;
  /** Concept id → strongest weight among its words and word pairs. */
  readonly concepts: ReadonlyMap<string, number>;
  /** Words it writes capitalised (lowercase), for names that stand for the same thing. */
  readonly names: readonly string[];
  /** Its words in order (folded), for what stands next to what: "a single gram" for "one gram". */
  readonly words: readonly string[];
  /** It negates: a negative word ("not", "never", "didn't") or prefix ("unwilling"). */
  readonly negated: boolean;
}

/** The passages a model was given, numbered from 1, and the concept source synonyms come from. */
export interface VerificationContext {
  readonly passages: readonly PreparedPassage[];
  readonly concepts: ConceptSource | null;
}

/** Share of a sentence's ordinary content words that may go unmatched (names and numbers never may). */
export const MAX_UNMATCHED_SHARE = 1 / 8;
/** A sentence word's own senses weigh at least this (WordNet's first two senses: 1, 0.6)… */
const OWN_SENSE_WEIGHT = 0.6;
/** …and match a passage's concept of at least this weight: its words' senses or direct hypernyms. */
const PASSAGE_CONCEPT_WEIGHT = 0.5;

/**
 * A word's derivations ("employee" → employ, "death" → die) weigh this (WordNet's related
 * weight, 0.4, times its first sense's): they meet a passage word's own sense (not a broader word).
 */
const RELATED_SENSE_WEIGHT = 0.4;

/** A name meets a passage word that pertains to it ("Chinese" → China: WordNet's related weight, 0.4). */
const RELATED_NAME_WEIGHT = 0.4;

/**
 * Words that say where something is said, not what: free in a sentence. Verbs of saying and the
 * light verbs are here because "the article notes that X" claims nothing beyond X.
 */
const LIGHT_WORDS: ReadonlySet<string> = new Set(
  [
    ...LIGHT_VERBS,
    ..."article articles passage passages text author according mention mentioned mentions state states stated note notes noted report reports reported describe describes described explain explains explained add adds added indicate indicates indicated suggest suggests suggested include includes included including discuss discusses discussed refer refers referred also however additionally furthermore moreover overall specifically particularly notably meanwhile".split(
      " ",
    ),
    // Hedges: "probably", "reportedly", "usually" make a claim weaker than the passage's, never stronger.
    ..."probably possibly perhaps likely reportedly allegedly apparently reputedly supposedly seemingly presumably usually typically generally commonly often".split(
      " ",
    ),
  ].map(stem),
);

/**
 * Closed-class words the stop-word list leaves out (it serves retrieval, which wants few):
 * prepositions, conjunctions and connectives. Free in a sentence, and never a name when they
 * open it ("Although…", "Among…": a lexicon of content words does not know them).
 */
const FUNCTION_WORDS: ReadonlySet<string> = new Set(
  "although though even among amongst whereas despite unless since within throughout toward towards across along alongside amid amidst around beneath beside besides beyond inside outside near till thus hence therefore thereby instead rather whose whom whereby".split(
    " ",
  ),
);

const NEGATIONS: ReadonlySet<string> = new Set(
  "not no never neither nor none nobody nothing nowhere cannot without".split(" "),
);
const NEGATION = /\b(not|no|never|neither|nor|none|nobody|nothing|nowhere|cannot|without)\b|n['’]t\b/i;

/**
 * Whether a word negates by its prefix: "unwilling", "unable", "nonexistent" — "un-"/"non-" and
 * a word of the language ("union" is no "un-ion": "ion" is too short to count).
 */
function negatesByPrefix(word: string, concepts: ConceptSource | null): boolean {
  const m = /^(un|non)(\p{L}{4,})$/u.exec(word);
  return m !== null && concepts?.isWord?.(m[2] ?? "") === true;
}

/**
 * A passage sentence that speaks to a model rather than about the world: an injected
 * instruction, which may be quoted by a model that obeys it but never supports anything.
 */
const ADDRESSES_A_MODEL = [
  /\b(ignore|disregard|forget|override)\b.{0,80}\b(instructions?|prompts?|rules|guidelines|directions)\b/i,
  /\b(new|updated|real|hidden) instructions?\b/i,
  /\bsystem (prompt|message)\b/i,
  /\byou are (now )?(an? )?(ai|assistant|language model|chatbot|llm)\b/i,
  /\b(as an? )(ai|language model|assistant)\b/i,
  new RegExp(`\\b${NOT_IN_PASSAGES}\\b`),
];

/** Whether a passage sentence is an instruction to a model (see `ADDRESSES_A_MODEL`). */
export function addressesModel(sentence: string): boolean {
  return ADDRESSES_A_MODEL.some((re) => re.test(sentence));
}

/** Folds quotes and case and collapses white space, for verbatim comparison. */
function flat(text: string): string {
  return foldText(text).replace(/\s+/g, " ").trim();
}

/** A passage as the model saw it: its text and the title of its article (named beside it in the prompt). */
export interface PassageToVerify {
  readonly text: string;
  readonly title?: string;
}

/**
 * Prepares a passage: its statements' stems, numbers, concepts, capitalised words and negation.
 * The title counts as part of it: "It is not clear whether he will meet Xi" in an article
 * titled "Blinken's visit to China" supports "Blinken" for "he".
 */
export function preparePassage(passage: PassageToVerify, concepts: ConceptSource | null): PreparedPassage {
  const { text } = passage;
  const statements = [
    ...(passage.title ? [passage.title] : []),
    ...splitSentences(text)
      .map((s) => text.slice(s.start, s.end))
      .filter((s) => !addressesModel(s)),
  ].join(" ");
  const ws = words(statements);
  const weights = new Map<string, number>();
  const add = (id: string, w: number) => {
    if (w > (weights.get(id) ?? 0)) weights.set(id, w);
  };
  if (concepts) {
    for (const w of ws) if (!STOP_WORDS.has(w)) for (const c of concepts.concepts(w)) add(c.id, c.weight);
    if (concepts.phraseConcepts)
      for (let i = 0; i + 1 < ws.length; i++)
        for (const c of concepts.phraseConcepts(ws[i] ?? "", ws[i + 1] ?? "")) add(c.id, c.weight);
  }
  const names = [...statements.matchAll(/\b\p{Lu}[\p{L}\p{N}]*/gu)].map((m) => foldText(m[0]));
  return {
    folded: flat(statements),
    // Joined word pairs too: a model writes "breakthrough" where the article has "break through".
    stems: new Set([...ws.map(stem), ...ws.slice(1).map((w, i) => stem(`${ws[i]}${w}`))]),
    numbers: numbersOf(statements),
    concepts: weights,
    names: [...new Set(names)],
    words: ws,
    negated: NEGATION.test(statements) || ws.some((w) => negatesByPrefix(w, concepts)),
  };
}

/** Prepares the passages a model was given (numbered from 1 in this order); a string is a passage's text. */
export function verificationContext(
  passages: readonly (PassageToVerify | string)[],
  concepts: ConceptSource | null,
): VerificationContext {
  return {
    passages: passages.map((p) => preparePassage(typeof p === "string" ? { text: p } : p, concepts)),
    concepts,
  };
}

/** Checks one sentence of a model's reply, markers and all, against the passages it cites. */
export function verifySentence(sentence: string, context: VerificationContext): Verdict {
  const { text, cites } = readMarkers(sentence);
  const reject = (reason: RejectionReason, detail: readonly string[] = []): Rejected => ({
    ok: false,
    reason,
    text,
    cites,
    detail,
  });
  if (sentence.includes(NOT_IN_PASSAGES)) return reject("not-in-passages");
  if (cites.length === 0) return reject("no-citation");
  const invalid = cites.filter((n) => n < 1 || n > context.passages.length);
  if (invalid.length > 0) return reject("bad-citation", invalid.map(String));
  const cited = cites.map((n) => context.passages[n - 1]).filter((p): p is PreparedPassage => p !== undefined);

  const misquoted = quotesOf(text).filter((q) => !quotedIn(q, cited));
  if (misquoted.length > 0) return reject("misquote", misquoted);

  const support = supportOf(text, cited, context.concepts);
  if (support.names.length > 0) return reject("name", support.names);
  if (support.numbers.length > 0) return reject("number", support.numbers);
  if (support.counted === 0 || support.unmatched.length > Math.floor(support.counted * MAX_UNMATCHED_SHARE))
    return reject("unsupported", support.unmatched);
  if (support.negated && !cited.some((p) => p.negated)) return reject("negation");
  return { ok: true, text, cites };
}

/** Text a sentence puts in double quotation marks (straight or curly). */
export function quotesOf(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/[“"]([^“”"]+)[”"]/g)) {
    const q = (m[1] ?? "").trim();
    if (q.length > 0) out.push(q);
  }
  return out;
}

/**
 * Whether a quotation occurs verbatim in one of the passages, on word boundaries, ignoring
 * punctuation at its ends (a comma the quote took in) and reading "…" as a gap.
 */
function quotedIn(quote: string, passages: readonly PreparedPassage[]): boolean {
  const pieces = flat(quote)
    .split(/\s*(?:…|\.\.\.)\s*/)
    .map((p) => p.replace(/^[\s.,;:!?'"-]+|[\s.,;:!?'"-]+$/g, ""))
    .filter((p) => p.length > 0);
  if (pieces.length === 0) return true;
  return passages.some((p) => pieces.every((piece) => containsOnBoundaries(p.folded, piece)));
}

function containsOnBoundaries(haystack: string, needle: string): boolean {
  for (let i = haystack.indexOf(needle); i !== -1; i = haystack.indexOf(needle, i + 1)) {
    const before = haystack[i - 1] ?? " ";
    const after = haystack[i + needle.length] ?? " ";
    if (!/[\p{L}\p{N}]/u.test(before) && !/[\p{L}\p{N}]/u.test(after)) return true;
  }
  return false;
}

interface Support {
  /** Content words checked. */
  readonly counted: number;
  readonly unmatched: readonly string[];
  readonly names: readonly string[];
  readonly numbers: readonly string[];
  readonly negated: boolean;
}

/** Which of a sentence's names, numbers and other content words the cited passages lack. */
function supportOf(text: string, cited: readonly PreparedPassage[], concepts: ConceptSource | null): Support {
  let counted = 0;
  const unmatched: string[] = [];
  const names: string[] = [];
  const numbers: string[] = [];
  let negated = false;
  // Numbers first, in figures or words, each as one mention: "ten thousand" is 10000.
  for (const mention of numberMentions(text)) {
    counted++;
    if (!numberSupported(mention, cited)) numbers.push(mention.written);
  }
  const tokens = [...text.matchAll(/[\p{L}\p{N}]+(?:[.,'’-][\p{L}\p{N}]+)*/gu)];
  tokens.forEach((match, i) => {
    const token = match[0];
    // "2023-24", "5th", "1990s": their figures were checked with the numbers.
    if (/^\d/.test(token)) return;
    // "didn't" is "not": words() reads it as "didnt", which no passage would match.
    if (/n['’]t$/i.test(token)) {
      negated = true;
      return;
    }
    // A name is written capitalised inside the sentence; opening it, a word the lexicon calls a
    // name or does not know ("Blinken").
    const capitalised = /^\p{Lu}/u.test(token);
    const parts = words(token.replace(/[.,](?=\p{L})/gu, " "));
    // A hyphenated compound is one word: words() gives its parts, then the parts joined
    // ("often-cited" → often, cited, oftencited). Matched whole, its parts need nothing more.
    const joined = token.includes("-") && parts.length > 1 ? parts.pop() : undefined;
    const wholeMatched = joined !== undefined && cited.some((p) => literal(joined, p));
    for (const w of parts) {
      // Negation is checked on its own below, whichever negative word either side uses.
      if (NEGATIONS.has(w)) negated = true;
      if (NEGATIONS.has(w) || STOP_WORDS.has(w) || FUNCTION_WORDS.has(w) || isNumberWord(w)) continue;
      if (LIGHT_WORDS.has(stem(w))) continue;
      counted++;
      if (wholeMatched) continue;
      const isName = capitalised && (i > 0 || concepts?.isName?.(w) === true || concepts?.isWord?.(w) === false);
      if (isName) {
        if (!cited.some((p) => literal(w, p) || sameEntity(w, p, concepts))) names.push(token);
      } else if (!cited.some((p) => literal(w, p) || synonym(w, p, concepts))) unmatched.push(w);
    }
  });
  return { counted, unmatched, names, numbers, negated };
}

/**
 * Whether a cited passage says a number: as one value ("10,000" for "ten thousand"), figure by
 * figure, or — for "one" — as "a", "an" or "single" before the thing counted ("a single gram"
 * for "one gram", "a third" for "one-third").
 */
function numberSupported(
  mention: ReturnType<typeof numberMentions>[number],
  cited: readonly PreparedPassage[],
): boolean {
  if (cited.some((p) => p.numbers.has(mention.value))) return true;
  if (mention.parts.length > 1 && mention.parts.every((n) => cited.some((p) => p.numbers.has(n)))) return true;
  const { next } = mention;
  if (mention.value !== "1" || next === null) return false;
  const counted = stem(next);
  return cited.some((p) =>
    p.words.some((w, k) => k > 0 && stem(w) === counted && INDEFINITE.has(p.words[k - 1] ?? "")),
  );
}
const INDEFINITE: ReadonlySet<string> = new Set(["a", "an", "single"]);

/**
 * The word itself is in the passage: the same stem, or one stem of four letters or more
 * beginning the other ("negotiat" and "negotiator"). Not anywhere inside it: "ward" is no
 * part of "forward".
 */
function literal(word: string, passage: PreparedPassage): boolean {
  const s = stem(word);
  if (passage.stems.has(s)) return true;
  if (s.length < 4) return false;
  for (const other of passage.stems) {
    const [short, long] = other.length < s.length ? [other, s] : [s, other];
    if (short.length >= 4 && long.startsWith(short)) return true;
  }
  return false;
}

/**
 * The word's own senses (not its hypernyms) meet a passage word's sense or a broader word of it,
 * or its derivations meet a passage word's own sense ("employees" for "employs"); or it is "un-" and what follows, and the passage negates ("unclear" for "not clear").
 */
function synonym(word: string, passage: PreparedPassage, concepts: ConceptSource | null): boolean {
  if (word.startsWith("un") && word.length > 5 && passage.negated && literal(word.slice(2), passage)) return true;
  if (!concepts) return false;
  for (const c of concepts.concepts(word)) {
    if (c.weight < RELATED_SENSE_WEIGHT) break;
    // A sense meets a passage word's sense or a broader word; a derivation, only a sense.
    const met = passage.concepts.get(c.id) ?? 0;
    if (met >= (c.weight >= OWN_SENSE_WEIGHT ? PASSAGE_CONCEPT_WEIGHT : OWN_SENSE_WEIGHT)) return true;
  }
  return false;
}

/**
 * A name the passage writes as another that stands for the same place or people: the lexicon
 * says so, or the name's own sense is what a passage word pertains to or is part of
 * ("China" for "Chinese", "China" for "Beijing").
 */
function sameEntity(word: string, passage: PreparedPassage, concepts: ConceptSource | null): boolean {
  if (!concepts) return false;
  for (const c of concepts.concepts(word)) {
    if (c.weight < OWN_SENSE_WEIGHT) break;
    if ((passage.concepts.get(c.id) ?? 0) >= RELATED_NAME_WEIGHT) return true;
  }
  // As a place: "Beijing" is not met by the "China" it is part of (that would add what the passage does not say).
  const same = concepts.sameEntity;
  if (!same) return false;
  return passage.names.some((n) => same.call(concepts, word, n, true));
}
