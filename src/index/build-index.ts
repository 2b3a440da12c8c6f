import { existsSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { setImmediate } from "node:timers/promises";
import type { SkippedFile } from "../corpus/article.js";
import { loadCorpus } from "../corpus/load-corpus.js";
import type { Passage } from "../corpus/passage.js";
import { splitArticle } from "../corpus/split-passages.js";
import type { ConceptSource, PassageEmbedder } from "../embed/embedder.js";
import { errorMessage, IndexError, PassageError } from "../errors.js";
import { LexicalIndexBuilder } from "./bm25/builder.js";
import { LexicalIndex } from "./bm25/lexical-index.js";
import { bytesChecksum, fileChecksum, sha256 } from "./checksum.js";
import { conceptPostingsId, conceptTokens } from "./concept-postings.js";
import { HnswBuilder } from "./hnsw-builder.js";
import { DEFAULT_HNSW_PARAMS, type HnswParams } from "./hnsw-params.js";
import { HnswStore } from "./hnsw-store.js";
import {
  CONCEPTS_FILE,
  INDEX_FORMAT_VERSION,
  LEXICAL_FILE,
  MANIFEST_FILE,
  type Manifest,
  type ManifestArticle,
  type ManifestFile,
  PASSAGES_FILE,
  VECTORS_FILE,
} from "./manifest.js";
import {
  type IndexFiles,
  lexicalTokens,
  PassageIndex,
  previousDir,
  readIndexData,
  readManifest,
  verifyFiles,
} from "./passage-index.js";
import { encodePassages } from "./passage-store.js";

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
  /** "incremental" when the previous index's vectors were reused, "full" when everything was embedded. */
  readonly kind: "full" | "incremental";
  /** Why the build was full although an index was there to reuse (null for incremental builds, or when there was none). */
  readonly fullBecause: string | null;
  /** Passages embedded and linked by this build. */
  readonly embedded: number;
}

export interface BuildOptions {
  readonly corpusDir: string;
  readonly indexDir: string;
  readonly embedder: PassageEmbedder;
  /**
   * Where the concept postings come from (WordNet for the local embedder). Without one they are
   * stored empty, and a Retriever with a concept source makes its own when it starts.
   */
  readonly concepts?: ConceptSource | null;
  readonly hnsw?: HnswParams;
  /** Texts per embedder call: bounds memory and how long the event loop waits between batches. */
  readonly batchSize?: number;
  /**
   * The index being served from `indexDir`, if any: its passages and postings stand in for
   * reading and checking the previous index's files again (the graph is still read from its
   * file, checked against the manifest). This is what makes /reindex after a small change fast.
   */
  readonly previous?: PassageIndex | null;
  /** "auto" (the default) reuses what it can of the index at `indexDir`; "full" embeds everything. */
  readonly mode?: "auto" | "full";
  readonly onProgress?: (progress: BuildProgress) => void;
}

/**
 * When the graph would hold more deleted slots than this share, a build starts afresh: deleted
 * points still cost search time and (above a quarter or so) degrade hnswlib's recall.
 */
export const MAX_DELETED_SHARE = 0.2;
/**
 * When more than this share of the passages is new, a build starts afresh: replacing most of a
 * graph point by point costs as much as building it and links worse.
 */
export const MAX_CHANGED_SHARE = 0.5;
/** Embedded batches that may wait for the graph worker: bounds memory when linking is the slower side. */
const MAX_BATCHES_IN_FLIGHT = 8;

/**
 * Builds an index of every article under `corpusDir` and swaps it in at `indexDir`.
 *
 * The build is incremental when it can be: passages whose text is unchanged keep their vectors,
 * ids and graph labels (the previous index is the cache, keyed by embedder id and passage
 * text); removed passages are deleted from a copy of the previous graph; only new passages are
 * embedded and linked. It starts afresh when there is no usable previous index (missing,
 * damaged, another embedder or graph parameters) or too much has changed.
 *
 * The new index is written to a sibling folder, its graph read back and every file checked
 * against the manifest before the swap, so a build that fails at any point — unreadable corpus,
 * embedder error, full disk — leaves the index in use exactly as it was. The live files are
 * never written to.
 */
