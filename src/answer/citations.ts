import { passageLocation } from "../corpus/passage.js";
import type { RetrievedPassage } from "../retrieval/retriever.js";
import type { AnswerSentence, Citation } from "./answer.js";

/** A retrieved passage as citation `[n]`, rendered from its provenance. */
export function toCitation(r: RetrievedPassage, n: number): Citation {
  const m = r.passage.metadata;
  return {
    n,
    id: m.id,
    source: m.source,
    title: m.title,
    url: m.url,
    location: passageLocation(m),
    text: r.passage.pageContent,
  };
}

/**
 * Cites quoted sentences: each passage gets one number, in order of first use, so the markers
 * in an answer read [1], [2]… however its sentences are spread over passages.
 */
export function citeSentences(quoted: readonly { readonly text: string; readonly retrieved: RetrievedPassage }[]): {
  sentences: AnswerSentence[];
  citations: Citation[];
} {
  const citations: Citation[] = [];
  const sentences = quoted.map((q) => {
    let citation = citations.find((c) => c.id === q.retrieved.passage.metadata.id);
    if (!citation) {
      citation = toCitation(q.retrieved, citations.length + 1);
      citations.push(citation);
    }
    return { text: q.text, n: citation.n };
  });
  return { sentences, citations };
}
