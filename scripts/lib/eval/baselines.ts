import type { Answer } from "../../../src/answer/answer.js";
import type { Answerer } from "../../../src/answer/answerer.js";
import { toCitation } from "../../../src/answer/citations.js";
import type { GenerativeAnswerer } from "../../../src/answer/generate/generative-answerer.js";
import { sentencesOf } from "../../../src/corpus/passage.js";
import type { PassageEmbedder } from "../../../src/embed/embedder.js";
import type { PassageIndex } from "../../../src/index/passage-index.js";
import type { RetrievedPassage, Retriever } from "../../../src/retrieval/retriever.js";
import { stems } from "../../../src/text/analyze.js";

/** A named way of answering, as compared by `npm run eval`: its answers, and its ranking of passages. */
export interface System {
  readonly name: string;
  answer(question: string): Promise<Answer>;
  retrieve(question: string, k: number): Promise<readonly RetrievedPassage[]>;
}

/** Passage itself (or a variant of it) as a system. */
export function answererSystem(name: string, answerer: Answerer): System {
  return {
    name,
    answer: (question) => answerer.answer(question),
    retrieve: async (question, k) => (await answerer.retriever.retrieve(question, k)).passages,
  };
}

/** Passage with a model writing the answers (retrieval is the quoted answerer's, which it shares). */
export function generatedSystem(name: string, generator: GenerativeAnswerer): System {
  return {
    name,
    answer: (question) => generator.answer(question),
    retrieve: async (question, k) => (await generator.quoted.retriever.retrieve(question, k)).passages,
  };
}

/** How a naive bot picks the sentence it quotes from the passage it found. */
export type SentencePick = (question: string, sentences: readonly string[]) => Promise<number>;

/**
 * A naive bot, the kind Passage must beat: it takes the first passage of one ranking (BM25
 * alone, or dense search alone), quotes the sentence of it that `pick` likes best and cites it.
 * It never says "the article doesn't say" unless nothing at all was found.
 */
export function bestSentenceSystem(name: string, retriever: Retriever, pick: SentencePick): System {
  return {
    name,
    retrieve: async (question, k) => (await retriever.retrieve(question, k)).passages,
    answer: async (question) => {
      const top = (await retriever.retrieve(question, 1)).passages[0];
      const method = `baseline · ${name}`;
      if (top === undefined) {
        return { question, kind: "abstained", abstained: true, answer: "", sentences: [], citations: [], method };
      }
      const sentences = sentencesOf(top.passage);
      const text = sentences[await pick(question, sentences)] ?? top.passage.pageContent;
      return {
        question,
        kind: "answer",
        abstained: false,
        answer: `${text} [1]`,
        sentences: [{ text, n: 1 }],
        citations: [toCitation(top, 1)],
        method,
      };
    },
  };
}

/** The sentence sharing the most of the question's words, each weighted by its BM25 idf. */
export function byWordOverlap(index: PassageIndex): SentencePick {
  return async (question, sentences) => {
    const asked = new Set(stems(question));
    const score = (s: string) =>
      [...new Set(stems(s))].reduce((n, t) => n + (asked.has(t) ? index.lexical.idf(t) : 0), 0);
    return argmax(sentences.map(score));
  };
}

/** The sentence whose embedding is nearest the question's. */
export function byEmbedding(embedder: PassageEmbedder): SentencePick {
  return async (question, sentences) => {
    const q = await embedder.embedQuery(question);
    const vectors = await embedder.embedDocuments([...sentences]);
    return argmax(vectors.map((v) => v.reduce((n, x, i) => n + x * (q[i] ?? 0), 0)));
  };
}

function argmax(xs: readonly number[]): number {
  let best = 0;
  xs.forEach((x, i) => {
    if (x > (xs[best] ?? -Infinity)) best = i;
  });
  return best;
}
