import type { AnalyzedQuestion } from "../retrieval/question.js";
import type { RetrievedPassage } from "../retrieval/retriever.js";
import type { TermMatcher } from "../retrieval/term-match.js";
import {
  ABSTENTION_MODEL,
  type AbstentionModel,
  answerProbability,
  type Evidence,
  type Refusal,
  unknownShare,
} from "./abstention.js";
import type { Answer } from "./answer.js";
import { citeSentences, toCitation } from "./citations.js";
import { lacksFocus, missingShare } from "./grounding.js";
import { type ScoredSentence, type SentenceBefore, type SentenceScoring, scoreSentences } from "./sentence-scoring.js";

/** How sentences are scored, chosen and judged to support an answer. */
export interface ExtractiveOptions extends SentenceScoring {
  /** Retrieved passages whose sentences are considered. */
  readonly passages: number;
  /** Most sentences in an answer. */
  readonly maxSentences: number;
  /** A further sentence joins the answer when its score is at least this share of the best. */
  readonly followRatio: number;
  /** Least support (question coverage by a sentence and its passage) for a further sentence to join. */
  readonly minSupport: number;
  /** Decides, from the best sentence's evidence, whether to answer at all. */
  readonly abstention: AbstentionModel;
  /** Closest passages shown with an abstention. */
  readonly abstainPassages: number;
  /** A sentence no rule refuses stands in for a refused best one when it scores at least this share of it. */
  readonly fallbackRatio: number;
  /**
   * A sentence that lacks the question's focus and at least this weighted share of its names,
   * things, actions and figures is about something else ("What is the population of Taiwan?"
   * against a sentence about Taiwan). Calibrated on the development sets (npm run eval):
   * 0.6 / 0.7 / 0.8 gave false abstentions 0.114 / 0.097 / 0.070 on the seed article's and
   * 0.067 / 0.050 / 0.033 on the encyclopedic one, abstention 0.712 / 0.654 / 0.625 and
   * 0.450 / 0.433 / 0.433. Between 0.6 and 0.8 lie as many answerable questions as not; 0.7
   * keeps false abstentions under 10 % on both and still refuses "How much does Blinken earn?".
   */
  readonly offFocusShare: number;
}

/** Calibrated on the development question set (test/fixtures/dev-questions.json). */
export const DEFAULT_EXTRACTIVE_OPTIONS = {
  passages: 5,
  maxSentences: 3,
  followRatio: 0.85,
  minSupport: 0.3,
  abstention: ABSTENTION_MODEL,
  typeMismatchPenalty: 0.6,
  typeBonus: 0.1,
  focusPenalty: 0.5,
  namePenalty: 0.5,
  abstainPassages: 3,
  fallbackRatio: 0.5,
  offFocusShare: 0.7,
} as const satisfies Required<ExtractiveOptions>;

/** What an answer needs besides the question and its passages: the corpus size and how it was made. */
export interface AnswerContext {
  /** Articles in the corpus: an abstention says "the article" for one, "the articles" for more. */
  readonly articleCount: number;
  /** How the answer was made, for footers and logs. */
  readonly method: string;
  /** Looks up the sentence before a passage's first ("That includes…" leans on it); none when absent. */
  readonly sentenceBefore?: SentenceBefore;
}

/**
 * Composes an answer from the corpus's own sentences: scores every sentence of the top passages
 * by how much of the question it (and its passage) covers and how highly its passage ranked,
 * quotes the best one to three, each followed by its citation marker, and numbers the cited
 * passages in order of first use. Abstains — and shows the closest passages — when a rule
 * refuses the best sentence (it names what the corpus never mentions, is off the question's
 * focus, lacks a name, a figure or the kind of value asked for, or contradicts the question:
 * see grounding.ts) or the calibrated model finds it unsupported.
 */
export function composeExtractiveAnswer(
  question: AnalyzedQuestion,
  retrieved: readonly RetrievedPassage[],
  matcher: TermMatcher,
  context: AnswerContext,
  options: ExtractiveOptions = DEFAULT_EXTRACTIVE_OPTIONS,
): Answer {
  const top = retrieved.slice(0, options.passages);
  const scored = scoreSentences(question, top, matcher, options, context.sentenceBefore);
  // When the best sentence lacks what is asked (no figure for "how many", a name the question
  // names), the best one that has it, unless it scores far below. When the best sentence contradicts the question (another
  // year, the opposite, another rank), the question is a near miss of what the corpus says: no
  // stand-in.
  const first = scored[0];
  const firstRefusal = first ? refusalOf(question, first, options) : null;
  const acceptable =
    firstRefusal === "type" || firstRefusal === "off-focus" || firstRefusal === "name"
      ? scored.find((s) => refusalOf(question, s, options) === null)
      : undefined;
  const best = acceptable && first && acceptable.score >= options.fallbackRatio * first.score ? acceptable : first;
  if (!best) return abstain(question, top, context, options, undefined);
  const evidence = evidenceOf(question, best, options);
  // A sentence that lacks what the question asks for, or contradicts it, never answers it, whatever the model says.
  if (
    evidence.refusal !== null ||
    question.terms.length === 0 ||
    answerProbability(evidence, options.abstention) < options.abstention.threshold
  ) {
    return abstain(question, top, context, options, evidence);
  }
  const { sentences, citations } = citeSentences(chooseSentences(question, best, scored.slice(1), options));
  return {
    question: question.text,
    kind: "answer",
    abstained: false,
    answer: sentences.map((s) => `${s.text} [${s.n}]`).join(" "),
    sentences,
    citations,
    method: context.method,
    evidence,
  };
}

