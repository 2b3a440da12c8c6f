import { existsSync } from "node:fs";
import { Worker } from "node:worker_threads";
import hnswlib from "hnswlib-node";
import { errorMessage, IndexError } from "../errors.js";
import { FILE_CHECKSUM } from "./checksum.js";

/** HNSW graph parameters, written to the manifest so a loaded index is searched as it was built. */
export interface HnswParams {
  /** Links per node: more gives better recall and a larger, slower-to-build graph. */
  readonly m: number;
  /** Candidate list while building: higher builds slower and links better. */
  readonly efConstruction: number;
  /** Candidate list while searching; raised to k when k is larger. */
  readonly efSearch: number;
}

/**
 * Chosen on 100,000 synthetic passages (the benchmark's corpus), 512 dimensions, on a 2-core
 * machine (linking rate in passages/s; recall@10 against exact search at efSearch 256):
 *
 *   M 16, efConstruction 200:  822/s, recall 0.982 already at 30,000 passages: too slow
 *   M 16, efConstruction 100:  1,387/s          recall 0.953
 *   M 16, efConstruction  60:  2,308/s          recall 0.917
 *   M 20, efConstruction 100:  1,281/s          recall 0.962   ← chosen
 *   M 24, efConstruction  60:  2,100/s          recall 0.934
 *   M 32, efConstruction  80:  1,328/s          recall 0.969 (0.960 at efSearch 200, but slower to search)
 *
 * Linking is the slow part of a build (embedding runs at ~5,000 passages/s on the other core),
 * so efConstruction 100 is what keeps a build at about 1,000 passages/s; M 20 buys back the recall
 * that costs. Search is cheap by comparison: efSearch 256 is ~2 ms at 100,000 passages and keeps
 * recall@10 over 0.95, where 64 gave 0.90.
 */
export const DEFAULT_HNSW_PARAMS = {
  m: 20,
  efConstruction: 100,
  efSearch: 256,
} as const satisfies Required<HnswParams>;

/** A nearest neighbour: the passage's position in the index and its cosine similarity. */
export interface DenseHit {
  readonly index: number;
  readonly similarity: number;
}

/**
 * The dense side of an opened index: hnswlib-node's HNSW graph in cosine space. A point's
 * label is not its passage's position (an incremental rebuild keeps the labels of unchanged
 * passages and reuses the slots of removed ones), so the store maps labels to positions, and
 * its answers are positions. Every load goes into a fresh graph object: a failed read into a
 * used one leaves it dangling.
 */
export class HnswStore {
  private constructor(
    private readonly index: hnswlib.HierarchicalNSW,
    readonly dimension: number,
    readonly params: HnswParams,
    /** Passage position → label. */
    private readonly labels: Uint32Array,
    /** Label → passage position, -1 for a deleted slot. */
    private readonly positions: Int32Array,
  ) {
    index.setEf(params.efSearch);
  }

  /**
   * Reads a graph file holding `slots` points (deleted ones included); passage i's vector has
   * label `labels[i]`. The file is read on libuv's thread pool, so the caller can meanwhile
   * work out the labels (e.g. parse passages.json). Throws `IndexError("INDEX_CORRUPT")` when
   * the file or the labels do not fit.
   */
  static async load(
    file: string,
    dimension: number,
    slots: number,
    labels: Uint32Array | Promise<Uint32Array>,
    params: HnswParams = DEFAULT_HNSW_PARAMS,
  ): Promise<HnswStore> {
    if (!existsSync(file)) throw new IndexError("INDEX_CORRUPT", `the vector file ${file} is missing`);
    const index = new hnswlib.HierarchicalNSW("cosine", dimension);
    const read = index.readIndex(file).then(
      () => null,
      (cause: unknown) =>
        new IndexError("INDEX_CORRUPT", `the vector file ${file} cannot be read (${errorMessage(cause)})`, { cause }),
    );
    const positionsOf = await labels;
    const failure = await read;
    if (failure) throw failure;
    const count = index.getCurrentCount();
    if (count !== slots)
      throw new IndexError(
        "INDEX_CORRUPT",
        `the vector file ${file} holds ${count} vectors but the manifest lists ${slots}`,
      );
    const positions = new Int32Array(slots).fill(-1);
    positionsOf.forEach((label, position) => {
      if (label >= slots || positions[label] !== -1)
        throw new IndexError(
          "INDEX_CORRUPT",
          `passage ${position} has label ${label}, which is out of range or taken twice`,
        );
      positions[label] = position;
    });
    return new HnswStore(index, dimension, params, positionsOf, positions);
  }

  /** Passages in the graph (deleted slots not counted). */
  get count(): number {
    return this.labels.length;
  }

  /** The `k` nearest passages to `vector`, most similar first. */
  search(vector: readonly number[], k: number): DenseHit[] {
    const n = Math.min(k, this.count);
    if (n === 0) return [];
    if (vector.length !== this.dimension)
      throw new IndexError(
        "EMBEDDING_DIMENSION",
        `query vector has ${vector.length} dimensions, expected ${this.dimension}`,
      );
    this.index.setEf(Math.max(this.params.efSearch, n));
    const { neighbors, distances } = this.index.searchKnn([...vector], n);
    const hits: DenseHit[] = [];
    neighbors.forEach((label, i) => {
      const position = this.positions[label] ?? -1;
      // hnswlib never returns a deleted point; the check keeps a stray label from becoming a wrong passage.
      if (position >= 0) hits.push({ index: position, similarity: 1 - (distances[i] ?? 1) });
    });
    return hits;
  }

