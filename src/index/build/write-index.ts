import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setImmediate } from "node:timers/promises";
import type { Passage } from "../../corpus/passage.js";
import type { PassageEmbedder } from "../../embed/embedder.js";
import type { LexicalIndex } from "../bm25/lexical-index.js";
import { bytesChecksum, fileChecksum, sha256 } from "../checksum.js";
import type { HnswBuilder } from "../hnsw-builder.js";
import { HnswStore } from "../hnsw-store.js";
import {
  CONCEPTS_FILE,
  INDEX_FORMAT_VERSION,
  LEXICAL_FILE,
  MANIFEST_FILE,
  type Manifest,
  type ManifestFile,
  PASSAGES_FILE,
  VECTORS_FILE,
} from "../manifest.js";
import { encodePassages } from "../passage-store.js";
import type { PostingsCollector } from "./collect-postings.js";
import type { IndexRecipe } from "./plan-reuse.js";
import type { GraphLayout } from "./prepare-graph.js";
import type { SplitCorpus } from "./split-corpus.js";

/** What writeIndex writes: the linked graph and everything the manifest describes. */
export interface IndexDraft {
  /** The linked graph: written, then closed, here. */
  readonly builder: HnswBuilder;
  readonly corpus: SplitCorpus;
  readonly layout: GraphLayout;
  readonly postings: PostingsCollector;
  readonly embedder: PassageEmbedder;
  readonly recipe: IndexRecipe;
  readonly kind: "full" | "incremental";
  /** performance.now() when the build started, for the manifest's build time. */
  readonly started: number;
}

/** A written index, opened: what a build swaps in. */
export interface WrittenIndex {
  readonly manifest: Manifest;
  readonly dense: HnswStore<Passage>;
  readonly lexical: LexicalIndex;
  readonly concepts: LexicalIndex;
}

/**
 * Writes the index files into `buildDir` (created here), the manifest last: a folder without
 * one is never taken for an index. The worker writes the graph and is closed (two copies are
 * never held at once); then the thread pool reads the graph back, as a later start would, and
 * takes its checksum while this thread finishes the postings and writes them and the passages.
 */
export async function writeIndex(buildDir: string, draft: IndexDraft): Promise<WrittenIndex> {
  const { corpus, layout, embedder, recipe } = draft;
  const { passages, articles } = corpus;
  await mkdir(buildDir, { recursive: true });
  const vectorsPath = join(buildDir, VECTORS_FILE);
  const vectorsBytes = await draft.builder.save(vectorsPath);
  await draft.builder.close();
  const graph = Promise.all([
    HnswStore.open({
      file: vectorsPath,
      embeddings: embedder,
      dimension: recipe.embedder.dimension,
      slots: layout.slots,
      params: recipe.hnsw,
      contents: { documents: passages, labels: layout.labels },
    }),
    fileChecksum(vectorsPath),
  ]);
  graph.catch(() => undefined);
  const { lexical, concepts } = await draft.postings.finish();
  const passagesText = Buffer.from(encodePassages(passages, layout.labels));
  await setImmediate();
  const lexicalBytes = lexical.serialize();
  const conceptBytes = concepts.serialize();
  await writeFile(join(buildDir, PASSAGES_FILE), passagesText);
  await writeFile(join(buildDir, LEXICAL_FILE), lexicalBytes);
  await writeFile(join(buildDir, CONCEPTS_FILE), conceptBytes);
  const [dense, vectorsChecksum] = await graph;
  const files: Record<string, ManifestFile> = {
    [VECTORS_FILE]: { bytes: vectorsBytes, checksum: vectorsChecksum },
    [PASSAGES_FILE]: { bytes: passagesText.length, checksum: bytesChecksum(passagesText) },
    [LEXICAL_FILE]: { bytes: lexicalBytes.length, checksum: bytesChecksum(lexicalBytes) },
    [CONCEPTS_FILE]: { bytes: conceptBytes.length, checksum: bytesChecksum(conceptBytes) },
  };
  const manifest: Manifest = {
    formatVersion: INDEX_FORMAT_VERSION,
    embedder: recipe.embedder,
    space: "cosine",
    hnsw: recipe.hnsw,
    graph: {
      slots: layout.slots,
      deleted: layout.slots - passages.length,
      build: draft.kind,
      embedded: layout.embed.length,
    },
    concepts: { id: recipe.conceptsId },
    passageCount: passages.length,
    articleCount: articles.length,
    articles,
    corpusChecksum: sha256(articles.map((a) => `${a.source}\0${a.sha256}`).join("\n")),
    builtAt: new Date().toISOString(),
    buildSeconds: secondsSince(draft.started),
    files,
  };
  await writeFile(join(buildDir, MANIFEST_FILE), JSON.stringify(manifest, null, 2));
  return { manifest, dense, lexical, concepts };
}

/** Seconds since `started` (a performance.now() reading), to the millisecond. */
export function secondsSince(started: number): number {
  return Math.round(((performance.now() - started) / 1000) * 1000) / 1000;
}
