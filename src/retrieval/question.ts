import type { ConceptSource } from "../embed/concept-source.js";
import type { LexicalIndex } from "../index/bm25/lexical-index.js";
import { type Term, terms } from "../text/analyze.js";
import { type TaggedToken, tag } from "../text/nlp.js";
import { foldText, words } from "../text/normalize.js";
import { LIGHT_VERBS, STOP_WORDS } from "../text/stopwords.js";
import { type AnswerSlot, answerSlot } from "./answer-type.js";
import { constraintsOf, type QuestionConstraints } from "./constraints.js";
import { editDistance, type SpellingIndex } from "./spelling.js";

/**
 * What a content word does in the question, from its part of speech: a name (a proper noun), a
 * thing (a common noun), an action (a verb that is not a light verb such as "do", "say" or
 * "have"), a superlative ("largest", "most prominent"), another modifier (an adjective or
 * adverb) or a number.
 */
export type TermRole = "name" | "thing" | "action" | "modifier" | "superlative" | "number" | "other";

/** A content word of the question, with what it may match in the corpus. */
export interface QuestionTerm {
  readonly word: string;
  readonly stem: string;
  readonly role: TermRole;
  /** Informativeness in this corpus (BM25 idf; a word the corpus lacks gets the highest). */
  readonly weight: number;
  /** Whether the stem itself occurs in the corpus. */
  readonly inCorpus: boolean;
  /**
   * Whether the corpus has nothing like it: not the stem, no misspelling's correction, no longer
   * word it begins ("america" is in "americans"). A name the corpus lacks this way is one the
   * articles never mention.
   */
  readonly absent: boolean;
  /** Corpus stems the word may be a misspelling of. */
  readonly corrections: readonly string[];
  /** Related-word concepts of the word (empty without a concept source). */
  readonly concepts: ReadonlyMap<string, number>;
  /**
   * For a word of a name of several words ("World Heritage Site"), the name's number in the
   * question, shared by its words; null otherwise. A sentence names it when it has most of them.
   */
  readonly nameGroup: number | null;
}

export interface AnalyzedQuestion {
  readonly text: string;
  readonly slot: AnswerSlot;
  readonly terms: readonly QuestionTerm[];
  readonly constraints: QuestionConstraints;
}

/** What question analysis may ask of the corpus besides its vocabulary. */
export interface QuestionContext {
  /** Whether a corpus stem is a name there (written capitalised): a name-like word is only corrected into one. */
  readonly isName?: (stem: string) => boolean;
}

// Words that frame a question about an article but are not what it is about.
const FRAMING_WORDS: ReadonlySet<string> = new Set(
  `article story piece text passage author writer analysis mention mentioned according describe described us me please
explain kind sort thing things happen happened happens anything something nothing everything anyone someone everyone
anybody somebody everybody much many whats wat wht ok okay hey hi bot
stuff lol btw pls plz thanks thx exactly anyway gonna wanna gotta wait um uh hmm tho`.split(/\s+/),
);

const SPEECH_VERBS: ReadonlySet<string> = new Set(["say", "tell"]);
// The forms of "say" and "tell" a question uses: what someone said, unless the article says it.
const SPEECH_WORDS: ReadonlySet<string> = new Set(["say", "says", "said", "tell", "tells", "told"]);
const ARTICLE_SPEAKS =
  /\b(article|story|piece|text|author|writer|analysis|passage|it|they)\s+(say|says|said|tell|tells|told)\b/i;
const TIME_UNITS = /^(seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|centuries)$/;

const ROLE_OF_POS: Readonly<Record<string, TermRole>> = {
  PROPN: "name",
  NOUN: "thing",
  VERB: "action",
  ADJ: "modifier",
  ADV: "modifier",
  NUM: "number",
};

// A month pins a date as a figure does: "in March" is not answered by "in February".
const MONTHS = /^(january|february|march|april|june|july|august|september|october|november|december)$/;
const SMALL_COUNT = /^([1-9]|1[0-2]|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)$/;

