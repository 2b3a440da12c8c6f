import { z } from "zod";
import type { HnswParams } from "./hnsw-params.js";
import { validate } from "./validate.js";

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

/** The embedder an index was built with (see Manifest.embedder). */
export interface ManifestEmbedder {
  readonly id: string;
  readonly dimension: number;
  readonly provider?: string;
  readonly model?: string;
}

/**
 * Written last, beside the index files: it is what makes a folder an index. Loading checks
 * every field against the files and the embedder in use.
 */
export interface Manifest {
  readonly formatVersion: number;
  /**
   * The embedder that made the vectors: its id (what an index is matched on) and dimension, and
   * where it runs — `provider` "local", "openai" or "ollama" and the remote `model` — for people
   * reading the manifest. Indexes from before remote embedders lack provider and model.
   */
  readonly embedder: ManifestEmbedder;
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

const count = z.int().nonnegative();
const manifestFile = z.object({ bytes: count, checksum: z.string() });

/** manifest.json's shape, fields in the order the build writes them. */
const manifestSchema = z
  .object({
    formatVersion: z.literal(INDEX_FORMAT_VERSION),
    embedder: z.object({
      id: z.string(),
      dimension: count,
      provider: z.string().exactOptional(),
      model: z.string().exactOptional(),
    }),
    space: z.literal("cosine"),
    hnsw: z.object({ m: count, efConstruction: count, efSearch: count }),
    graph: z.object({ slots: count, deleted: count, build: z.enum(["full", "incremental"]), embedded: count }),
    concepts: z.object({ id: z.string() }),
    passageCount: count,
    articleCount: count,
    articles: z.array(z.object({ source: z.string(), title: z.string(), passages: count, sha256: z.string() })),
    corpusChecksum: z.string(),
    builtAt: z.string(),
    buildSeconds: z.number(),
    files: z.record(z.string(), manifestFile),
  })
  .refine((m) => m.graph.slots === m.passageCount + m.graph.deleted, {
    message: "has graph slots that do not add up to its passages and deleted slots",
  })
  .check((ctx) => {
    const missing = INDEX_FILES.find((name) => !(name in ctx.value.files));
    if (missing) ctx.issues.push({ code: "custom", message: `does not list ${missing}`, input: ctx.value });
  }) satisfies z.ZodType<Manifest>;

/** Parsed manifest.json as a Manifest; throws an Error saying what is wrong when it is not one. */
export function parseManifest(json: unknown): Manifest {
  return validate(manifestSchema, json);
}
