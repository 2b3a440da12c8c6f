import { Worker } from "node:worker_threads";
import { IndexError } from "../errors.js";
import { FILE_CHECKSUM } from "./checksum.js";
import type { HnswParams } from "./hnsw-params.js";

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
