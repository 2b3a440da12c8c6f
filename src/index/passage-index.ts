import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Passage } from "../corpus/passage.js";
import type { PassageEmbedder } from "../embed/embedder.js";
import { errorMessage, IndexError } from "../errors.js";
import { LexicalIndex } from "./bm25/lexical-index.js";
import { bytesChecksum, fileChecksum } from "./checksum.js";
import { HnswStore } from "./hnsw-store.js";
import { liveOrRoot, recoverOldSwap } from "./index-versions.js";
import {
  CONCEPTS_FILE,
  INDEX_FORMAT_VERSION,
  LEXICAL_FILE,
  MANIFEST_FILE,
  type Manifest,
  PASSAGES_FILE,
  parseManifest,
  VECTORS_FILE,
} from "./manifest.js";
import { decodePassages, type StoredPassages } from "./passage-store.js";

/**
 * An opened index: the passages, their HNSW graph and a BM25 index over them, all checked
 * against the manifest. Immutable once opened; a rebuild produces a new one.
 */
export class PassageIndex {
  constructor(
    readonly dir: string,
    readonly manifest: Manifest,
    readonly passages: readonly Passage[],
    /** The passages' vectors, as a LangChain vector store. */
    readonly dense: HnswStore<Passage>,
    readonly lexical: LexicalIndex,
    /** BM25 postings of the passages' WordNet concepts (empty when `manifest.concepts.id` is "none"). */
    readonly concepts: LexicalIndex,
  ) {}
}

const REINDEX_HINT = "Run `npm run reindex` to rebuild it.";

/**
 * Opens the live index under `indexDir` (the version its `CURRENT` names) for `embedder`. Every failure is an `IndexError` whose message says
 * what is wrong and to reindex: a missing folder (`INDEX_MISSING`), a damaged or inconsistent
 * file (`INDEX_CORRUPT`), an index built by another embedder (`INDEX_MISMATCH`) or by another
 * version of this program (`INDEX_STALE`). Never
 * returns an index whose files disagree with their manifest.
 */
export async function openIndex(indexDir: string, embedder: PassageEmbedder): Promise<PassageIndex> {
  recoverOldSwap(indexDir);
  const dir = liveOrRoot(indexDir);
  const manifest = await readManifest(dir);
  if (manifest.embedder.id !== embedder.id || manifest.embedder.dimension !== embedder.dimension) {
    throw new IndexError(
      "INDEX_MISMATCH",
      `The index at ${indexDir} was built with embedder ${manifest.embedder.id} (${manifest.embedder.dimension} dimensions), but the configured embedder is ${embedder.id} (${embedder.dimension} dimensions).`,
      { remedy: REINDEX_HINT },
    );
  }
  // Every file is checked against its size and checksum before it is parsed; the vector file
  // before hnswlib reads it, since hnswlib trusts what it reads. The graph then loads on the
  // thread pool while this thread checks and parses the passages and the BM25 postings.
  const vectorsPath = await checkedVectorsFile(dir, manifest);
  const stored = readPassages(join(dir, PASSAGES_FILE), manifest);
  const parts = Promise.all([
    stored,
    HnswStore.open({
      file: vectorsPath,
      embeddings: embedder,
      dimension: manifest.embedder.dimension,
      slots: manifest.graph.slots,
      params: manifest.hnsw,
      contents: stored.then(({ passages, labels }) => ({ documents: passages, labels })),
    }),
    readLexical(join(dir, LEXICAL_FILE), manifest),
    readLexical(join(dir, CONCEPTS_FILE), manifest),
  ]);
  try {
    const [{ passages }, dense, lexical, concepts] = await parts;
    return new PassageIndex(dir, manifest, passages, dense, lexical, concepts);
  } catch (cause) {
    throw asCorrupt(cause);
  }
}

/** An index's files short of its graph: what an incremental rebuild starts from. */
export interface IndexFiles {
  readonly manifest: Manifest;
  readonly stored: StoredPassages;
  readonly lexical: LexicalIndex;
  readonly concepts: LexicalIndex;
  /** The graph file, not yet checked: whoever reads it checks it against the manifest first (a build's graph worker does). */
  readonly vectorsPath: string;
}

/**
 * The passages and postings of the index in `dir`, each file checked against `manifest` and
 * parsed, for any embedder: what an incremental build starts from. The graph stays on disk (the
 * build's worker reads it). Throws like `openIndex`.
 */
export async function readIndexData(dir: string, manifest: Manifest, vectorsPath: string): Promise<IndexFiles> {
  try {
    const [stored, lexical, concepts] = await Promise.all([
      readPassages(join(dir, PASSAGES_FILE), manifest),
      readLexical(join(dir, LEXICAL_FILE), manifest),
      readLexical(join(dir, CONCEPTS_FILE), manifest),
    ]);
    return { manifest, stored, lexical, concepts, vectorsPath };
  } catch (cause) {
    throw asCorrupt(cause);
  }
}

/**
 * Checks that every file the manifest lists is in `dir` with the size it records: what a build
 * does before its swap. (The checksums were just taken from these files and bytes; a later
 * start checks them again.) Throws `IndexError("INDEX_CORRUPT")` naming the file.
 */
