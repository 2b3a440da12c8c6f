import type { DocumentInterface } from "@langchain/core/documents";
import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import { SaveableVectorStore } from "@langchain/core/vectorstores";
import hnswlib from "hnswlib-node";
import { IndexError } from "../errors.js";
import { at } from "./checked-at.js";
import { readGraph } from "./hnsw-file.js";
import { DEFAULT_HNSW_PARAMS, type HnswParams } from "./hnsw-params.js";
import { declaredDimension, readStoreFiles, type StoreContents, writeStoreFiles } from "./hnsw-store-files.js";

/** A nearest neighbour: the passage's position in the index and its cosine similarity. */
export interface DenseHit {
  readonly index: number;
  readonly similarity: number;
}

/**
 * hnswlib-node's HNSW graph in cosine space as a LangChain vector store: any `Embeddings`
 * fills it (`addDocuments`) and searches it (`similaritySearch`), and each document comes back
 * with its metadata (a passage's provenance). A point's label is not its document's position
 * (an incremental rebuild keeps the labels of unchanged passages and reuses the slots of
 * removed ones), so the store maps labels to positions; {@link search} answers with positions,
 * the fast path retrieval takes.
 *
 * An index is built in a worker (HnswBuilder) and opened with {@link HnswStore.open}, checked
 * against the index's manifest; {@link save} and {@link HnswStore.load} keep a store on its
 * own, with a manifest of its own beside the graph.
 */
export class HnswStore<D extends DocumentInterface = DocumentInterface> extends SaveableVectorStore {
  /** Keeps the documents it is true for. */
  declare FilterType: (document: D) => boolean;
  private graph: hnswlib.HierarchicalNSW | null;
  private dim: number | null;
  private readonly documents: D[];
  /** Position → label. */
  private labels: Uint32Array;
  /** Label → position, -1 for a deleted slot. */
  private positions: Int32Array;

  /** An empty store (its graph is made when the first vectors come), or, from {@link HnswStore.open}, an opened one. */
  constructor(
    embeddings: EmbeddingsInterface,
    readonly params: HnswParams = DEFAULT_HNSW_PARAMS,
    opened?: { graph: hnswlib.HierarchicalNSW; dimension: number; contents: StoreContents<D>; positions: Int32Array },
  ) {
    super(embeddings, {});
    this.graph = opened?.graph ?? null;
    this.dim = opened?.dimension ?? declaredDimension(embeddings);
    this.documents = [...(opened?.contents.documents ?? [])];
    this.labels = opened?.contents.labels ?? new Uint32Array(0);
    this.positions = opened?.positions ?? new Int32Array(0);
    this.graph?.setEf(params.efSearch);
  }

  _vectorstoreType(): string {
    return "hnswlib";
  }

  /**
   * Opens the graph file of an index: `slots` points (deleted ones included) of `dimension`,
   * document i's vector under label `labels[i]`. The file is read on libuv's thread pool, so
   * the caller can meanwhile work out the contents (e.g. parse passages.json). The file's
   * checksum is the caller's to check; its header and point count are checked here. Throws
   * `IndexError("INDEX_CORRUPT")` when the file or the labels do not fit.
   */
  static async open<D extends DocumentInterface>(options: {
    readonly file: string;
    readonly embeddings: EmbeddingsInterface;
    readonly dimension: number;
    readonly slots: number;
    readonly params: HnswParams;
    readonly contents: StoreContents<D> | Promise<StoreContents<D>>;
  }): Promise<HnswStore<D>> {
    const { file, dimension, slots } = options;
    const reading = readGraph(file, dimension, slots);
    // Never left rejected without a handler while the contents are awaited.
    reading.catch(() => undefined);
    const contents = await options.contents;
    const graph = await reading;
    const positions = positionsOf(contents.labels, slots);
    return new HnswStore(options.embeddings, options.params, { graph, dimension, contents, positions });
  }

  /** Documents in the store. */
  get count(): number {
    return this.labels.length;
  }

  /** Length of the vectors, once known. */
  get dimension(): number | null {
    return this.dim;
  }

  /** The `k` nearest documents to `vector` as positions, most similar first: retrieval's fast path. */
  search(vector: readonly number[], k: number, filter?: (document: D) => boolean): DenseHit[] {
    const n = Math.min(k, this.count);
    if (n === 0 || !this.graph) return [];
    if (vector.length !== this.dim)
      throw new IndexError("EMBEDDING_DIMENSION", `query vector has ${vector.length} dimensions, expected ${this.dim}`);
    this.graph.setEf(Math.max(this.params.efSearch, n));
    // Called by hnswlib for each candidate: it must not throw.
    const keep =
      filter &&
      ((label: number) => {
        const position = this.positions[label];
        const document = position === undefined ? undefined : this.documents[position];
        return document !== undefined && filter(document);
      });
    const { neighbors, distances } = this.graph.searchKnn([...vector], n, keep);
    const hits: DenseHit[] = [];
    neighbors.forEach((label, i) => {
      const position = at(this.positions, label);
      // hnswlib never returns a deleted point; the check keeps a stray label from becoming a wrong passage.
      if (position >= 0) hits.push({ index: position, similarity: 1 - at(distances, i) });
    });
    return hits;
  }

