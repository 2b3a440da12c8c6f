import { parseArticle } from "../../src/corpus/load-corpus.js";
import type { Passage } from "../../src/corpus/passage.js";
import { splitArticle } from "../../src/corpus/split-passages.js";
import { LexicalIndex } from "../../src/index/bm25/lexical-index.js";
import { type AnalyzedQuestion, analyzeQuestion } from "../../src/retrieval/question.js";
import type { RetrievedPassage } from "../../src/retrieval/retriever.js";
import { SpellingIndex } from "../../src/retrieval/spelling.js";
import { stems } from "../../src/text/analyze.js";

/** The passages of a hand-written article, one paragraph per entry, split as the corpus is. */
export function articlePassages(source: string, paragraphs: readonly string[]): Passage[] {
  return splitArticle(parseArticle(source, paragraphs.join("\n")));
}

/**
 * Passages as retrieval would hand them on, in the order given: fused scores falling as reciprocal
 * rank fusion's do, and every passage found by both dense search and BM25.
 */
export function asRetrieved(passages: readonly Passage[], denseSimilarity = 0.5): RetrievedPassage[] {
  return passages.map((passage, i) => ({
    passage,
    position: i,
    score: 2 / (61 + i),
    denseRank: i + 1,
    denseSimilarity,
    lexicalRank: i + 1,
    lexicalScore: 10 - i,
    conceptRank: null,
  }));
}

/** A question analysed against the vocabulary of `passages` alone (no concept source). */
export function analyzedAgainst(passages: readonly Passage[], question: string): AnalyzedQuestion {
  const lexical = new LexicalIndex(passages.map((p) => stems(p.pageContent)));
  return analyzeQuestion(question, lexical, new SpellingIndex(lexical.vocabulary()), null);
}