export async function verifyFiles(dir: string, manifest: Manifest): Promise<void> {
  const written = await readManifest(dir);
  if (JSON.stringify(written.files) !== JSON.stringify(manifest.files))
    throw new IndexError("INDEX_CORRUPT", `The manifest written to ${dir} does not read back as written`);
  for (const [name, file] of Object.entries(manifest.files)) {
    const size = await stat(join(dir, name)).then(
      (s) => s.size,
      () => -1,
    );
    if (size !== file.bytes)
      throw new IndexError(
        "INDEX_CORRUPT",
        `The index file ${join(dir, name)} ${size < 0 ? "is missing" : `has ${size} bytes but the manifest says ${file.bytes}`}`,
      );
  }
}

/**
 * The manifest in `dir` (a version folder, or a build folder), checked for shape and version
 * only (throws like `openIndex`). For the live index use `readLiveManifest`.
 */
export async function readManifest(dir: string): Promise<Manifest> {
  const manifestPath = join(dir, MANIFEST_FILE);
  if (!existsSync(manifestPath)) {
    throw new IndexError("INDEX_MISSING", `There is no index at ${dir}.`, { remedy: REINDEX_HINT });
  }
  try {
    const parsed: unknown = JSON.parse(await readFile(manifestPath, "utf8"));
    const version = (parsed as { formatVersion?: unknown } | null)?.formatVersion;
    if (typeof version === "number" && version !== INDEX_FORMAT_VERSION) {
      throw new IndexError(
        "INDEX_STALE",
        `The index at ${dir} has format version ${version}; this program reads version ${INDEX_FORMAT_VERSION}.`,
        { remedy: REINDEX_HINT },
      );
    }
    return parseManifest(parsed);
  } catch (cause) {
    if (cause instanceof IndexError) throw cause;
    throw new IndexError(
      "INDEX_CORRUPT",
      `The index manifest ${manifestPath} is unreadable (${errorMessage(cause)}).`,
      { cause, remedy: REINDEX_HINT },
    );
  }
}

async function checkedVectorsFile(dir: string, manifest: Manifest): Promise<string> {
  const path = join(dir, VECTORS_FILE);
  const problem = await fileProblem(path, manifest);
  if (problem) throw new IndexError("INDEX_CORRUPT", `The index file ${path} ${problem}.`, { remedy: REINDEX_HINT });
  return path;
}

function asCorrupt(cause: unknown): IndexError {
  if (cause instanceof IndexError && cause.remedy !== null) return cause;
  return new IndexError("INDEX_CORRUPT", `${errorMessage(cause)}.`, { cause, remedy: REINDEX_HINT });
}

/** Why the file at `path` does not match the manifest's record of it, or null when it does. */
async function fileProblem(path: string, manifest: Manifest, bytes?: Buffer): Promise<string | null> {
  const name = path.slice(path.lastIndexOf("/") + 1);
  const expected = manifest.files[name];
  if (!expected) return "is not listed in the manifest";
  let size: number;
  try {
    size = bytes ? bytes.length : (await stat(path)).size;
  } catch {
    return "is missing";
  }
  if (size !== expected.bytes) return `has ${size} bytes but the manifest says ${expected.bytes}`;
  const sum = bytes ? bytesChecksum(bytes) : await fileChecksum(path);
  if (sum !== expected.checksum) return "does not match its checksum";
  return null;
}

/** Reads a data file whole, checked against the manifest. */
async function readChecked(path: string, manifest: Manifest): Promise<Buffer> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    throw new IndexError("INDEX_CORRUPT", `The index file ${path} is missing.`, { cause, remedy: REINDEX_HINT });
  }
  const problem = await fileProblem(path, manifest, bytes);
  if (problem) throw new IndexError("INDEX_CORRUPT", `The index file ${path} ${problem}.`, { remedy: REINDEX_HINT });
  return bytes;
}

async function readPassages(path: string, manifest: Manifest): Promise<StoredPassages> {
  const bytes = await readChecked(path, manifest);
  try {
    return decodePassages(bytes.toString("utf8"), manifest.passageCount);
  } catch (cause) {
    throw new IndexError("INDEX_CORRUPT", `The index file ${path} is unreadable: ${errorMessage(cause)}.`, {
      cause,
      remedy: REINDEX_HINT,
    });
  }
}

async function readLexical(path: string, manifest: Manifest): Promise<LexicalIndex> {
  const bytes = await readChecked(path, manifest);
  let lexical: LexicalIndex;
  try {
    lexical = LexicalIndex.deserialize(bytes);
  } catch (cause) {
    throw new IndexError("INDEX_CORRUPT", `The index file ${path} is unreadable: ${errorMessage(cause)}.`, {
      cause,
      remedy: REINDEX_HINT,
    });
  }
  if (lexical.size !== manifest.passageCount)
    throw new IndexError(
      "INDEX_CORRUPT",
      `The index file ${path} covers ${lexical.size} passages, not ${manifest.passageCount}.`,
      { remedy: REINDEX_HINT },
    );
  return lexical;
}

/** The live index's manifest under `indexDir` (throws like `openIndex`). */
export async function readLiveManifest(indexDir: string): Promise<Manifest> {
  return readManifest(liveOrRoot(indexDir));
}
