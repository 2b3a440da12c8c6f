import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Document, type DocumentInterface } from "@langchain/core/documents";
import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import type hnswlib from "hnswlib-node";
import { z } from "zod";
import { errorMessage, IndexError } from "../errors.js";
import { at } from "./checked-at.js";
import { fileChecksum } from "./checksum.js";
import { writeGraph } from "./hnsw-file.js";
import type { HnswParams } from "./hnsw-params.js";
import { validate } from "./validate.js";

/** What a store is opened with besides its graph: the documents, and the label of each one's vector. */
export interface StoreContents<D> {
  readonly documents: readonly D[];
  /** `labels[i]` is the label of document i's vector in the graph. */
  readonly labels: Uint32Array;
}

/** The files `HnswStore.save` writes into its folder: the graph, then this manifest beside it. */
export const STORE_GRAPH_FILE = "vectors.hnsw";
export const STORE_MANIFEST_FILE = "hnsw-store.json";
/** Bump when the layout or meaning of the store's files changes. */
const STORE_FORMAT_VERSION = 1;

const count = z.int().nonnegative();

/**
 * hnsw-store.json. The graph file says neither its space nor which embedder made its vectors,
 * and hnswlib reads a file of another dimension without complaint, so the manifest says them,
 * with the graph's size and checksum, and every document with the label of its vector.
 */
const storeManifestSchema = z.object({
  formatVersion: count,
  embedder: z.object({ id: z.string(), dimension: z.int().positive() }),
  space: z.literal("cosine"),
  hnsw: z.object({ m: count, efConstruction: count, efSearch: count }),
  graph: z.object({ slots: count, bytes: count, checksum: z.string() }),
  documents: z.array(
    z.object({
      label: count,
      id: z.string().optional(),
      pageContent: z.string(),
      metadata: z.record(z.string(), z.unknown()),
    }),
  ),
});

type StoreManifest = z.infer<typeof storeManifestSchema>;

/**
 * The name a store records for the embedder that made its vectors: its `id` when it has one
 * (a PassageEmbedder's changes whenever its vectors would), else its class and model, which is
 * what tells one LangChain embedder from another.
 */
function embedderId(embeddings: EmbeddingsInterface): string {
  const e = embeddings as unknown as Record<string, unknown>;
  if (typeof e.id === "string") return e.id;
  const model = typeof e.model === "string" ? e.model : typeof e.modelName === "string" ? e.modelName : null;
  return model ? `${embeddings.constructor.name}:${model}` : embeddings.constructor.name;
}

/**
 * The vector length an embedder declares, or null when it does not say: a PassageEmbedder's
 * `dimension`, or the `dimensions` or `vectorSize` some LangChain embedders are made with.
 */
export function declaredDimension(embeddings: EmbeddingsInterface): number | null {
  const e = embeddings as unknown as Record<string, unknown>;
  const dimension = e.dimension ?? e.dimensions ?? e.vectorSize;
  return typeof dimension === "number" ? dimension : null;
}

/** What a store is written from. */
export interface StoreParts {
  readonly graph: hnswlib.HierarchicalNSW;
  readonly embeddings: EmbeddingsInterface;
  readonly params: HnswParams;
  readonly documents: readonly DocumentInterface[];
  readonly labels: Uint32Array;
}

/** Writes a store's graph into `dir` (created if missing), checked to have landed, then its manifest, last. */
export async function writeStoreFiles(dir: string, parts: StoreParts): Promise<void> {
  const { graph, params, labels } = parts;
  const file = join(dir, STORE_GRAPH_FILE);
  const bytes = await writeGraph(graph, file);
  const manifest: StoreManifest = {
    formatVersion: STORE_FORMAT_VERSION,
    embedder: { id: embedderId(parts.embeddings), dimension: graph.getNumDimensions() },
    space: "cosine",
    hnsw: { m: params.m, efConstruction: params.efConstruction, efSearch: params.efSearch },
    graph: { slots: graph.getCurrentCount(), bytes, checksum: await fileChecksum(file) },
    documents: parts.documents.map((d, i) => ({
      label: at(labels, i),
      ...(d.id === undefined ? {} : { id: d.id }),
      pageContent: d.pageContent,
      metadata: d.metadata,
    })),
  };
  await writeFile(join(dir, STORE_MANIFEST_FILE), JSON.stringify(manifest));
}

/**
 * What a store in `dir` is opened from, for `embeddings`, every file checked against the
 * manifest (the graph's header and point count are checked as it is read). Throws an
 * `IndexError`: `INDEX_MISSING`, `INDEX_CORRUPT`, `INDEX_STALE`, or `INDEX_MISMATCH` for
 * another embedder or dimension.
 */
export async function readStoreFiles(
  dir: string,
  embeddings: EmbeddingsInterface,
): Promise<{ file: string; dimension: number; slots: number; params: HnswParams; contents: StoreContents<Document> }> {
  const manifest = await readStoreManifest(dir);
  const { embedder, graph } = manifest;
  const expected = declaredDimension(embeddings) ?? embedder.dimension;
  if (embedder.id !== embedderId(embeddings) || embedder.dimension !== expected)
    throw new IndexError(
      "INDEX_MISMATCH",
      `The store at ${dir} holds vectors of ${embedder.id} (${embedder.dimension} dimensions), not of ${embedderId(embeddings)} (${expected} dimensions).`,
    );
  const file = join(dir, STORE_GRAPH_FILE);
  const size = await stat(file).then(
    (s) => s.size,
    () => -1,
  );
  if (size !== graph.bytes || (await fileChecksum(file)) !== graph.checksum)
    throw new IndexError("INDEX_CORRUPT", `The vector file ${file} does not match its manifest's size and checksum.`);
  const documents = manifest.documents.map(
    (d) =>
      new Document({ pageContent: d.pageContent, metadata: d.metadata, ...(d.id === undefined ? {} : { id: d.id }) }),
  );
  const labels = Uint32Array.from(manifest.documents, (d) => d.label);
  return {
    file,
    dimension: embedder.dimension,
    slots: graph.slots,
    params: manifest.hnsw,
    contents: { documents, labels },
  };
}

/** hnsw-store.json in `dir`, checked for shape and version. */
async function readStoreManifest(dir: string): Promise<StoreManifest> {
  const path = join(dir, STORE_MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (cause) {
    throw new IndexError("INDEX_MISSING", `There is no vector store at ${dir}.`, { cause });
  }
  let manifest: StoreManifest;
  try {
    manifest = validate(storeManifestSchema, JSON.parse(text));
  } catch (cause) {
    throw new IndexError("INDEX_CORRUPT", `The store manifest ${path} is unreadable (${errorMessage(cause)}).`, {
      cause,
    });
  }
  if (manifest.formatVersion !== STORE_FORMAT_VERSION)
    throw new IndexError(
      "INDEX_STALE",
      `The store at ${dir} has format version ${manifest.formatVersion}; this program reads version ${STORE_FORMAT_VERSION}.`,
    );
  return manifest;
}
