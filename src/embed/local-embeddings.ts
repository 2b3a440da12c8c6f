import { Embeddings, type EmbeddingsParams } from "@langchain/core/embeddings";
import { terms } from "../text/analyze.js";
import type { ConceptSource } from "./concept-source.js";
import type { PassageEmbedder } from "./embedder.js";
import { addFeature, normalize } from "./feature-hash.js";

/** Settings of the local embedder; every one changes the vectors, so all are part of its id. */
export interface LocalEmbeddingsOptions {
  /** Vector length. */
  readonly dimension: number;
  /** Weight of a word's Porter stem. */
  readonly stemWeight: number;
  /** Total weight of a word's character n-grams (shared across them), so typos still match. */
  readonly ngramWeight: number;
  /** Lengths of the character n-grams, taken over the word padded with boundary marks. */
  readonly ngramSizes: readonly number[];
  /** Weight of two adjacent content words together ("spy balloon"). */
  readonly bigramWeight: number;
  /** Scale of related-word concepts (multiplied by each concept's own weight). */
  readonly conceptWeight: number;
}

/**
 * Defaults, chosen on the development question set (test/fixtures). 512 dimensions: answer
 * quality on the question sets is that of 1,024 (dev: same answer hit rate and abstention, R@1
 * 0.796 against 0.741; held-out: answer hit 0.518 against 0.530), while HNSW links and searches
 * twice as fast and the index is half the size; 256 lost 7 points of held-out R@1 to hash
 * collisions (`npm run bench` and `npm run eval`, see docs/quality.md and docs/performance.md).
 */
export const DEFAULT_LOCAL_EMBEDDINGS_OPTIONS = {
  dimension: 512,
  stemWeight: 1,
  ngramWeight: 0.6,
  ngramSizes: [3, 4],
  bigramWeight: 0.4,
  conceptWeight: 0.45,
} as const satisfies Required<LocalEmbeddingsOptions>;

/**
 * The default embedder: computed locally, no download, no key. A text becomes a bag of
 * features — stemmed words, character n-grams (for typos and word forms), adjacent word
 * pairs, and related-word concepts (for paraphrase) — hashed into a fixed-length vector and
 * scaled to unit length, so cosine similarity measures weighted feature overlap.
 * Deterministic: the same text always gives the same vector.
 */
export class LocalEmbeddings extends Embeddings implements PassageEmbedder {
  readonly id: string;
  readonly dimension: number;
  private readonly options: Required<LocalEmbeddingsOptions>;
  private readonly conceptSource: ConceptSource | null;

  constructor(
    options: Partial<LocalEmbeddingsOptions> = {},
    conceptSource: ConceptSource | null = null,
    params: EmbeddingsParams = {},
  ) {
    super(params);
    this.options = { ...DEFAULT_LOCAL_EMBEDDINGS_OPTIONS, ...options };
    this.conceptSource = conceptSource;
    this.dimension = this.options.dimension;
    const o = this.options;
    this.id = [
      "local-v1",
      `d${o.dimension}`,
      `s${o.stemWeight}`,
      `g${o.ngramWeight}:${o.ngramSizes.join("+")}`,
      `b${o.bigramWeight}`,
      conceptSource ? `c${o.conceptWeight}:${conceptSource.id}` : "c0",
    ].join("-");
  }

  override async embedDocuments(documents: string[]): Promise<number[][]> {
    return documents.map((d) => this.embed(d));
  }

  override async embedQuery(document: string): Promise<number[]> {
    return this.embed(document);
  }

  /** The synchronous core, for callers that embed many short texts in a tight loop. */
  embed(text: string): number[] {
    const o = this.options;
    const vector = new Float64Array(o.dimension);
    const ts = terms(text);
    let previous: string | null = null;
    for (const t of ts) {
      addFeature(vector, `w:${t.stem}`, o.stemWeight);
      if (o.ngramWeight > 0) {
        const grams = ngrams(t.word, o.ngramSizes);
        const each = o.ngramWeight / Math.sqrt(grams.length || 1);
        for (const g of grams) addFeature(vector, `n:${g}`, each);
      }
      if (previous !== null && o.bigramWeight > 0) addFeature(vector, `b:${previous}_${t.stem}`, o.bigramWeight);
      previous = t.stem;
      if (this.conceptSource && o.conceptWeight > 0) {
        for (const c of this.conceptSource.concepts(t.word))
          addFeature(vector, `c:${c.id}`, o.conceptWeight * c.weight);
      }
    }
    return normalize(vector);
  }
}

function ngrams(word: string, sizes: readonly number[]): string[] {
  const padded = `<${word}>`;
  const out: string[] = [];
  for (const n of sizes) {
    if (padded.length < n) continue;
    for (let i = 0; i + n <= padded.length; i++) out.push(padded.slice(i, i + n));
  }
  return out;
}
