import type { Evidence } from "./abstention.js";

/** A passage an answer draws on (or, when it abstains, one of the closest passages). */
export interface Citation {
  /** The marker number used in the answer text: `[n]`. */
  readonly n: number;
  /** The passage's stable id. */
  readonly id: string;
  /** The article file, relative to the corpus folder. */
  readonly source: string;
  readonly title: string;
  readonly url: string | null;
  /** Human location inside the article, e.g. "¶ 7". */
  readonly location: string;
  /** The whole cited passage, verbatim. */
  readonly text: string;
}

/** A citation in the JSON the tools print: the fields programs rely on, in a fixed order. */
export interface CitationJson {
  readonly n: number;
  readonly id: string;
  readonly source: string;
  readonly title: string;
  readonly location: string;
  /** The whole passage, verbatim. */
  readonly text: string;
}

/** A citation as {@link CitationJson}: answers and briefings print their sources alike. */
export function citationJson(c: Citation): CitationJson {
  return { n: c.n, id: c.id, source: c.source, title: c.title, location: c.location, text: c.text };
}

/** One sentence of an answer, quoted verbatim from a passage, with its citation number. */
export interface AnswerSentence {
  readonly text: string;
  readonly n: number;
}

/**
 * What a reply is: an answer quoted from the corpus, an overview of the whole corpus (for "what
 * is this article about?"), or an abstention that shows the closest passages.
 */
export type AnswerKind = "answer" | "overview" | "abstained";

/** A grounded answer: every sentence is the corpus's own words, each cited. */
export interface Answer {
  readonly question: string;
  readonly kind: AnswerKind;
  /** True when retrieval did not support an answer; `citations` then lists the closest passages. */
  readonly abstained: boolean;
  /** The reply text: quoted sentences each followed by `[n]`, or the abstention. */
  readonly answer: string;
  readonly sentences: readonly AnswerSentence[];
  readonly citations: readonly Citation[];
  /** How the answer was made, for footers and logs (e.g. "extractive · local-v1-…"). */
  readonly method: string;
  /** What the decision to answer or abstain was based on (absent when nothing was retrieved). */
  readonly evidence?: Evidence;
}
