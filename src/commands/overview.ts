import type { Answer, AnswerSentence, Citation } from "../answer/answer.js";
import type { Briefing } from "../briefing/briefing.js";
import { allowedEdits, editDistance } from "../retrieval/spelling.js";
import { brieferFor } from "./briefers.js";
import type { Services } from "./services.js";

/** Points in the overview `/ask` gives for "what is this article about?". */
export const OVERVIEW_POINTS = 3;

// Words that only frame a request ("can you give me…", "…of this article, please"): removed
// before deciding, so what is left is the request itself.
const FILLER = new Set(
  `this that these those the a an it its article articles story stories piece pieces text texts corpus document documents
doc docs post page report reports passage passages content whole entire all overall general please pls plz kindly can could
would will you u ya give me us i we want wanna need like to of for on in from just really real very so ok okay hey hi hello
thanks thank basically briefly quickly tell show provide let know but and um uh yo mainly mostly`.split(/\s+/),
);

// Spellings of the words an overview is asked with, by the form the patterns below use.
const CANONICAL: Readonly<Record<string, string>> = {
  summary: "summary",
  summaries: "summary",
  summarization: "summary",
  summarisation: "summary",
  summarize: "summarize",
  summarise: "summarize",
  overview: "overview",
  synopsis: "synopsis",
  nutshell: "nutshell",
  takeaway: "takeaway",
  takeaways: "takeaway",
  highlight: "highlight",
  highlights: "highlight",
  rundown: "rundown",
  recap: "recap",
  gist: "gist",
  tldr: "tldr",
  whats: "what is",
  wats: "what is",
  wat: "what",
  wht: "what",
  abt: "about",
};

// Words a person may misspell in an overview request ("sumarize", "overveiw"); shorter words
// and the rest of the question are never corrected.
const CORRECTABLE = "summary summarize summarise overview synopsis takeaway takeaways highlights".split(" ");

// The requests themselves, after framing words are removed and spellings made canonical. Each
// pattern is the whole of what is left, so "what is the main goal of the visit?" ("what is
// main goal visit") or "what was said about taiwan?" never match.
const NOUN = "(?:summary|overview|gist|tldr|recap|synopsis|rundown|nutshell|bottom line|takeaway|highlight)";
const POINT = "(?:points?|ideas?|takeaway|themes?|topics?|messages?|facts?|highlight|arguments?|findings?|things?)";
const OVERVIEW_REQUESTS: readonly RegExp[] = [
  // what is this article about · what's it all about
  /^what (?:is|are|was|were) about$/,
  // what does the article say · what do these articles cover
  /^what (?:does|do|did) (?:say|talk about|cover|discuss|describe)$/,
  // what is this piece saying
  /^what (?:is|are) (?:saying|talking about|covering|discussing|describing)$/,
  // summary · a quick overview · what's the gist · tl;dr · in a nutshell · key takeaways
  new RegExp(
    `^(?:what (?:is|are|was) )?(?:(?:quick|short|brief|little|rough|basic|high level) )?(?:key |main )?${NOUN}$`,
  ),
  // what are the main points · key ideas · the most important facts
  new RegExp(
    `^(?:what (?:is|are|were|was) )?(?:most )?(?:main|key|important|major|central|core|big|biggest) ${POINT}$`,
  ),
  // summarize · sum it up · recap · brief me
  /^(?:summarize|sum up|recap|brief|overview|tldr)$/,
];

/** The question's words, lower-cased, with "tl;dr" and "what's" spelt as the patterns expect. */
function requestWords(question: string): string[] {
  const text = question
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .replace(/\btl\s*[;:,.\-/ ]?\s*dr\b/g, " tldr ")
    .replace(/\b(what|that|it|here)'s\b/g, "$1 is")
    .replace(/'s\b/g, "");
  const words: string[] = [];
  for (const raw of text.split(/[^a-z]+/)) {
    if (raw === "") continue;
    const word = CANONICAL[raw] ?? CANONICAL[corrected(raw)] ?? raw;
    words.push(...word.split(" "));
  }
  return words;
}

/** The overview word `word` is a misspelling of (same first letter, few edits), or `word` itself. */
function corrected(word: string): string {
  if (word.length < 5) return word;
  for (const target of CORRECTABLE) {
    if (target[0] !== word[0]) continue;
    const max = allowedEdits(Math.min(word.length, target.length));
    if (editDistance(word, target, max) <= max) return target;
  }
  return word;
}

/**
 * Whether a question asks for an overview of the whole corpus ("what is this article about?",
 * "summarize", "tl;dr", "key takeaways"), and nothing more specific. Conservative: the question,
 * less words that only frame it (this, the, article, please, can you, give me…), must be an
 * overview request in full, so "what is the main goal of the visit?" is an ordinary question.
 */
export function isOverviewRequest(question: string): boolean {
  const rest = requestWords(question)
    .filter((w) => !FILLER.has(w))
    .join(" ");
  return rest !== "" && OVERVIEW_REQUESTS.some((re) => re.test(rest));
}

/**
 * An overview as an answer: the briefing's points quoted, each with its `[n]`, after a line
 * saying this is an overview. A briefing with no points gives an honest reply that there is
 * nothing to give an overview of (kind "abstained"), never an empty overview.
 */
export function overviewAnswer(question: string, briefing: Briefing): Answer {
  const articles = briefing.corpus.articles;
  const subject = articles === 1 ? "the article" : `the ${articles} articles`;
  if (briefing.points.length === 0) {
    return {
      question,
      kind: "abstained",
      abstained: true,
      answer:
        articles === 0
          ? "There is nothing to give an overview of: the corpus holds no articles."
          : `No point of ${subject} could be drawn out for an overview; ask about something in particular instead.`,
      sentences: [],
      citations: [],
      method: briefing.method,
    };
  }
  const citations: Citation[] = [];
  const sentences: AnswerSentence[] = [];
  for (const point of briefing.points) {
    const source = point.citations[0];
    if (!source) continue;
    let citation = citations.find((c) => c.id === source.id);
    if (!citation) {
      citation = { ...source, n: citations.length + 1 };
      citations.push(citation);
    }
    sentences.push({ text: point.text, n: citation.n });
  }
  const lines = sentences.map((s) => `• ${s.text} [${s.n}]`);
  return {
    question,
    kind: "overview",
    abstained: false,
    answer: [`An overview of ${subject}, in ${sentences.length} key points:`, ...lines].join("\n"),
    sentences,
    citations,
    method: briefing.method,
  };
}

/** The overview of the served corpus: its best {@link OVERVIEW_POINTS} briefing points, cited. */
export async function overview(services: Services, question: string): Promise<Answer> {
  const briefing = await brieferFor(services).brief(null, OVERVIEW_POINTS);
  services.logger.debug("ask.overview", { points: briefing.points.length });
  return overviewAnswer(question, briefing);
}
