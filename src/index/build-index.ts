import { existsSync } from "node:fs";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { setImmediate } from "node:timers/promises";
import { loadCorpus } from "../corpus/load-corpus.js";
import type { SkippedFile } from "../corpus/article.js";
import { indexedText, type Passage } from "../corpus/passage.js";
import { splitArticle } from "../corpus/split-passages.js";
import type { PassageEmbedder } from "../embed/embedder.js";
import { IndexError, PassageError } from "../errors.js";
import { sha256, sha256File } from "./checksum.js";
import { DEFAULT_HNSW_PARAMS, HnswStore, type HnswParams } from "./hnsw-store.js";
import { INDEX_FORMAT_VERSION, MANIFEST_FILE, PASSAGES_FILE, VECTORS_FILE, type Manifest, type ManifestArticle } from "./manifest.js";
import { openIndex, previousDir, type PassageIndex, type StoredPassage } from "./passage-index.js";

/** A step of a build, for progress bars and Discord status edits. */
export interface BuildProgress {
  readonly phase: "read" | "embed" | "graph" | "write";
  readonly done: number;
  readonly total: number;
}

/** What a rebuild changed, against the index it replaced. */
export interface IndexChanges {
  readonly articlesAdded: readonly string[];
  readonly articlesRemoved: readonly string[];
  readonly articlesChanged: readonly string[];
  readonly passagesAdded: number;
  readonly passagesRemoved: number;
}

export interface BuildResult {
  readonly index: PassageIndex;
  readonly skipped: readonly SkippedFile[];
  readonly changes: IndexChanges;
  readonly seconds: number;
}

export interface BuildOptions {
  readonly corpusDir: string;
  readonly indexDir: string;
  readonly embedder: PassageEmbedder;
  readonly hnsw?: HnswParams;
  /** Texts per embedder call: bounds memory and lets progress move. */
  readonly batchSize?: number;
  readonly onProgress?: (progress: BuildProgress) => void;
}

/**
 * Builds an index of every article under `corpusDir` and swaps it in at `indexDir`. The new
 * index is written to a sibling folder and opened (fully verified) before the swap, so a
 * build that fails at any point — unreadable corpus, embedder error, full disk — leaves the
 * index in use exactly as it was.
 */
export async function buildIndex(options: BuildOptions): Promise<BuildResult> {
  const started = performance.now();
  const { corpusDir, indexDir, embedder, onProgress } = options;
  const hnsw = options.hnsw ?? DEFAULT_HNSW_PARAMS;
  const batchSize = options.batchSize ?? 256;

  if (!existsSync(corpusDir)) throw new PassageError("CORPUS_MISSING", `The corpus folder ${corpusDir} does not exist.`);
  const corpus = await loadCorpus(corpusDir);
  const passages: Passage[] = [];
  const articles: ManifestArticle[] = [];
  for (const article of corpus.articles) {
    const ps = splitArticle(article);
    passages.push(...ps);
    articles.push({ source: article.source, title: article.title, passages: ps.length, sha256: sha256(article.content) });
  }
  onProgress?.({ phase: "read", done: corpus.articles.length, total: corpus.articles.length });
  if (passages.length === 0) {
    const why = corpus.skipped.length > 0 ? ` (skipped: ${corpus.skipped.map((s) => `${s.source}: ${s.reason}`).join("; ")})` : "";
    throw new PassageError("CORPUS_EMPTY", `The corpus folder ${corpusDir} has no readable articles${why}. The current index was kept.`);
  }

  const vectors: number[][] = [];
  for (let i = 0; i < passages.length; i += batchSize) {
    const batch = passages.slice(i, i + batchSize).map((p) => indexedText(p));
    const embedded = await options.embedder.embedDocuments(batch);
    if (embedded.length !== batch.length) throw new IndexError("EMBEDDING_COUNT", `the embedder returned ${embedded.length} vectors for ${batch.length} texts`);
    vectors.push(...embedded);
    onProgress?.({ phase: "embed", done: vectors.length, total: passages.length });
    // Local embedding is synchronous work: let the event loop answer questions between batches.
    await setImmediate();
  }

  onProgress?.({ phase: "graph", done: 0, total: passages.length });
  const dense = await HnswStore.build(vectors, embedder.dimension, hnsw, {
    onProgress: (done) => onProgress?.({ phase: "graph", done, total: passages.length }),
  });
  onProgress?.({ phase: "graph", done: passages.length, total: passages.length });

  const previous = await readPreviousManifest(indexDir);
  const buildDir = join(dirname(indexDir), `.${basename(indexDir)}.building-${process.pid}-${Date.now()}`);
  try {
    await mkdir(buildDir, { recursive: true });
    onProgress?.({ phase: "write", done: 0, total: 1 });
    dense.save(join(buildDir, VECTORS_FILE));
    const stored: StoredPassage[] = passages.map((p) => ({ text: p.pageContent, metadata: p.metadata }));
    await writeFile(join(buildDir, PASSAGES_FILE), JSON.stringify(stored));
    const files: Manifest["files"] = {
      [VECTORS_FILE]: await describeFile(join(buildDir, VECTORS_FILE)),
      [PASSAGES_FILE]: await describeFile(join(buildDir, PASSAGES_FILE)),
    };
    const manifest: Manifest = {
      formatVersion: INDEX_FORMAT_VERSION,
      embedder: { id: embedder.id, dimension: embedder.dimension },
      space: "cosine",
      hnsw,
      passageCount: passages.length,
      articleCount: articles.length,
      articles,
      corpusChecksum: sha256(articles.map((a) => `${a.source}\0${a.sha256}`).join("\n")),
      builtAt: new Date().toISOString(),
      buildSeconds: round((performance.now() - started) / 1000),
      files,
    };
    // The manifest goes last: a folder without one is never taken for an index.
    await writeFile(join(buildDir, MANIFEST_FILE), JSON.stringify(manifest, null, 2));
    await openIndex(buildDir, embedder);
    await swapIn(buildDir, indexDir);
    onProgress?.({ phase: "write", done: 1, total: 1 });
  } catch (error) {
    await rm(buildDir, { recursive: true, force: true });
    throw error;
  }
  const index = await openIndex(indexDir, embedder);
  return {
    index,
    skipped: corpus.skipped,
    changes: diffManifests(previous, index.manifest, await countPassageChanges(previous, index)),
    seconds: round((performance.now() - started) / 1000),
  };
}

