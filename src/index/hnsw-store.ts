import { existsSync, statSync } from "node:fs";
import { setImmediate } from "node:timers/promises";
import hnswlib from "hnswlib-node";
import { IndexError } from "../errors.js";

/** HNSW graph parameters, written to the manifest so a loaded index is searched as it was built. */
export interface HnswParams {
  /** Links per node: more gives better recall and a larger, slower-to-build graph. */
  readonly m: number;
  /** Candidate list while building: higher builds slower and links better. */
  readonly efConstruction: number;
  /** Candidate list while searching; raised to k when k is larger. */
  readonly efSearch: number;
}

/** hnswlib's defaults for M and efConstruction; efSearch 64 gives exact-search agreement on small corpora. */
export const DEFAULT_HNSW_PARAMS = { m: 16, efConstruction: 200, efSearch: 64 } as const satisfies Required<HnswParams>;

/** A nearest neighbour: the passage's position in the index and its cosine similarity. */
export interface DenseHit {
  readonly index: number;
  readonly similarity: number;
}

/**
 * The dense side of the index: hnswlib-node's HNSW graph in cosine space, with labels equal
 * to passage positions. Guards the library's sharp edges: every load goes into a fresh
 * object (a failed read into a used one leaves it dangling), and every write is checked on
 * disk (writing into a missing folder reports success and writes nothing).
 */
export class HnswStore {
  private constructor(
    private readonly index: hnswlib.HierarchicalNSW,
    readonly dimension: number,
    readonly params: HnswParams,
  ) {
    index.setEf(params.efSearch);
  }

  /**
   * Builds a graph over `vectors` (label i is vectors[i]). Yields to the event loop every
   * `yieldEvery` points, so a server keeps answering while a large index builds.
   */
  static async build(
    vectors: readonly number[][],
    dimension: number,
    params: HnswParams = DEFAULT_HNSW_PARAMS,
    options: { yieldEvery?: number; onProgress?: (done: number) => void } = {},
  ): Promise<HnswStore> {
    const index = new hnswlib.HierarchicalNSW("cosine", dimension);
    index.initIndex({ maxElements: Math.max(1, vectors.length), m: params.m, efConstruction: params.efConstruction, randomSeed: 100 });
    const yieldEvery = options.yieldEvery ?? 500;
    for (let label = 0; label < vectors.length; label++) {
      const v = vectors[label] ?? [];
      if (v.length !== dimension) throw new IndexError("EMBEDDING_DIMENSION", `vector ${label} has ${v.length} dimensions, expected ${dimension}`);
      index.addPoint(v, label);
      if ((label + 1) % yieldEvery === 0) {
        options.onProgress?.(label + 1);
        await setImmediate();
      }
    }
    return new HnswStore(index, dimension, params);
  }

  /** Reads a graph file written by `save`, checking it holds `expectedCount` points. */
  static load(file: string, dimension: number, expectedCount: number, params: HnswParams = DEFAULT_HNSW_PARAMS): HnswStore {
    if (!existsSync(file)) throw new IndexError("INDEX_CORRUPT", `the vector file ${file} is missing`);
    const index = new hnswlib.HierarchicalNSW("cosine", dimension);
    try {
      index.readIndexSync(file);
    } catch (cause) {
      throw new IndexError("INDEX_CORRUPT", `the vector file ${file} cannot be read`, { cause });
    }
    const count = index.getCurrentCount();
    if (count !== expectedCount) {
      throw new IndexError("INDEX_CORRUPT", `the vector file ${file} holds ${count} vectors but the manifest lists ${expectedCount}`);
    }
    return new HnswStore(index, dimension, params);
  }

  /** Writes the graph and checks the file really landed. */
  save(file: string): void {
    this.index.writeIndexSync(file);
    if (!existsSync(file) || statSync(file).size === 0) throw new IndexError("INDEX_WRITE", `writing ${file} produced no file`);
  }

  get count(): number {
    return this.index.getCurrentCount();
  }

  /** The `k` nearest passages to `vector`, most similar first. */
  search(vector: readonly number[], k: number): DenseHit[] {
    const n = Math.min(k, this.count);
    if (n === 0) return [];
    if (vector.length !== this.dimension) throw new IndexError("EMBEDDING_DIMENSION", `query vector has ${vector.length} dimensions, expected ${this.dimension}`);
    this.index.setEf(Math.max(this.params.efSearch, n));
    const { neighbors, distances } = this.index.searchKnn([...vector], n);
    return neighbors.map((index, i) => ({ index, similarity: 1 - (distances[i] ?? 1) }));
  }

  /** A stored vector (as hnswlib keeps it: normalised for cosine space). */
  vector(label: number): number[] {
    return this.index.getPoint(label);
  }
}
