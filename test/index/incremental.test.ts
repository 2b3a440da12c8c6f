import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  articleSentences,
  wordnetTopics,
  wordnetVocabulary,
  writeSyntheticCorpus,
} from "../../scripts/lib/bench/synthetic-corpus.js";
import { LocalEmbeddings } from "../../src/embed/local-embeddings.js";
import { WordNet } from "../../src/embed/wordnet/wordnet.js";
import { buildIndex } from "../../src/index/build-index.js";
import { conceptPostingsId } from "../../src/index/concept-postings.js";
import { IndexManager } from "../../src/index/index-manager.js";
import { CONCEPTS_FILE, LEXICAL_FILE, MANIFEST_FILE, PASSAGES_FILE, VECTORS_FILE } from "../../src/index/manifest.js";
import { openIndex, type PassageIndex } from "../../src/index/passage-index.js";
import { ConceptIndex } from "../../src/retrieval/concept-index.js";
import { live } from "../helpers/live-index.js";

const SEED = new URL("../../corpus/blinken-china-visit.md", import.meta.url).pathname;
// Small vectors keep the suite fast; incremental builds do not depend on the dimension.
const embedder = new LocalEmbeddings({ dimension: 128 });
let template: string;
let root: string;
let corpus: string;
let indexDir: string;

beforeAll(async () => {
  template = await mkdtemp(join(tmpdir(), "passage-incremental-corpus-"));
  const sentences = articleSentences("seed.md", await readFile(SEED, "utf8"));
  await writeSyntheticCorpus(template, {
    seed: 3,
    passages: 400,
    sentences,
    vocabulary: wordnetVocabulary(),
    topics: wordnetTopics(),
  });
});

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "passage-incremental-"));
  corpus = join(root, "corpus");
  indexDir = join(root, "data", "index");
  await cp(template, corpus, { recursive: true });
});

// Each test's folder holds a 400-passage index: left behind, a few hundred runs fill a disk.
afterEach(() => rm(root, { recursive: true, force: true }));
afterAll(() => rm(template, { recursive: true, force: true }));

async function articles(): Promise<string[]> {
  return (await readdir(join(corpus, "000"))).sort().map((f) => join(corpus, "000", f));
}

/** Rewrites the second paragraph of an article; returns its old and new text. */
async function changeParagraph(file: string): Promise<{ before: string; after: string }> {
  const lines = (await readFile(file, "utf8")).split("\n");
  const at = lines.findIndex((l, i) => i > 3 && l.length > 0) + 1;
  const before = lines[at] ?? "";
  const after = "Quartermasters inventoried the lighthouse's brass telescopes on Thursday.";
  lines[at] = after;
  await writeFile(file, lines.join("\n"));
  return { before, after };
}

function byId(index: PassageIndex): Map<string, number> {
  return new Map(index.passages.map((p, i) => [p.metadata.id, i]));
}

async function topHit(index: PassageIndex, text: string): Promise<string | undefined> {
  const position = index.dense.search(await embedder.embedQuery(text), 1)[0]?.index;
  return position === undefined ? undefined : index.passages[position]?.metadata.id;
}

/** The text of the nearest passage (two passages may share a text, and then either is right). */
async function topText(index: PassageIndex, text: string): Promise<string | undefined> {
  const position = index.dense.search(await embedder.embedQuery(text), 1)[0]?.index;
  return position === undefined ? undefined : index.passages[position]?.pageContent;
}