/** Reads the question's type and content terms against the corpus vocabulary. */
export function analyzeQuestion(
  question: string,
  lexical: LexicalIndex,
  spelling: SpellingIndex,
  conceptSource: ConceptSource | null,
  context: QuestionContext = {},
): AnalyzedQuestion {
  const tagged = tag(question);
  const tokenOf = new Map<string, TaggedToken>();
  // Runs of proper nouns: the words of one name.
  const groupOf = new Map<string, number>();
  tagged.forEach((t, i) => {
    if (t.pos !== "PROPN") return;
    const prev = tagged[i - 1];
    const next = tagged[i + 1];
    if (prev?.pos !== "PROPN" && next?.pos !== "PROPN") return;
    if (!groupOf.has(t.normal)) groupOf.set(t.normal, prev?.pos === "PROPN" ? (groupOf.get(prev.normal) ?? i) : i);
  });
  const superlatives = new Set<string>();
  // "What year…", "which direction…", "over what period…": the noun after the question word
  // names the kind of answer, which the answer need not repeat.
  const answerNouns = new Set<string>();
  tagged.forEach((t, i) => {
    const before = tagged[i - 1]?.normal;
    if (t.pos === "NOUN" && (before === "what" || before === "which")) answerNouns.add(t.normal);
    if (!tokenOf.has(t.normal)) tokenOf.set(t.normal, t);
    const after = tagged[i - 1]?.normal;
    if (
      t.pos === "ADJ" &&
      ((t.normal.endsWith("est") && t.lemma !== t.normal) || after === "most" || after === "least")
    )
      superlatives.add(t.normal);
  });
  const seen = new Set<string>();
  const out: QuestionTerm[] = [];
  const compoundParts = new Set(
    [...foldText(question).matchAll(/[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)+/gu)].flatMap((m) => [
      ...m[0].split("-"),
      m[0].replace(/-/g, ""),
    ]),
  );
  const all = words(question);
  const followerOf = new Map<string, string>();
  all.forEach((w, i) => {
    const next = all[i + 1];
    if (next !== undefined && !followerOf.has(w)) followerOf.set(w, next);
  });
  for (const t of terms(question)) {
    // "tell me about…" frames a question; "What did Xi tell Blinken?" asks what was said.
    const framing = SPEECH_WORDS.has(t.word)
      ? /\btell (me|us)\b/i.test(question) || ARTICLE_SPEAKS.test(question)
      : FRAMING_WORDS.has(t.word);
    if (framing || seen.has(t.stem)) continue;
    seen.add(t.stem);
    const token = tokenOf.get(t.word);
    const inCorpus = lexical.has(t.stem);
    // "wher", "befor": a misspelt function word is no content word.
    if (!inCorpus && isMisspeltFunctionWord(t.word, conceptSource)) continue;
    let role = superlatives.has(t.word)
      ? "superlative"
      : answerNouns.has(t.word)
        ? "other"
        : roleOf(token, t, followerOf.get(t.word), inCorpus, conceptSource, context);
    // The parts of a compound common word ("mother-in-law", "open-pit") are not asked one by one:
    // "her mother" answers "Vermeer's mother-in-law" without saying "law".
    if (compoundParts.has(t.word) && role !== "name" && role !== "superlative") role = "modifier";
    // "say" and "tell" ask what someone said ("What did Xi tell Blinken?"), unless the article says it.
    if (role === "other" && token?.pos === "VERB" && SPEECH_VERBS.has(token.lemma) && !ARTICLE_SPEAKS.test(question))
      role = "action";
    // A name the corpus has only once may be its misspelling of a name it has more often ("Blinkin").
    const rareName = role === "name" && lexical.documentFrequency(t.stem) <= 1;
    const corrections =
      inCorpus && !rareName ? [] : correctionsOf(t.word, t.stem, role, token, spelling, conceptSource, context);
    const weightStem = inCorpus ? t.stem : (corrections[0] ?? t.stem);
    const concepts = new Map<string, number>();
    for (const c of conceptSource?.concepts(t.word) ?? []) concepts.set(c.id, c.weight);
    // "kick off" means start: the word and the one after it may make one expression.
    const after = followerOf.get(t.word);
    for (const c of after === undefined ? [] : (conceptSource?.phraseConcepts?.(t.word, after) ?? []))
      concepts.set(c.id, Math.max(concepts.get(c.id) ?? 0, c.weight));
    // Absent only when nothing in the corpus is even two edits away from a long word: "Jinpng"
    // is too far from the stem "jinp" of "Jinping" to correct, but not far enough to be absent.
    // An acronym ("UN") may be spelt out in the corpus ("the United Nations"): never "absent".
    const absent =
      !inCorpus &&
      !isAcronym(t.word, question) &&
      corrections.length === 0 &&
      !spelling.hasWordStartingWith(t.stem) &&
      (t.stem.length < 6 || spelling.corrections(t.stem, 1, 2).length === 0);
    out.push({
      word: t.word,
      stem: t.stem,
      role,
      weight: lexical.idf(weightStem),
      inCorpus,
      absent,
      corrections,
      concepts,
      nameGroup: role === "name" ? (groupOf.get(t.word) ?? null) : null,
    });
  }
  // "US" is also the pronoun "us": a question that says "U.S." or "US" in capitals means the country.
  if (/\bU\.?S\.?\b/.test(question) && !seen.has("us") && lexical.has("us")) {
    out.push({
      word: "us",
      stem: "us",
      role: "name",
      weight: lexical.idf("us"),
      inCorpus: true,
      absent: false,
      corrections: [],
      concepts: new Map(),
      nameGroup: null,
    });
  }
  return {
    text: question,
    slot: answerSlot(question),
    terms: out,
    constraints: constraintsOf(tagged, conceptSource),
  };
}

