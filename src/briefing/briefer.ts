import type { ConceptSource } from "../embed/concept-source.js";
import type { PassageEmbedder } from "../embed/embedder.js";
import type { PassageIndex } from "../index/passage-index.js";
import type { AnalyzedQuestion, QuestionTerm } from "../retrieval/question.js";
import type { Retriever } from "../retrieval/retriever.js";
import { allowedEdits, editDistance } from "../retrieval/spelling.js";
import type { TermMatcher } from "../retrieval/term-match.js";
import { stems } from "../text/analyze.js";
import type { Briefing } from "./briefing.js";
import {
  type BriefingCandidate,
  type BriefingOptions,
  composeBriefing,
  DEFAULT_BRIEFING_OPTIONS,
} from "./compose-briefing.js";
import { isLightNoun, type TopicHead, topicHead } from "./topic-head.js";
import type { TopicHeadTerms } from "./topic-match.js";
import { briefingUnits } from "./units.js";

/** Fewest and most points a briefing may be asked for. */
export const BRIEFING_POINTS = { min: 3, max: 10, default: 6 } as const;

// Words that frame a request for a briefing rather than name its subject: "the fentanyl angle",
// "an overview of Taiwan", "what does the corpus say about chips".
const BRIEFING_FRAMING_WORDS = new Set(
  "angle angles aspect aspects overview summary summarise summarize brief briefing briefings topic topics subject subjects theme themes key point points corpus articles news latest update updates regarding concerning coverage perspective perspectives".split(
    " ",
  ),
);

/** The topic's terms without the words that only frame the request. */
export function topicTerms(question: AnalyzedQuestion): AnalyzedQuestion {
  return { ...question, terms: question.terms.filter((t) => !BRIEFING_FRAMING_WORDS.has(t.word)) };
}

/**
 * Makes briefings from one opened index. The index's units, their dense vectors and matchable
 * texts are computed once, on the first briefing; a topic then costs one retrieval.
 */
export class Briefer {
  private candidates: Promise<BriefingCandidate[]> | null = null;

  constructor(
    readonly index: PassageIndex,
    private readonly embedder: PassageEmbedder,
    private readonly retriever: Retriever,
    private readonly matcher: TermMatcher,
    private readonly conceptSource: ConceptSource | null,
    private readonly options: BriefingOptions = DEFAULT_BRIEFING_OPTIONS,
  ) {}

  /**
   * A briefing on `topic` (null: the whole corpus) with up to `points` points. A topic with no
   * content words gives a briefing that is not covered and has no points.
   */
  async brief(topic: string | null, points: number = BRIEFING_POINTS.default): Promise<Briefing> {
    const candidates = await this.prepare();
    const m = this.index.manifest;
    let analysed = null;
    if (topic !== null) {
      const retrieval = await this.retriever.retrieve(topic, this.index.passages.length);
      const terms = topicTerms(retrieval.question);
      const head = headTerms(await topicHead(topic), terms);
      // Beside a head, a light noun only says what kind of subject it is ("the Taiwan issue"):
      // matching it would bring in passages on other issues, and missing it would leave
      // "the fentanyl crisis" uncovered by an article on fentanyl that never says "crisis".
      const question = head ? { ...terms, terms: terms.terms.filter((t) => !isLightNoun(t.word)) } : terms;
      analysed = {
        text: topic,
        question,
        scores: new Map(retrieval.passages.map((r) => [r.position, r.score])),
        ranked: retrieval.passages.map((r) => r.position),
        head,
      };
    }
    return composeBriefing(
      {
        topic: analysed,
        candidates,
        stats: this.index.lexical,
        matcher: this.matcher,
        corpus: { checksum: m.corpusChecksum, builtAt: m.builtAt, articles: m.articleCount, passages: m.passageCount },
        points,
        method: `extractive briefing · ${m.embedder.id}`,
        isNoun: (word) => isNoun(word, this.conceptSource),
      },
      this.options,
    );
  }

  private prepare(): Promise<BriefingCandidate[]> {
    // A failed preparation is not cached: the next briefing tries again.
    this.candidates ??= this.computeCandidates().catch((error: unknown) => {
      this.candidates = null;
      throw error;
    });
    return this.candidates;
  }

  private async computeCandidates(): Promise<BriefingCandidate[]> {
    const units = briefingUnits(this.index.passages);
    const vectors = await this.embedder.embedDocuments(units.map((u) => u.text));
    const titles = new Map<string, Set<string>>();
    const vocabulary = [...this.index.lexical.vocabulary()];
    return units.map((unit, i) => {
      const title = unit.passage.metadata.title;
      let titleStems = titles.get(title);
      if (!titleStems) {
        titleStems = withSpellings(stems(title), vocabulary);
        titles.set(title, titleStems);
      }
      return { unit, prepared: this.matcher.prepare(unit.text), vector: vectors[i] ?? [], titleStems };
    });
  }
}

/**
 * The topic's head as terms of the analysed topic, or null when the head is not one of them (a
 * word too common to look for) or a narrowing name is not.
 */
export function headTerms(head: TopicHead | null, question: AnalyzedQuestion): TopicHeadTerms | null {
  if (!head) return null;
  const term = (word: string): QuestionTerm | undefined => {
    // "US" is also the pronoun "us", a stop word: written as a name it means the country.
    const stem = /^U\.?S\.?$/.test(word) ? "us" : stems(word)[0];
    return question.terms.find((t) => t.stem === stem);
  };
  const headTerm = term(head.head);
  const names = head.names.map(term);
  if (!headTerm || names.some((n) => n === undefined)) return null;
  return { head: headTerm, names: names.filter((n) => n !== undefined) };
}

/**
 * The stems and the corpus's misspellings of them ("blinkin" for "blinken"), so a title word
 * misspelt in the text is still known as the title's.
 */
function withSpellings(words: readonly string[], vocabulary: readonly string[]): Set<string> {
  const out = new Set(words);
  for (const w of words) {
    const max = allowedEdits(w.length);
    if (max > 0) for (const v of vocabulary) if (editDistance(w, v, max) <= max) out.add(v);
  }
  return out;
}

/**
 * Whether a word is mainly a noun: its strongest WordNet sense is a noun synset (ids are
 * "<pos>:<offset>"), or WordNet does not know it (names and specialist terms mostly).
 */
export function isNoun(word: string, source: ConceptSource | null): boolean {
  const concepts = source?.concepts(word) ?? [];
  if (concepts.length === 0) return true;
  const top = concepts[0]?.weight ?? 0;
  return concepts.some((c) => c.weight >= top && c.id.startsWith("n:"));
}