describe("incremental reindex", () => {
  it("keeps the ids and vectors of unchanged passages, drops removed ones and finds added ones", async () => {
    const first = await buildIndex({ corpusDir: corpus, indexDir, embedder });
    expect(first.kind).toBe("full");
    const [one, two] = await articles();
    const changed = await changeParagraph(one ?? "");
    await rm(two ?? "");
    await writeFile(
      join(corpus, "new.md"),
      "---\ntitle: New\n---\nA heron stood in the shallow estuary at dawn.\nThe tide turned before noon.\n",
    );

    const second = await buildIndex({ corpusDir: corpus, indexDir, embedder });
    expect(second.kind).toBe("incremental");
    expect(second.embedded).toBe(3);
    const removedIds = first.index.passages
      .filter((p) => p.metadata.source === "000/article-000001.md" || p.pageContent === changed.before)
      .map((p) => p.metadata.id);
    expect(second.changes).toEqual({
      articlesAdded: ["new.md"],
      articlesRemoved: ["000/article-000001.md"],
      articlesChanged: ["000/article-000000.md"],
      passagesAdded: 3,
      passagesRemoved: removedIds.length,
    });

    const before = byId(first.index);
    const after = byId(second.index);
    let kept = 0;
    for (const [id, position] of after) {
      const old = before.get(id);
      if (old === undefined) continue;
      kept++;
      expect(second.index.dense.label(position)).toBe(first.index.dense.label(old));
      expect(second.index.dense.vector(position)).toEqual(first.index.dense.vector(old));
    }
    expect(kept).toBe(second.index.passages.length - 3);

    for (const id of removedIds) expect(after.has(id)).toBe(false);
    // Removed passages are no longer found, even by their own text.
    const removedText = first.index.passages[before.get(removedIds[0] ?? "") ?? -1]?.pageContent ?? "";
    const hits = second.index.dense
      .search(await embedder.embedQuery(removedText), 10)
      .map((h) => second.index.passages[h.index]?.metadata.id);
    expect(hits).not.toContain(removedIds[0]);
    // Added passages are found by their text, densely and lexically.
    const heron = second.index.passages.findIndex((p) => p.pageContent.startsWith("A heron"));
    expect(await topHit(second.index, "A heron stood in the shallow estuary at dawn.")).toBe(
      second.index.passages[heron]?.metadata.id,
    );
    expect(await topHit(second.index, changed.after)).toBe(
      second.index.passages.find((p) => p.pageContent === changed.after)?.metadata.id,
    );

    // What was served is what a later start opens.
    const reopened = await openIndex(indexDir, embedder);
    expect(reopened.passages.map((p) => p.metadata.id)).toEqual(second.index.passages.map((p) => p.metadata.id));
    expect(reopened.manifest.graph).toMatchObject({ build: "incremental", embedded: 3 });
  });

  it("gives the same index content as a full rebuild of the same corpus", async () => {
    const concepts = WordNet.open();
    await buildIndex({ corpusDir: corpus, indexDir, embedder, concepts });
    const [one, two, three] = await articles();
    await changeParagraph(one ?? "");
    await changeParagraph(three ?? "");
    await rm(two ?? "");
    const incremental = (await buildIndex({ corpusDir: corpus, indexDir, embedder, concepts })).index;
    const fullDir = join(root, "full");
    const full = (await buildIndex({ corpusDir: corpus, indexDir: fullDir, embedder, concepts, mode: "full" })).index;

    expect(incremental.manifest.graph.build).toBe("incremental");
    expect(full.manifest.graph.build).toBe("full");
    expect(incremental.passages.map((p) => [p.metadata, p.pageContent])).toEqual(
      full.passages.map((p) => [p.metadata, p.pageContent]),
    );
    expect(incremental.manifest.corpusChecksum).toBe(full.manifest.corpusChecksum);
    // BM25 is the same to the byte; the graphs differ in layout but find the same passages.
    expect(
      (await readFile(join(live(indexDir), LEXICAL_FILE))).equals(await readFile(join(live(fullDir), LEXICAL_FILE))),
    ).toBe(true);
    // So are the stored concept postings, and they are what a Retriever would make from the passages.
    expect(full.manifest.concepts.id).toBe(conceptPostingsId(concepts));
    expect(full.concepts.size).toBe(full.passages.length);
    expect(
      (await readFile(join(live(indexDir), CONCEPTS_FILE))).equals(await readFile(join(live(fullDir), CONCEPTS_FILE))),
    ).toBe(true);
    expect(full.concepts.serialize().equals(ConceptIndex.of(full.passages, concepts).postings.serialize())).toBe(true);
    for (const p of full.passages) {
      expect(await topText(incremental, p.pageContent)).toBe(p.pageContent);
      expect(await topText(full, p.pageContent)).toBe(p.pageContent);
      expect(incremental.dense.vector(byId(incremental).get(p.metadata.id) ?? -1)).toEqual(
        full.dense.vector(byId(full).get(p.metadata.id) ?? -1),
      );
    }
  });

  it("reuses the index being served instead of reading its files again, and gives what a full build gives", async () => {
    const manager = new IndexManager(corpus, indexDir, embedder);
    await manager.openOrBuild();
    const [one] = await articles();
    await changeParagraph(one ?? "");
    // Damage the served index's passages file on disk: a rebuild that read it would go full.
    await writeFile(join(live(indexDir), PASSAGES_FILE), "{}");
    const rebuilt = await manager.rebuild();
    expect(rebuilt).toMatchObject({ kind: "incremental", fullBecause: null });
    expect(rebuilt.embedded).toBeLessThan(5);
    const reopened = await openIndex(indexDir, embedder);
    const full = (await buildIndex({ corpusDir: corpus, indexDir: join(root, "full"), embedder, mode: "full" })).index;
    expect(reopened.passages.map((p) => [p.metadata, p.pageContent])).toEqual(
      full.passages.map((p) => [p.metadata, p.pageContent]),
    );
    expect(reopened.lexical.serialize().equals(full.lexical.serialize())).toBe(true);
  });

  it("does not reuse a served index once another process has made a new version live", async () => {
    const manager = new IndexManager(corpus, indexDir, embedder);
    await manager.openOrBuild();
    // Another process rebuilds the folder (another graph) behind the server's back: the next
    // build starts from what is live on disk, not from the stale index in memory.
    await buildIndex({
      corpusDir: corpus,
      indexDir,
      embedder,
      mode: "full",
      hnsw: { m: 8, efConstruction: 50, efSearch: 32 },
    });
    const [one] = await articles();
    await changeParagraph(one ?? "");
    const rebuilt = await manager.rebuild();
    expect(rebuilt).toMatchObject({ kind: "full", fullBecause: "the HNSW parameters changed" });
    for (const p of rebuilt.index.passages.slice(0, 20))
      expect(await topText(rebuilt.index, p.pageContent)).toBe(p.pageContent);
  });

  it("reuses deleted slots for new passages, and starts afresh when too many slots would be deleted", async () => {
    await buildIndex({ corpusDir: corpus, indexDir, embedder });
    const files = await articles();
    await rm(files[0] ?? "");
    const shrunk = await buildIndex({ corpusDir: corpus, indexDir, embedder });
    expect(shrunk.kind).toBe("incremental");
    const deleted = shrunk.index.manifest.graph.deleted;
    expect(deleted).toBeGreaterThan(0);
    expect(shrunk.index.manifest.graph.slots).toBe(shrunk.index.passages.length + deleted);

    await writeFile(join(corpus, "new.md"), "---\ntitle: New\n---\nOne.\nTwo.\n");
    const grown = await buildIndex({ corpusDir: corpus, indexDir, embedder });
    expect(grown.index.manifest.graph).toMatchObject({
      build: "incremental",
      deleted: deleted - 2,
      slots: shrunk.index.manifest.graph.slots,
    });

    // Removing most of the corpus would leave a graph of mostly deleted points.
    for (const f of files.slice(1, Math.ceil(files.length * 0.6))) await rm(f);
    const rebuilt = await buildIndex({ corpusDir: corpus, indexDir, embedder });
    expect(rebuilt.kind).toBe("full");
    expect(rebuilt.fullBecause).toMatch(/deleted/);
    expect(rebuilt.index.manifest.graph).toMatchObject({ deleted: 0, slots: rebuilt.index.passages.length });
  });

  describe("a damaged previous index is never reused: the build starts afresh", () => {
    const damage: Record<string, (dir: string) => Promise<void>> = {
      "a vector file of garbage": async (dir) =>
        writeFile(join(dir, VECTORS_FILE), Buffer.alloc((await readFile(join(dir, VECTORS_FILE))).length, 7)),
      "passages.json with other labels": async (dir) => {
        // Valid JSON of the right shape, only the checksum tells: the cache must not be trusted.
        const stored = JSON.parse(await readFile(join(dir, PASSAGES_FILE), "utf8"));
        stored.passages.reverse();
        await writeFile(join(dir, PASSAGES_FILE), JSON.stringify(stored));
      },
      "a truncated lexical file": async (dir) =>
        writeFile(join(dir, LEXICAL_FILE), (await readFile(join(dir, LEXICAL_FILE))).subarray(0, 100)),
      "a manifest that is not JSON": async (dir) => writeFile(join(dir, MANIFEST_FILE), "]["),
    };
    for (const [what, apply] of Object.entries(damage)) {
      it(what, async () => {
        await buildIndex({ corpusDir: corpus, indexDir, embedder });
        await changeParagraph((await articles())[0] ?? "");
        await apply(live(indexDir));
        const rebuilt = await buildIndex({ corpusDir: corpus, indexDir, embedder });
        expect(rebuilt.kind).toBe("full");
        expect(rebuilt.fullBecause).toMatch(/previous index is unusable/);
        const fresh = await buildIndex({ corpusDir: corpus, indexDir: join(root, "fresh"), embedder, mode: "full" });
        expect(rebuilt.index.passages.map((p) => p.metadata.id)).toEqual(
          fresh.index.passages.map((p) => p.metadata.id),
        );
        for (const p of fresh.index.passages.slice(0, 50))
          expect(await topText(rebuilt.index, p.pageContent)).toBe(p.pageContent);
      });
    }

    it("an index whose concept postings were made otherwise is rebuilt in full", async () => {
      await buildIndex({ corpusDir: corpus, indexDir, embedder });
      const rebuilt = await buildIndex({ corpusDir: corpus, indexDir, embedder, concepts: WordNet.open() });
      expect(rebuilt).toMatchObject({ kind: "full", fullBecause: expect.stringMatching(/concept postings/) });
      expect(rebuilt.index.concepts.size).toBe(rebuilt.index.passages.length);
    });

    it("an index built by another embedder is rebuilt in full", async () => {
      await buildIndex({ corpusDir: corpus, indexDir, embedder: new LocalEmbeddings({ dimension: 64 }) });
      const rebuilt = await buildIndex({ corpusDir: corpus, indexDir, embedder });
      expect(rebuilt).toMatchObject({ kind: "full", fullBecause: expect.stringMatching(/another embedder/) });
    });
  });

  it("a failing incremental build leaves the old index intact", async () => {
    await buildIndex({ corpusDir: corpus, indexDir, embedder });
    const manifest = await readFile(join(live(indexDir), MANIFEST_FILE), "utf8");
    const vectors = await readFile(join(live(indexDir), VECTORS_FILE));
    await changeParagraph((await articles())[0] ?? "");
    const failing = new (class extends LocalEmbeddings {
      override async embedDocuments(): Promise<number[][]> {
        throw new Error("embedding service fell over");
      }
    })({ dimension: 128 });
    await expect(buildIndex({ corpusDir: corpus, indexDir, embedder: failing })).rejects.toThrow(/fell over/);
    expect(await readFile(join(live(indexDir), MANIFEST_FILE), "utf8")).toBe(manifest);
    expect((await readFile(join(live(indexDir), VECTORS_FILE))).equals(vectors)).toBe(true);
    expect((await readdir(join(root, "data"))).sort()).toEqual(["index"]);
    expect((await openIndex(indexDir, embedder)).manifest.graph.build).toBe("full");
  });
});