async function describeFile(path: string): Promise<{ bytes: number; sha256: string }> {
  return { bytes: (await stat(path)).size, sha256: await sha256File(path) };
}

/** Moves `buildDir` to `indexDir`, keeping the old index until the new one is in place. */
async function swapIn(buildDir: string, indexDir: string): Promise<void> {
  const previous = previousDir(indexDir);
  await rm(previous, { recursive: true, force: true });
  if (existsSync(indexDir)) await rename(indexDir, previous);
  await rename(buildDir, indexDir);
  await rm(previous, { recursive: true, force: true });
}

interface PreviousIndex {
  readonly manifest: Manifest;
  readonly passageIds: ReadonlySet<string>;
}

async function readPreviousManifest(indexDir: string): Promise<PreviousIndex | null> {
  try {
    const manifest = JSON.parse(await readFile(join(indexDir, MANIFEST_FILE), "utf8")) as Manifest;
    const stored = JSON.parse(await readFile(join(indexDir, PASSAGES_FILE), "utf8")) as StoredPassage[];
    return { manifest, passageIds: new Set(stored.map((s) => s.metadata.id)) };
  } catch {
    return null; // no usable previous index: everything counts as added
  }
}

async function countPassageChanges(previous: PreviousIndex | null, index: PassageIndex): Promise<{ added: number; removed: number }> {
  const now = new Set(index.passages.map((p) => p.metadata.id));
  const before = previous?.passageIds ?? new Set<string>();
  let added = 0;
  let removed = 0;
  for (const id of now) if (!before.has(id)) added++;
  for (const id of before) if (!now.has(id)) removed++;
  return { added, removed };
}

function diffManifests(previous: PreviousIndex | null, next: Manifest, passages: { added: number; removed: number }): IndexChanges {
  const before = new Map((previous?.manifest.articles ?? []).map((a) => [a.source, a.sha256]));
  const after = new Map(next.articles.map((a) => [a.source, a.sha256]));
  return {
    articlesAdded: [...after.keys()].filter((s) => !before.has(s)),
    articlesRemoved: [...before.keys()].filter((s) => !after.has(s)),
    articlesChanged: [...after].filter(([s, h]) => before.has(s) && before.get(s) !== h).map(([s]) => s),
    passagesAdded: passages.added,
    passagesRemoved: passages.removed,
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
