import type { HnswParams } from "./hnsw-store.js";

/**
 * Bump when the files' layout or meaning changes: an older index is then rebuilt, not misread.
 * 2: HNSW labels are no longer passage positions (passages.json maps them), the graph may hold
 * deleted slots, and the BM25 postings are stored in lexical.bin.
 * 3: files are checked by BLAKE2b-512 (`checksum`) instead of SHA-256.
 * 4: the concept postings are stored in concepts.bin (`concepts` names how they were made).
 */
export const INDEX_FORMAT_VERSION = 4;

export const MANIFEST_FILE = "manifest.json";
export const VECTORS_FILE = "vectors.hnsw";
export const PASSAGES_FILE = "passages.json";
export const LEXICAL_FILE = "lexical.bin";
export const CONCEPTS_FILE = "concepts.bin";

/** Every data file an index folder holds besides its manifest. */
export const INDEX_FILES = [VECTORS_FILE, PASSAGES_FILE, LEXICAL_FILE, CONCEPTS_FILE] as const;

/** One article as the index holds it. */
export interface ManifestArticle {
  readonly source: string;
  readonly title: string;
  readonly passages: number;
  /** SHA-256 of the file's content: tells a later reindex which articles changed. */
  readonly sha256: string;
}

/** A file of the index with the size and checksum it was written with. */
export interface ManifestFile {
  readonly bytes: number;
  /** FILE_CHECKSUM (BLAKE2b-512) of the file, hex. */
  readonly checksum: string;
}

/** How the HNSW graph of an index came to be, and what it holds beyond the passages. */
export interface ManifestGraph {
  /** Points in the graph file, deleted ones included: labels run from 0 to slots - 1. */
  readonly slots: number;
  /** Points marked deleted (removed passages whose slot no new passage has taken yet). */
  readonly deleted: number;
  /** "full": built from scratch; "incremental": the previous graph with changed passages replaced. */
  readonly build: "full" | "incremental";
  /** Passages embedded by this build (all of them for a full build). */
  readonly embedded: number;
}

/**
 * Written last, beside the index files: it is what makes a folder an index. Loading checks
 * every field against the files and the embedder in use.
 */
export interface Manifest {
  readonly formatVersion: number;
  readonly embedder: { readonly id: string; readonly dimension: number };
  readonly space: "cosine";
  readonly hnsw: HnswParams;
  readonly graph: ManifestGraph;
  /** How the concept postings were made (see conceptPostingsId); "none" when they are empty. */
  readonly concepts: { readonly id: string };
  readonly passageCount: number;
  readonly articleCount: number;
  readonly articles: readonly ManifestArticle[];
  /** SHA-256 over the articles' names and checksums: equal corpora have equal checksums. */
  readonly corpusChecksum: string;
  /** ISO 8601. */
  readonly builtAt: string;
  readonly buildSeconds: number;
  readonly files: Readonly<Record<string, ManifestFile>>;
}

/** Checks that parsed JSON has the manifest's shape; returns a reason when it does not. */
export function manifestProblem(value: unknown): string | null {
  if (typeof value !== "object" || value === null) return "it is not a JSON object";
  const m = value as Record<string, unknown>;
  if (m.formatVersion !== INDEX_FORMAT_VERSION)
    return `it has format version ${String(m.formatVersion)}, this program reads ${INDEX_FORMAT_VERSION}`;
  const embedder = m.embedder as Record<string, unknown> | undefined;
  if (typeof embedder?.id !== "string" || typeof embedder.dimension !== "number")
    return "it does not name its embedder";
  if (m.space !== "cosine") return "its vector space is not cosine";
  const hnsw = m.hnsw as Record<string, unknown> | undefined;
  if (typeof hnsw?.m !== "number" || typeof hnsw.efConstruction !== "number" || typeof hnsw.efSearch !== "number")
    return "it lacks the HNSW parameters";
  const graph = m.graph as Record<string, unknown> | undefined;
  if (typeof graph?.slots !== "number" || typeof graph.deleted !== "number" || typeof graph.embedded !== "number")
    return "it lacks the graph's slot counts";
  if (graph.build !== "full" && graph.build !== "incremental") return "it does not say how the graph was built";
  if (typeof (m.concepts as Record<string, unknown> | undefined)?.id !== "string")
    return "it does not say how its concept postings were made";
  for (const key of ["passageCount", "articleCount", "buildSeconds"])
    if (typeof m[key] !== "number") return `"${key}" is missing`;
  if (graph.slots !== (m.passageCount as number) + graph.deleted)
    return "its graph slots do not add up to its passages and deleted slots";
  for (const key of ["corpusChecksum", "builtAt"]) if (typeof m[key] !== "string") return `"${key}" is missing`;
  if (!Array.isArray(m.articles)) return `"articles" is missing`;
  const files = m.files as Record<string, unknown> | undefined;
  if (typeof files !== "object" || files === null) return `"files" is missing`;
  for (const name of INDEX_FILES) {
    const f = files[name] as Record<string, unknown> | undefined;
    if (typeof f?.bytes !== "number" || typeof f.checksum !== "string") return `it does not list ${name}`;
  }
  return null;
}