  /** The stored vector of the passage at `position` (as hnswlib keeps it: normalised for cosine space). */
  vector(position: number): number[] {
    const label = this.labels[position];
    if (label === undefined) throw new RangeError(`no passage at position ${position}`);
    return this.index.getPoint(label);
  }

  /** Every passage's label, by position (the store's own array: read, never change it). */
  labelArray(): Uint32Array {
    return this.labels;
  }

  /** The label of the passage at `position`. */
  label(position: number): number {
    const label = this.labels[position];
    if (label === undefined) throw new RangeError(`no passage at position ${position}`);
    return label;
  }
}

type WorkerReply = { id: number; result?: unknown; error?: string };

/**
 * Builds or changes an HNSW graph in a worker thread, so that linking — the slow part of a
 * build — neither blocks the event loop (questions are answered while an index rebuilds) nor
 * waits for embedding: the caller embeds the next batch while the worker links this one.
 * Calls are queued in order; each promise settles when the worker has done that call.
 */
export class HnswBuilder {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private failure: Error | null = null;
  private readonly exited: Promise<void>;

  private constructor(
    private readonly worker: Worker,
    /** Set to 1 to make the worker drop the rest of its work (see close). */
    private readonly cancel: Int32Array,
  ) {
    this.exited = new Promise((resolve) => worker.once("exit", () => resolve()));
    worker.on("message", (reply: WorkerReply) => {
      const call = this.pending.get(reply.id);
      if (!call) return;
      this.pending.delete(reply.id);
      if (reply.error !== undefined) call.reject(new IndexError("INDEX_BUILD", `the HNSW graph: ${reply.error}`));
      else call.resolve(reply.result);
    });
    const fail = (error: Error) => {
      this.failure = error;
      for (const call of this.pending.values()) call.reject(error);
      this.pending.clear();
    };
    worker.on("error", (error) =>
      fail(new IndexError("INDEX_BUILD", `the HNSW worker failed: ${error.message}`, { cause: error })),
    );
    worker.on("exit", (code) => fail(new IndexError("INDEX_BUILD", `the HNSW worker exited (code ${code})`)));
  }

  /** A builder holding an empty graph with room for `capacity` points. */
  static async create(dimension: number, params: HnswParams, capacity: number): Promise<HnswBuilder> {
    const builder = HnswBuilder.start();
    try {
      await builder.call({ op: "create", dimension, capacity, m: params.m, efConstruction: params.efConstruction });
    } catch (error) {
      await builder.close();
      throw error;
    }
    return builder;
  }

  /**
   * A builder holding the graph of `file` (read into a fresh object), grown to room for
   * `capacity` points. With `expect`, the worker first checks the file's size and checksum
   * against it (hnswlib trusts what it reads), so the check costs this thread nothing.
   */
  static async open(
    file: string,
    dimension: number,
    capacity: number,
    expect?: { bytes: number; checksum: string },
  ): Promise<{ builder: HnswBuilder; count: number }> {
    const builder = HnswBuilder.start();
    try {
      // The worker is plain JavaScript: it is told the algorithm rather than keeping a copy of its name.
      const check = expect ? { ...expect, algorithm: FILE_CHECKSUM } : undefined;
      const { count } = (await builder.call({ op: "load", file, dimension, capacity, expect: check })) as {
        count: number;
      };
      return { builder, count };
    } catch (error) {
      await builder.close();
      throw error;
    }
  }

  private static start(): HnswBuilder {
    const cancel = new SharedArrayBuffer(4);
    // Not unref()'d: a script whose only pending work is this worker's reply must wait for it.
    // Every builder is closed, on failure too, so it never holds a process open for long.
    const worker = new Worker(new URL("./hnsw-worker.mjs", import.meta.url), { workerData: { cancel } });
    return new HnswBuilder(worker, new Int32Array(cancel));
  }

  /**
   * Adds `vectors` with `labels`. A label the graph already holds as a deleted point takes its
   * slot (the point is replaced in place); a new label appends one. Resolves with the graph's
   * point count once linked.
   */
  async add(vectors: readonly (readonly number[])[], labels: readonly number[], dimension: number): Promise<number> {
    const flat = new Float32Array(vectors.length * dimension);
    vectors.forEach((v, i) => {
      if (v.length !== dimension)
        throw new IndexError(
          "EMBEDDING_DIMENSION",
          `vector for label ${labels[i]} has ${v.length} dimensions, expected ${dimension}`,
        );
      flat.set(v, i * dimension);
    });
    const { count } = (await this.call({ op: "add", vectors: flat, labels: Uint32Array.from(labels) }, [
      flat.buffer,
    ])) as { count: number };
    return count;
  }

  /** Grows the graph to room for `capacity` points (deleted ones included), if it has less. */
  async reserve(capacity: number): Promise<void> {
    await this.call({ op: "reserve", capacity });
  }

  /** Marks labels deleted: they are no longer found, and their slots can be reused. */
  async markDeleted(labels: readonly number[]): Promise<void> {
    await this.call({ op: "delete", labels: Uint32Array.from(labels) });
  }

  /** Writes the graph to `file` and checks that it landed; returns its size. */
  async save(file: string): Promise<number> {
    const { bytes } = (await this.call({ op: "save", file })) as { bytes: number };
    return bytes;
  }

  /**
   * Stops the worker and frees the graph. Work still queued is dropped. The worker is asked to
   * finish, not terminated: terminating it inside an hnswlib call aborts the process.
   */
  async close(): Promise<void> {
    Atomics.store(this.cancel, 0, 1);
    if (!this.failure) this.worker.postMessage({ op: "close" });
    await this.exited;
  }

  private call(message: Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id }, transfer);
    });
  }
}
