import { Briefer } from "../briefing/briefer.js";
import type { PassageIndex } from "../index/passage-index.js";
import { TermMatcher } from "../retrieval/term-match.js";
import type { Services } from "./services.js";

// One briefer per served index: its units and vectors are computed once, and a rebuild's new
// index gets its own (the old one is then collected with its index).
const briefers = new WeakMap<PassageIndex, Briefer>();

/**
 * The briefer for the index being served now, shared by `/brief` and the overview `/ask` gives
 * for "what is this article about?", so both pay for the corpus's units once.
 */
export function brieferFor(services: Services): Briefer {
  const answerer = services.answerer();
  let briefer = briefers.get(answerer.index);
  if (!briefer) {
    briefer = new Briefer(
      answerer.index,
      // The served index's embedder: briefing units are compared with its passages' vectors.
      services.indexes.served.embedder,
      answerer.retriever,
      new TermMatcher(services.concepts),
      services.concepts,
    );
    briefers.set(answerer.index, briefer);
  }
  return briefer;
}
