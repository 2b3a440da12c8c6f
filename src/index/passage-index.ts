import { existsSync, renameSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { Document } from "@langchain/core/documents";
import { indexedText, type Passage, type PassageMetadata } from "../corpus/passage.js";
import type { PassageEmbedder } from "../embed/embedder.js";
import { IndexError, errorMessage } from "../errors.js";
import { stems } from "../text/analyze.js";
import { sha256File } from "./checksum.js";
import { HnswStore } from "./hnsw-store.js";
import { LexicalIndex } from "./lexical-index.js";
import { INDEX_FORMAT_VERSION, MANIFEST_FILE, PASSAGES_FILE, VECTORS_FILE, manifestProblem, type Manifest } from "./manifest.js";

/** What a stored passage looks like in passages.json. */
export interface StoredPassage {
  readonly text: string;
  readonly metadata: PassageMetadata;
}

/**
 * An opened index: the passages, their HNSW graph and a BM25 index over them, all checked
 * against the manifest. Immutable once opened; a rebuild produces a new one.
 */
export class PassageIndex {
  constructor(
    readonly dir: string,
    readonly manifest: Manifest,
    readonly passages: readonly Passage[],
    readonly dense: HnswStore,
    readonly lexical: LexicalIndex,
  ) {}

  /** Builds the in-memory lexical side from passages (cheaper than storing it). */
  static lexicalFor(passages: readonly Passage[]): LexicalIndex {
    return new LexicalIndex(passages.map((p) => stems(indexedText(p))));
  }
}

const REINDEX_HINT = "Run `npm run reindex` to rebuild it.";

/** The folder a swap moves the old index to; `openIndex` restores it if a swap was cut short. */
export function previousDir(dir: string): string {
  return `${dir}.previous`;
}

/**
 * Opens the index in `dir` for `embedder`. Every failure is an `IndexError` whose message says
 * what is wrong and to reindex: a missing folder (`INDEX_MISSING`), a damaged or inconsistent
 * file (`INDEX_CORRUPT`), an index built by another embedder (`INDEX_MISMATCH`) or by another
 * version of this program (`INDEX_STALE`). Never
 * returns an index whose files disagree with their manifest.
 */
export async function openIndex(dir: string, embedder: PassageEmbedder): Promise<PassageIndex> {
  recoverInterruptedSwap(dir);
  const manifestPath = join(dir, MANIFEST_FILE);
  if (!existsSync(manifestPath)) {
    throw new IndexError("INDEX_MISSING", `There is no index at ${dir}. ${REINDEX_HINT}`);
  }
  let manifest: Manifest;
  try {
    const parsed: unknown = JSON.parse(await readFile(manifestPath, "utf8"));
    const version = (parsed as { formatVersion?: unknown } | null)?.formatVersion;
    if (typeof version === "number" && version !== INDEX_FORMAT_VERSION) {
      throw new IndexError("INDEX_STALE", `The index at ${dir} has format version ${version}; this program reads version ${INDEX_FORMAT_VERSION}. ${REINDEX_HINT}`);
    }
    const problem = manifestProblem(parsed);
    if (problem) throw new Error(problem);
    manifest = parsed as Manifest;
  } catch (cause) {
    if (cause instanceof IndexError) throw cause;
    throw new IndexError("INDEX_CORRUPT", `The index manifest ${manifestPath} is unreadable (${errorMessage(cause)}). ${REINDEX_HINT}`, { cause });
  }
  if (manifest.embedder.id !== embedder.id || manifest.embedder.dimension !== embedder.dimension) {
    throw new IndexError(
      "INDEX_MISMATCH",
      `The index at ${dir} was built with embedder ${manifest.embedder.id} (${manifest.embedder.dimension} dimensions), but the configured embedder is ${embedder.id} (${embedder.dimension} dimensions). ${REINDEX_HINT}`,
    );
  }
  for (const [name, expected] of Object.entries(manifest.files)) {
    const path = join(dir, name);
    const problem = await fileProblem(path, expected.bytes, expected.sha256);
    if (problem) throw new IndexError("INDEX_CORRUPT", `The index file ${path} ${problem}. ${REINDEX_HINT}`);
  }
  const passages = await readPassages(join(dir, PASSAGES_FILE), manifest.passageCount);
  let dense: HnswStore;
  try {
    dense = HnswStore.load(join(dir, VECTORS_FILE), manifest.embedder.dimension, manifest.passageCount, manifest.hnsw);
  } catch (cause) {
    throw new IndexError("INDEX_CORRUPT", `${errorMessage(cause)}. ${REINDEX_HINT}`, { cause });
  }
  return new PassageIndex(dir, manifest, passages, dense, PassageIndex.lexicalFor(passages));
}

async function fileProblem(path: string, bytes: number, sha: string): Promise<string | null> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    return "is missing";
  }
  if (size !== bytes) return `has ${size} bytes but the manifest says ${bytes}`;
  if ((await sha256File(path)) !== sha) return "does not match its checksum";
  return null;
}

async function readPassages(path: string, expected: number): Promise<Passage[]> {
  let stored: unknown;
  try {
    stored = JSON.parse(await readFile(path, "utf8"));
  } catch (cause) {
    throw new IndexError("INDEX_CORRUPT", `The index file ${path} is not valid JSON. ${REINDEX_HINT}`, { cause });
  }
  if (!Array.isArray(stored) || stored.length !== expected) {
    throw new IndexError("INDEX_CORRUPT", `The index file ${path} does not hold the ${expected} passages its manifest lists. ${REINDEX_HINT}`);
  }
  return stored.map((s: StoredPassage, i) => {
    const m = s?.metadata;
    if (typeof s?.text !== "string" || typeof m?.id !== "string" || typeof m.source !== "string" || !Array.isArray(m.sentences)) {
      throw new IndexError("INDEX_CORRUPT", `Passage ${i} in ${path} is malformed. ${REINDEX_HINT}`);
    }
    return new Document({ pageContent: s.text, metadata: m, id: m.id });
  });
}

/**
 * A swap is two renames (current → previous, new → current). If the process died between
 * them, the current folder is gone and the previous one is whole: put it back.
 */
function recoverInterruptedSwap(dir: string): void {
  const previous = previousDir(dir);
  if (!existsSync(dir) && existsSync(join(previous, MANIFEST_FILE))) renameSync(previous, dir);
}