export async function buildIndex(options: BuildOptions): Promise<BuildResult> {
  const started = performance.now();
  const { corpusDir, indexDir, embedder, onProgress } = options;
  const hnsw = options.hnsw ?? DEFAULT_HNSW_PARAMS;
  const batchSize = options.batchSize ?? 128;
  const conceptSource = options.concepts ?? null;
  const conceptsId = conceptPostingsId(conceptSource);

  if (!existsSync(corpusDir))
    throw new PassageError("CORPUS_MISSING", `The corpus folder ${corpusDir} does not exist.`);
  // The previous index is the cache of vectors; a damaged one is never reused, only replaced.
  // Its files are checked and read while the corpus is read; meanwhile the graph worker checks
  // and reads the previous graph (the slow part of an incremental build) on the other core. It
  // is closed again if the build turns out to be full.
  let unreadable: string | null = null;
  const unusable = (error: unknown) => {
    unreadable = `the previous index is unusable (${errorMessage(error)})`;
    return null;
  };
  const previousVectors = join(indexDir, VECTORS_FILE);
  const live =
    options.previous && options.previous.dir === indexDir && existsSync(previousVectors) ? options.previous : null;
  const previousManifest = live
    ? Promise.resolve(live.manifest)
    : existsSync(indexDir)
      ? readManifest(indexDir).catch(unusable)
      : Promise.resolve(null);
  const opening = previousManifest.then((m) => {
    const file = m?.files[VECTORS_FILE];
    return m && file && options.mode !== "full" && compatible(m, embedder, hnsw, conceptsId) === null
      ? HnswBuilder.open(previousVectors, embedder.dimension, m.graph.slots, file)
      : null;
  });
  // Never left rejected without a handler: a graph that cannot be read only makes the build full.
  opening.catch(() => undefined);
  const previousRead: Promise<IndexFiles | null> = live
    ? Promise.resolve({
        manifest: live.manifest,
        stored: { passages: live.passages, labels: live.dense.labelArray() },
        lexical: live.lexical,
        concepts: live.concepts,
        vectorsPath: previousVectors,
      })
    : previousManifest.then((m) => (m ? readIndexData(indexDir, m, previousVectors).catch(unusable) : null));
  let builder: HnswBuilder | null = null;
  const buildDir = join(dirname(indexDir), `.${basename(indexDir)}.building-${process.pid}-${Date.now()}`);
  try {
    const corpus = await loadCorpus(corpusDir);
    const previous = await previousRead;
    // An article whose file is byte for byte the one the previous index was built from splits
    // into the passages it stored (the format version guarantees the same splitter); only the
    // others are split again. A third of a one-article reindex at 100,000 passages was splitting.
    const unchanged = options.mode === "full" ? null : previousPassagesByArticle(previous);
    const passages: Passage[] = [];
    const articles: ManifestArticle[] = [];
    for (const [i, article] of corpus.articles.entries()) {
      const checksum = sha256(article.content);
      const stored = unchanged?.get(article.source);
      const ps =
        stored && stored.sha256 === checksum && stored.title === article.title
          ? stored.passages
          : splitArticle(article);
      passages.push(...ps);
      articles.push({ source: article.source, title: article.title, passages: ps.length, sha256: checksum });
      // Thousands of articles take a while to split: let questions through now and then.
      if (i % 256 === 255) await setImmediate();
    }
    onProgress?.({ phase: "read", done: corpus.articles.length, total: corpus.articles.length });
    if (passages.length === 0) {
      const why =
        corpus.skipped.length > 0
          ? ` (skipped: ${corpus.skipped.map((s) => `${s.source}: ${s.reason}`).join("; ")})`
          : "";
      throw new PassageError(
        "CORPUS_EMPTY",
        `The corpus folder ${corpusDir} has no readable articles${why}. The current index was kept.`,
      );
    }

    const planned =
      options.mode === "full"
        ? { plan: null, because: "a full build was asked for" }
        : previous
          ? planReuse(previous, passages, embedder, hnsw, conceptsId)
          : { plan: null, because: unreadable };
    let plan = planned.plan;
    let because = planned.because;
    const opened = await opening.then(
      (o) => o?.builder ?? null,
      (error: unknown) => {
        because ??= `the previous index is unusable (${errorMessage(error)})`;
        return null;
      },
    );
    if (plan && opened) builder = opened;
    else {
      plan = null;
      await opened?.close();
    }

    await mkdir(buildDir, { recursive: true });
    let slots: number;
    let labels: Uint32Array;
    let todo: number[];
    if (plan && builder) {
      ({ slots, labels } = plan);
      todo = plan.embed;
      await builder.reserve(slots);
      await builder.markDeleted(plan.removed);
    } else {
      slots = passages.length;
      labels = Uint32Array.from(passages, (_, i) => i);
      todo = passages.map((_, i) => i);
      builder = await HnswBuilder.create(embedder.dimension, hnsw, passages.length);
    }
    // The BM25 and concept postings of the passages being embedded are made batch by batch on
    // this thread while the worker links (it is the slower side), not in one stall at the end.
    const fresh = plan === null;
    const lexicalBuilder = fresh ? new LexicalIndexBuilder(passages.length) : null;
    const conceptBuilder = fresh ? new LexicalIndexBuilder(passages.length) : null;
    const addedLexical = new Map<number, string[]>();
    const addedConcepts = new Map<number, string[]>();
    const tokenize = (batch: readonly number[]) => {
      for (const position of batch) {
        const passage = passages[position] as Passage;
        const words = lexicalTokens(passage);
        const concepts = conceptSource ? conceptTokens(passage.pageContent, conceptSource) : [];
        if (lexicalBuilder && conceptBuilder) {
          lexicalBuilder.add(position, words);
          conceptBuilder.add(position, concepts);
        } else {
          addedLexical.set(position, words);
          addedConcepts.set(position, concepts);
        }
      }
    };
    await embedAndLink(builder, embedder, passages, todo, labels, batchSize, tokenize, onProgress);

    // The worker writes the graph and is closed (two copies are never held at once); then the
    // thread pool reads the graph back, as a later start would, and takes its checksum while
    // this thread writes the passages and the BM25 postings.
    onProgress?.({ phase: "write", done: 0, total: 1 });
    const vectorsPath = join(buildDir, VECTORS_FILE);
    const vectorsBytes = await builder.save(vectorsPath);
    await builder.close();
    builder = null;
    const graph = Promise.all([
      HnswStore.open({
        file: vectorsPath,
        embeddings: embedder,
        dimension: embedder.dimension,
        slots,
        params: hnsw,
        contents: { documents: passages, labels },
      }),
      fileChecksum(vectorsPath),
    ]);
    graph.catch(() => undefined);
    // Each step takes up to a second at 100,000 passages: questions are let through between them.
    const derived = plan && previous ? { plan, previous } : null;
    const lexical = derived
      ? LexicalIndex.derive(derived.previous.lexical, derived.plan.keep, passages.length, addedLexical)
      : await (lexicalBuilder as LexicalIndexBuilder).buildAsync();
    await setImmediate();
    const concepts = derived
      ? LexicalIndex.derive(derived.previous.concepts, derived.plan.keep, passages.length, addedConcepts)
      : await (conceptBuilder as LexicalIndexBuilder).buildAsync();
    await setImmediate();
    const passagesText = Buffer.from(encodePassages(passages, labels));
    await setImmediate();
    const lexicalBytes = lexical.serialize();
    const conceptBytes = concepts.serialize();
    await writeFile(join(buildDir, PASSAGES_FILE), passagesText);
    await writeFile(join(buildDir, LEXICAL_FILE), lexicalBytes);
    await writeFile(join(buildDir, CONCEPTS_FILE), conceptBytes);
    const [dense, vectorsSha] = await graph;
    const vectorsFile = { bytes: vectorsBytes, checksum: vectorsSha };
    const files: Record<string, ManifestFile> = {
      [VECTORS_FILE]: vectorsFile,
      [PASSAGES_FILE]: { bytes: passagesText.length, checksum: bytesChecksum(passagesText) },
      [LEXICAL_FILE]: { bytes: lexicalBytes.length, checksum: bytesChecksum(lexicalBytes) },
      [CONCEPTS_FILE]: { bytes: conceptBytes.length, checksum: bytesChecksum(conceptBytes) },
    };
    const manifest: Manifest = {
      formatVersion: INDEX_FORMAT_VERSION,
      embedder: { id: embedder.id, dimension: embedder.dimension },
      space: "cosine",
      hnsw,
      graph: { slots, deleted: slots - passages.length, build: plan ? "incremental" : "full", embedded: todo.length },
      concepts: { id: conceptsId },
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
    // Check every file on disk against the manifest before the swap.
    await verifyFiles(buildDir, manifest);
    await swapIn(buildDir, indexDir);
    onProgress?.({ phase: "write", done: 1, total: 1 });
    const index = new PassageIndex(indexDir, manifest, passages, dense, lexical, concepts);
    return {
      index,
      skipped: corpus.skipped,
      changes: diff(previous, index),
      seconds: round((performance.now() - started) / 1000),
      kind: plan ? "incremental" : "full",
      fullBecause: plan ? null : because,
      embedded: todo.length,
    };
  } catch (error) {
    // Close whichever graph worker is still open (closing one twice is harmless).
    await builder?.close();
    await (await opening.catch(() => null))?.builder.close();
    await rm(buildDir, { recursive: true, force: true });
    throw error;
  }
}

/** How an incremental build turns the previous graph into the new one. */
interface ReusePlan {
  /** Label of each new passage's vector. */
  readonly labels: Uint32Array;
  /** Positions of the passages to embed (no unchanged passage had their text). */
  readonly embed: number[];
  /** Labels of the previous passages that are gone: to be marked deleted (new passages may reuse them). */
  readonly removed: number[];
  /** `keep[old]`: the new position of previous passage `old`, or -1. */
  readonly keep: Int32Array;
  /** Points in the new graph, deleted ones included. */
  readonly slots: number;
}

/** The previous index's passages by article, with the checksum of the file they were split from. */
function previousPassagesByArticle(
  previous: IndexFiles | null,
): Map<string, { sha256: string; title: string; passages: Passage[] }> | null {
  if (!previous) return null;
  const byArticle = new Map<string, { sha256: string; title: string; count: number; passages: Passage[] }>();
  for (const a of previous.manifest.articles)
    byArticle.set(a.source, { sha256: a.sha256, title: a.title, count: a.passages, passages: [] });
  for (const p of previous.stored.passages) byArticle.get(p.metadata.source)?.passages.push(p);
  // An article whose stored passages do not add up is split again.
  for (const [source, a] of byArticle) if (a.passages.length !== a.count) byArticle.delete(source);
  return byArticle;
}

/** Why the previous index's vectors and graph cannot be reused by this build, or null when they can. */
function compatible(m: Manifest, embedder: PassageEmbedder, hnsw: HnswParams, conceptsId: string): string | null {
  if (m.embedder.id !== embedder.id || m.embedder.dimension !== embedder.dimension)
    return "the previous index was built by another embedder";
  if (m.hnsw.m !== hnsw.m || m.hnsw.efConstruction !== hnsw.efConstruction) return "the HNSW parameters changed";
  if (m.concepts.id !== conceptsId) return "the concept postings were made from another source";
  return null;
}

/**
 * Matches the new passages to the previous index's by text (the vector depends only on the
 * text and the embedder), or says why the build must be full.
 */
function planReuse(
  previous: IndexFiles,
  passages: readonly Passage[],
  embedder: PassageEmbedder,
  hnsw: HnswParams,
  conceptsId: string,
): { plan: ReusePlan | null; because: string | null } {
  const m = previous.manifest;
  const incompatible = compatible(m, embedder, hnsw, conceptsId);
  if (incompatible) return { plan: null, because: incompatible };
  // Previous passages by text, each text with the stack of (label, position) that carried it.
  const byText = new Map<string, { label: number; position: number }[]>();
  previous.stored.passages.forEach((p, position) => {
    const text = p.pageContent;
    let list = byText.get(text);
    if (!list) {
      list = [];
      byText.set(text, list);
    }
    list.push({ label: previous.stored.labels[position] ?? 0, position });
  });
  const labels = new Uint32Array(passages.length);
  const keep = new Int32Array(previous.stored.passages.length).fill(-1);
  const embed: number[] = [];
  passages.forEach((p, i) => {
    const hit = byText.get(p.pageContent)?.shift();
    if (hit) {
      labels[i] = hit.label;
      keep[hit.position] = i;
    } else embed.push(i);
  });
  const removed = [...byText.values()].flatMap((list) => list.map((h) => h.label)).sort((a, b) => a - b);
  // New passages take free slots first (those deleted by earlier builds, then the ones removed
  // now), then new ones at the end.
  const used = new Uint8Array(m.graph.slots);
  for (const label of previous.stored.labels) used[label] = 1;
  const free: number[] = [];
  used.forEach((u, label) => {
    if (u === 0) free.push(label);
  });
  free.push(...removed);
  let slots = m.graph.slots;
  embed.forEach((position, j) => {
    labels[position] = free[j] ?? slots++;
  });
  const deleted = slots - passages.length;
  if (embed.length > passages.length * MAX_CHANGED_SHARE)
    return { plan: null, because: `${embed.length} of ${passages.length} passages are new` };
  if (deleted > slots * MAX_DELETED_SHARE)
    return { plan: null, because: `${deleted} of ${slots} graph slots would be deleted points` };
  return { plan: { labels, embed, removed, keep, slots }, because: null };
}

/**
 * Embeds the passages at `todo` in batches on this thread and hands each batch to the graph
 * worker, which links it while the next batch is embedded. Between batches the event loop
 * runs, so a server keeps answering questions during a rebuild.
 */
async function embedAndLink(
  builder: HnswBuilder,
  embedder: PassageEmbedder,
  passages: readonly Passage[],
  todo: readonly number[],
  labels: Uint32Array,
  batchSize: number,
  /** Called with each batch's positions once it is embedded, while the worker links it. */
  alongside: (batch: readonly number[]) => void,
  onProgress: ((p: BuildProgress) => void) | undefined,
): Promise<void> {
  const total = todo.length;
  let embedded = 0;
  let linked = 0;
  let failure: unknown = null;
  const inFlight: Promise<void>[] = [];
  onProgress?.({ phase: "embed", done: 0, total });
  for (let i = 0; i < total; i += batchSize) {
    const batch = todo.slice(i, i + batchSize);
    const vectors = await embedder.embedDocuments(batch.map((p) => (passages[p] as Passage).pageContent));
    if (vectors.length !== batch.length)
      throw new IndexError(
        "EMBEDDING_COUNT",
        `the embedder returned ${vectors.length} vectors for ${batch.length} texts`,
      );
    const add = builder.add(
      vectors,
      batch.map((p) => labels[p] ?? 0),
      embedder.dimension,
    );
    // Never left rejected without a handler while this loop awaits something else.
    inFlight.push(
      add.then(
        () => {
          linked += batch.length;
          if (embedded === total) onProgress?.({ phase: "graph", done: linked, total });
        },
        (error: unknown) => {
          failure ??= error;
        },
      ),
    );
    alongside(batch);
    embedded += batch.length;
    onProgress?.({ phase: "embed", done: embedded, total });
    if (failure) throw failure;
    while (inFlight.length >= MAX_BATCHES_IN_FLIGHT) await inFlight.shift();
    // Local embedding is synchronous work: let the event loop answer questions between batches.
    await setImmediate();
  }
  onProgress?.({ phase: "graph", done: linked, total });
  await Promise.all(inFlight);
  if (failure) throw failure;
  onProgress?.({ phase: "graph", done: total, total });
}

/** Moves `buildDir` to `indexDir`, keeping the old index until the new one is in place. */
async function swapIn(buildDir: string, indexDir: string): Promise<void> {
  const previous = previousDir(indexDir);
  await rm(previous, { recursive: true, force: true });
  if (existsSync(indexDir)) await rename(indexDir, previous);
  await rename(buildDir, indexDir);
  await rm(previous, { recursive: true, force: true });
}

/** What changed against the previous index (everything counts as added when there was none, or it was unreadable). */
function diff(previous: IndexFiles | null, index: PassageIndex): IndexChanges {
  const before = new Map((previous?.manifest.articles ?? []).map((a) => [a.source, a.sha256]));
  const after = new Map(index.manifest.articles.map((a) => [a.source, a.sha256]));
  const idsBefore = new Set((previous?.stored.passages ?? []).map((p) => p.metadata.id));
  const idsNow = new Set(index.passages.map((p) => p.metadata.id));
  let passagesAdded = 0;
  let passagesRemoved = 0;
  for (const id of idsNow) if (!idsBefore.has(id)) passagesAdded++;
  for (const id of idsBefore) if (!idsNow.has(id)) passagesRemoved++;
  return {
    articlesAdded: [...after.keys()].filter((s) => !before.has(s)),
    articlesRemoved: [...before.keys()].filter((s) => !after.has(s)),
    articlesChanged: [...after].filter(([s, h]) => before.has(s) && before.get(s) !== h).map(([s]) => s),
    passagesAdded,
    passagesRemoved,
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
