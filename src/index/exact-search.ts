import type { DocumentInterface } from "@langchain/core/documents";
import hnswlib from "hnswlib-node";
import { at } from "./checked-at.js";
import type { DenseHit, HnswStore } from "./hnsw-store.js";

/**
 * Exact nearest-neighbour search (hnswlib's brute force, cosine space) over the same vectors an
 * HNSW graph holds: the reference that HNSW's approximate answers are measured against.
 */
export class ExactSearch {
  private readonly index: hnswlib.BruteforceSearch;

  constructor(
    vectors: readonly (readonly number[])[],
    readonly dimension: number,
    capacity = vectors.length,
  ) {
    this.index = new hnswlib.BruteforceSearch("cosine", dimension);
    this.index.initIndex(Math.max(1, capacity));
    vectors.forEach((v, i) => {
      this.index.addPoint([...v], i);
    });
  }

  /** Exact search over the vectors an HNSW store holds, copied one at a time (no array of them all). */
  static of<D extends DocumentInterface>(store: HnswStore<D>): ExactSearch {
    // A store without a dimension has no vectors yet.
    const exact = new ExactSearch([], store.dimension ?? 1, store.count);
    for (let i = 0; i < store.count; i++) exact.index.addPoint(store.vector(i), i);
    return exact;
  }

  /** The `k` nearest vectors to `vector`, most similar first, by position. */
  search(vector: readonly number[], k: number): DenseHit[] {
    const n = Math.min(k, this.index.getCurrentCount());
    if (n === 0) return [];
    const { neighbors, distances } = this.index.searchKnn([...vector], n);
    return neighbors.map((index, i) => ({ index, similarity: 1 - at(distances, i) }));
  }
}