/** Whether the question writes a short word in capitals, as an acronym ("UN", "NASA"). */
export function isAcronym(word: string, question: string): boolean {
  return word.length >= 2 && word.length <= 6 && new RegExp(`\\b${word.toUpperCase()}\\b`).test(question);
}

/** A word one edit from a function word ("wher", "befor") that is no word of its own. */
function isMisspeltFunctionWord(word: string, conceptSource: ConceptSource | null): boolean {
  if (word.length < 4 || conceptSource?.isWord?.(word)) return false;
  for (const f of STOP_WORDS) if (f.length >= 4 && editDistance(word, f, 1) <= 1) return true;
  return false;
}

function roleOf(
  token: TaggedToken | undefined,
  term: Term,
  next: string | undefined,
  inCorpus: boolean,
  conceptSource: ConceptSource | null,
  context: QuestionContext,
): TermRole {
  const { word } = term;
  // A small count ("the four most important cities", "which two continents") often counts the
  // answer itself rather than pinning it; "in the last three years" pins a span of time.
  if (SMALL_COUNT.test(word)) return next !== undefined && TIME_UNITS.test(next) ? "number" : "modifier";
  if (/^\d/.test(word) || MONTHS.test(word)) return "number";
  if (token === undefined) return "other";
  // Typed in lowercase, "donald trump", "russian" or "japan" is still a name: the corpus or
  // WordNet writes it capitalised (tagged as a verb only when uninflected: "beijing", not "marched").
  const content =
    ["NOUN", "ADJ", "PROPN"].includes(token.pos) || (token.pos === "VERB" && token.lemma === token.normal);
  // The corpus's capitals count only for words that are not common English ("President Biden").
  const corpusName = inCorpus && context.isName?.(term.stem) && !conceptSource?.isWord?.(word);
  if (content && (corpusName || conceptSource?.isName?.(word))) return "name";
  if (token.pos === "VERB" && LIGHT_VERBS.has(token.lemma)) return "other";
  return ROLE_OF_POS[token.pos] ?? "other";
}

/**
 * Corpus stems a word of the question not in the corpus may be a misspelling of. A word of the
 * English lexicon is not a misspelling ("grade" is not "trade"; a name in WordNet, such as "Chian",
 * may still be one), and a name the corpus lacks is
 * only corrected into a name the corpus has ("Blinkin" → Blinken, never "Kerry" → "very").
 */
function correctionsOf(
  word: string,
  stem: string,
  role: TermRole,
  token: TaggedToken | undefined,
  spelling: SpellingIndex,
  conceptSource: ConceptSource | null,
  context: QuestionContext,
): string[] {
  // A word of the lexicon is no misspelling, unless it is only a rare name there ("Chian", of Chios, for "china").
  if (conceptSource?.isWord?.(word) && !conceptSource.isName?.(word)) return [];
  const corrections = spelling.corrections(stem).filter((c) => c !== stem);
  const nameLike = role === "name" || (token !== undefined && /^\p{Lu}/u.test(token.text));
  if (!nameLike || context.isName === undefined) return corrections;
  return corrections.filter((c) => context.isName?.(c));
}

/**
 * The question as a weighted BM25 query: each stem as written at weight 1, and each correction
 * of a misspelt word at `correctionWeight`, never lowering a stem the question itself uses.
 */
export function lexicalQuery(question: AnalyzedQuestion, correctionWeight: number): Map<string, number> {
  const weights = new Map<string, number>();
  for (const t of question.terms) {
    weights.set(t.stem, 1);
    for (const c of t.corrections) if (!weights.has(c)) weights.set(c, correctionWeight);
  }
  return weights;
}