/** The evidence the decision to answer rests on: the best sentence's support, and the question's. */
function evidenceOf(question: AnalyzedQuestion, best: ScoredSentence, options: ExtractiveOptions): Evidence {
  return {
    support: best.support,
    literalSupport: best.literalSupport,
    denseSimilarity: best.retrieved.denseSimilarity ?? 0,
    unknownShare: unknownShare(question),
    typed: question.slot.type !== "other",
    focusMissing: missingShare(question, best.grounding),
    focusLacking: lacksFocus(question, best.grounding),
    refusal: question.terms.some((t) => t.role === "name" && t.absent)
      ? "unknown-name"
      : refusalOf(question, best, options),
  };
}

/** Why this sentence cannot answer the question whatever the model says, or null. */
function refusalOf(question: AnalyzedQuestion, s: ScoredSentence, options: ExtractiveOptions): Refusal | null {
  // Off focus: the sentence lacks what the question is most about and most of the rest.
  const missing = missingShare(question, s.grounding);
  // …or when nothing the question says is in the corpus at all (another language, gibberish).
  const nothingKnown = question.terms.every((t) => t.absent);
  if (missing === 1 || nothingKnown || (missing >= options.offFocusShare && lacksFocus(question, s.grounding)))
    return "off-focus";
  if (s.grounding.missing.some((t) => t.role === "name")) return "name";
  if (!s.typeOk) return "type";
  if (s.grounding.contradiction !== null) return s.grounding.contradiction;
  if (s.grounding.missing.some((t) => t.role === "number")) return "figure";
  return null;
}

/**
 * The best sentence and, up to `maxSentences` in all, the next best that score nearly as well,
 * hold what the question asks for, cover enough of it on their own and contradict nothing. A
 * sentence that leans on the one before it ("He said…", "That includes…") brings that one along.
 */
function chooseSentences(
  question: AnalyzedQuestion,
  best: ScoredSentence,
  rest: readonly ScoredSentence[],
  options: ExtractiveOptions,
): { text: string; retrieved: RetrievedPassage }[] {
  const chosen = [best];
  for (const c of rest) {
    if (chosen.length >= options.maxSentences) break;
    if (
      c.score >= options.followRatio * best.score &&
      !FOLLOWER_REFUSALS.has(refusalOf(question, c, options) ?? "") &&
      c.support >= options.minSupport
    )
      chosen.push(c);
  }
  // Every quoted sentence counts towards the limit, the one a sentence leans on too.
  const quoted: { text: string; retrieved: RetrievedPassage }[] = [];
  const has = (text: string, retrieved: RetrievedPassage) =>
    quoted.some((q) => q.text === text && q.retrieved === retrieved);
  for (const c of chosen) {
    const room = options.maxSentences - quoted.length;
    if (has(c.text, c.retrieved) || room < 1) continue;
    const before = c.previous;
    const leanedOn =
      before !== null &&
      LEANS_ON_PREVIOUS.test(c.text) &&
      !STANDS_FOR_NOTHING.test(c.text) &&
      !has(before.text, before.retrieved);
    if (leanedOn && room >= 2 && before !== null) quoted.push(before);
    // A further sentence that needs the one before it and has no room for it is left out.
    else if (leanedOn && quoted.length > 0) continue;
    quoted.push({ text: c.text, retrieved: c.retrieved });
  }
  return quoted;
}

/**
 * What keeps a further sentence out of an answer: lacking what is asked for, or contradicting
 * the question. A further sentence may cover another part of the question ("…and the talks?"),
 * so it need not hold its focus or every name.
 */
const FOLLOWER_REFUSALS: ReadonlySet<string> = new Set<Refusal>(["type", "figure", "ordinal", "opposite", "negation"]);

/**
 * A sentence that opens with a pronoun or a pointing word stands for something said just before;
 * "It is not clear whether…" does not (an "it" that stands for nothing).
 */
const LEANS_ON_PREVIOUS = /^(he|she|it|they|this|that|these|those|such|his|her|its|their|there|both)\b/i;
const STANDS_FOR_NOTHING =
  /^it (is|was|seems|seemed|remains) (not |still )?(clear|unclear|likely|unlikely|possible|impossible|known|unknown|true|said|thought|believed|expected|hard|difficult|easy)\b/i;

/**
 * The abstention: "The articles don't say", with the closest passages cited. Exported so a
 * generated answer that verification empties abstains exactly as a quoted one does.
 */
export function abstain(
  question: AnalyzedQuestion,
  top: readonly RetrievedPassage[],
  context: AnswerContext,
  options: ExtractiveOptions,
  evidence: Evidence | undefined,
): Answer {
  const subject = context.articleCount === 1 ? "The article doesn't say" : "The articles don't say";
  const citations = top.slice(0, options.abstainPassages).map((r, i) => toCitation(r, i + 1));
  const closest =
    citations.length > 0 ? ` The closest passages are ${citations.map((c) => `[${c.n}]`).join(", ")}.` : "";
  return {
    question: question.text,
    kind: "abstained",
    abstained: true,
    answer: `${subject}.${closest}`,
    sentences: [],
    citations,
    method: context.method,
    ...(evidence ? { evidence } : {}),
  };
}
