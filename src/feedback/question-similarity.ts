import type { ConceptSource } from "../embed/concept-source.js";
import { LocalEmbeddings } from "../embed/local-embeddings.js";
import type { QuestionSimilarity } from "./gaps.js";

/**
 * The project's own similarity for questions: cosine of the local embedder's vectors (stems,
 * character n-grams, word pairs and WordNet concepts), whatever embedder serves answers. Local
 * on purpose: /gaps then works offline, sends no question anywhere, and merges the same way
 * whichever model is configured, so the threshold calibrated once holds. Vectors are cached per
 * question for the call's lifetime.
 */
export function localQuestionSimilarity(concepts: ConceptSource | null): QuestionSimilarity {
  const embedder = new LocalEmbeddings({}, concepts);
  const vectors = new Map<string, number[]>();
  const vector = (q: string) => {
    let v = vectors.get(q);
    if (!v) {
      v = embedder.embed(q);
      vectors.set(q, v);
    }
    return v;
  };
  return (a, b) => {
    const x = vector(a);
    const y = vector(b);
    let dot = 0;
    for (let i = 0; i < x.length; i++) dot += (x[i] ?? 0) * (y[i] ?? 0);
    return dot;
  };
}