  /** The `k` documents nearest to `query`, each with its cosine similarity (higher is nearer). */
  override async similaritySearchVectorWithScore(
    query: number[],
    k: number,
    filter?: this["FilterType"],
  ): Promise<[D, number][]> {
    return this.search(query, k, filter).map((hit) => [at(this.documents, hit.index), hit.similarity]);
  }

  /** Adds documents, embedded by the store's embeddings. Returns their ids (their position when they have none). */
  override async addDocuments(documents: D[]): Promise<string[]> {
    return this.addVectors(await this.embeddings.embedDocuments(documents.map((d) => d.pageContent)), documents);
  }

  /** Adds documents with their vectors, each under a new label at the end of the graph. Returns their ids. */
  override async addVectors(vectors: number[][], documents: D[]): Promise<string[]> {
    if (vectors.length !== documents.length)
      throw new IndexError("EMBEDDING_COUNT", `${vectors.length} vectors came for ${documents.length} documents`);
    const dimension = this.dim ?? vectors[0]?.length ?? 0;
    for (const v of vectors)
      if (v.length !== dimension)
        throw new IndexError("EMBEDDING_DIMENSION", `a vector has ${v.length} dimensions, expected ${dimension}`);
    if (vectors.length === 0) return [];
    const graph = this.graphOf(dimension);
    const first = graph.getCurrentCount();
    const slots = first + vectors.length;
    if (slots > graph.getMaxElements()) graph.resizeIndex(Math.max(slots, 2 * graph.getMaxElements()));
    const labels = new Uint32Array(this.labels.length + vectors.length);
    labels.set(this.labels);
    const positions = new Int32Array(slots).fill(-1);
    positions.set(this.positions);
    vectors.forEach((v, j) => {
      graph.addPoint(v, first + j);
      labels[this.labels.length + j] = first + j;
      positions[first + j] = this.documents.length + j;
    });
    const start = this.documents.length;
    this.documents.push(...documents);
    this.labels = labels;
    this.positions = positions;
    return documents.map((d, j) => d.id ?? String(start + j));
  }

  /** The stored vector of the document at `position` (as hnswlib keeps it: normalised for cosine space). */
  vector(position: number): number[] {
    return this.requireGraph().getPoint(this.label(position));
  }

  /** Every document's label, by position (the store's own array: read, never change it). */
  labelArray(): Uint32Array {
    return this.labels;
  }

  /** The label of the document at `position`. */
  label(position: number): number {
    const label = this.labels[position];
    if (label === undefined) throw new RangeError(`no document at position ${position}`);
    return label;
  }

  /**
   * Writes the store to `dir` (created if missing): the graph, checked to have landed, then
   * hnsw-store.json beside it, last, so a folder without one is never taken for a store.
   */
  async save(dir: string): Promise<void> {
    await writeStoreFiles(dir, {
      graph: this.requireGraph(),
      embeddings: this.embeddings,
      params: this.params,
      documents: this.documents,
      labels: this.labels,
    });
  }

  /**
   * Reads a store written by {@link save}, for `embeddings`: refused (an `IndexError`) when it
   * was made by another embedder or with vectors of another length (`INDEX_MISMATCH`), or when
   * the graph does not match its manifest's size, checksum, dimension or point count
   * (`INDEX_CORRUPT`).
   */
  static override async load(dir: string, embeddings: EmbeddingsInterface): Promise<HnswStore> {
    return HnswStore.open({ ...(await readStoreFiles(dir, embeddings)), embeddings });
  }

  private requireGraph(): hnswlib.HierarchicalNSW {
    if (!this.graph) throw new IndexError("INDEX_BUILD", "the store holds no vectors yet");
    return this.graph;
  }

  /** The graph, made for vectors of `dimension` on first use. */
  private graphOf(dimension: number): hnswlib.HierarchicalNSW {
    if (this.graph) return this.graph;
    const graph = new hnswlib.HierarchicalNSW("cosine", dimension);
    graph.initIndex({
      maxElements: 16,
      m: this.params.m,
      efConstruction: this.params.efConstruction,
      randomSeed: 100,
    });
    graph.setEf(this.params.efSearch);
    this.graph = graph;
    this.dim = dimension;
    return graph;
  }
}

/** Label → position for documents whose vectors have `labels` in a graph of `slots` points (-1 for a deleted slot). */
function positionsOf(labels: Uint32Array, slots: number): Int32Array {
  const positions = new Int32Array(slots).fill(-1);
  labels.forEach((label, position) => {
    if (label >= slots || positions[label] !== -1)
      throw new IndexError(
        "INDEX_CORRUPT",
        `passage ${position} has label ${label}, which is out of range or taken twice`,
      );
    positions[label] = position;
  });
  return positions;
}
