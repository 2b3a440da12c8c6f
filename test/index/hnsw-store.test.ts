import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Document } from "@langchain/core/documents";
import { Embeddings } from "@langchain/core/embeddings";
import { SyntheticEmbeddings } from "@langchain/core/utils/testing";
import { VectorStore } from "@langchain/core/vectorstores";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LocalEmbeddings } from "../../src/embed/local-embeddings.js";
import { bytesChecksum } from "../../src/index/checksum.js";
import { HnswStore } from "../../src/index/hnsw-store.js";
import { STORE_GRAPH_FILE, STORE_MANIFEST_FILE } from "../../src/index/hnsw-store-files.js";

const texts = [
  "The harbour master counted seven herons at dawn.",
  "Quartermasters inventoried brass telescopes on Thursday.",
  "A delegation discussed tariffs on semiconductors.",
  "Fishing boats returned before the storm reached the coast.",
];
const documents = texts.map(
  (text, i) =>
    new Document({ pageContent: text, metadata: { source: `article-${i}.md`, paragraph: i + 1 }, id: `d${i}` }),
);

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "passage-hnsw-store-"));
});

afterEach(() => rm(dir, { recursive: true, force: true }));

/** An embedder with a fixed id and dimension, as a PassageEmbedder declares them. */
class NamedEmbeddings extends Embeddings {
  constructor(
    readonly id: string,
    readonly dimension: number,
  ) {
    super({});
  }
  override async embedDocuments(texts: string[]): Promise<number[][]> {
    return Promise.all(texts.map((t) => this.embedQuery(t)));
  }
  override async embedQuery(text: string): Promise<number[]> {
    return Array.from({ length: this.dimension }, (_, i) => ((text.charCodeAt(i % text.length) * (i + 1)) % 17) + 1);
  }
}

async function filled(embeddings: Embeddings): Promise<HnswStore> {
  const store = new HnswStore(embeddings);
  await store.addDocuments(documents);
  return store;
}

describe("HnswStore as a LangChain vector store", () => {
  it("takes any LangChain Embeddings, and finds each document by its own text, metadata and all", async () => {
    const store = await filled(new SyntheticEmbeddings({ vectorSize: 16 }));
    expect(store).toBeInstanceOf(VectorStore);
    expect(store._vectorstoreType()).toBe("hnswlib");
    expect(store.dimension).toBe(16);
    for (const [i, text] of texts.entries()) {
      const [[found, similarity] = []] = await store.similaritySearchWithScore(text, 1);
      expect(found).toEqual(documents[i]);
      expect(similarity).toBeCloseTo(1, 5);
    }
    // The standard LangChain seams work on it unchanged.
    expect((await store.asRetriever(2).invoke(texts[2] ?? ""))[0]?.metadata).toEqual({
      source: "article-2.md",
      paragraph: 3,
    });
  });

  it("answers positions on the fast path, most similar first, and keeps only what a filter allows", async () => {
    const embeddings = new LocalEmbeddings({ dimension: 64 });
    const store = await filled(embeddings);
    const query = await embeddings.embedQuery(texts[1] ?? "");
    const hits = store.search(query, 4);
    expect(hits.map((h) => h.index)[0]).toBe(1);
    expect(hits.map((h) => h.similarity)).toEqual([...hits.map((h) => h.similarity)].sort((a, b) => b - a));
    const kept = await store.similaritySearchVectorWithScore(query, 4, (d) => d.metadata.paragraph !== 2);
    expect(kept.map(([d]) => d.id)).not.toContain("d1");
    expect(kept).toHaveLength(3);
  });

  it("returns the ids of what it adds, and refuses vectors of another length", async () => {
    const store = new HnswStore(new LocalEmbeddings({ dimension: 8 }));
    expect(await store.addVectors([[1, 0, 0, 0, 0, 0, 0, 0]], [new Document({ pageContent: "x" })])).toEqual(["0"]);
    expect(await store.addDocuments(documents.slice(0, 2))).toEqual(["d0", "d1"]);
    expect(store.count).toBe(3);
    await expect(store.addVectors([[1, 2]], [new Document({ pageContent: "y" })])).rejects.toMatchObject({
      code: "EMBEDDING_DIMENSION",
    });
    expect(() => store.search([1, 2, 3], 1)).toThrow(/3 dimensions, expected 8/);
  });

  describe("save and load", () => {
    it("round-trip: the loaded store finds the same documents with the same scores", async () => {
      const embeddings = new LocalEmbeddings({ dimension: 32 });
      const store = await filled(embeddings);
      // A folder that does not exist yet: hnswlib alone would report success and write nothing.
      const target = join(dir, "nested", "store");
      await store.save(target);
      const loaded = await HnswStore.load(target, embeddings);
      expect(loaded.count).toBe(4);
      for (const text of texts)
        expect(await loaded.similaritySearchWithScore(text, 3)).toEqual(await store.similaritySearchWithScore(text, 3));
      const manifest = JSON.parse(await readFile(join(target, STORE_MANIFEST_FILE), "utf8"));
      expect(manifest).toMatchObject({ space: "cosine", embedder: { id: embeddings.id, dimension: 32 } });
    });

    it("refuses an embedder of another id or dimension", async () => {
      await (await filled(new NamedEmbeddings("named", 16))).save(dir);
      await expect(HnswStore.load(dir, new NamedEmbeddings("other", 16))).rejects.toMatchObject({
        code: "INDEX_MISMATCH",
        message: expect.stringMatching(/named \(16 dimensions\), not of other/),
      });
      await expect(HnswStore.load(dir, new NamedEmbeddings("named", 8))).rejects.toMatchObject({
        code: "INDEX_MISMATCH",
      });
    });

    it("refuses a graph file of another dimension, even when the manifest's checksum was made to match", async () => {
      await (await filled(new NamedEmbeddings("named", 16))).save(dir);
      const other = join(dir, "other");
      await (await filled(new NamedEmbeddings("named", 8))).save(other);
      const bytes = await readFile(join(other, STORE_GRAPH_FILE));
      await writeFile(join(dir, STORE_GRAPH_FILE), bytes);
      const manifest = JSON.parse(await readFile(join(dir, STORE_MANIFEST_FILE), "utf8"));
      manifest.graph = { ...manifest.graph, bytes: bytes.length, checksum: bytesChecksum(bytes) };
      await writeFile(join(dir, STORE_MANIFEST_FILE), JSON.stringify(manifest));
      await expect(HnswStore.load(dir, new NamedEmbeddings("named", 16))).rejects.toMatchObject({
        code: "INDEX_CORRUPT",
        message: expect.stringMatching(/holds vectors of 8 dimensions, not 16/),
      });
    });

    it("refuses a damaged graph file, a damaged manifest and a missing store, saying which", async () => {
      const embeddings = new NamedEmbeddings("named", 16);
      await (await filled(embeddings)).save(dir);
      const graph = await readFile(join(dir, STORE_GRAPH_FILE));
      await writeFile(join(dir, STORE_GRAPH_FILE), Buffer.alloc(graph.length, 7));
      await expect(HnswStore.load(dir, embeddings)).rejects.toMatchObject({
        code: "INDEX_CORRUPT",
        message: expect.stringMatching(/vectors\.hnsw does not match its manifest's size and checksum/),
      });
      await writeFile(join(dir, STORE_MANIFEST_FILE), JSON.stringify({ formatVersion: 1, space: "cosine" }));
      await expect(HnswStore.load(dir, embeddings)).rejects.toMatchObject({
        code: "INDEX_CORRUPT",
        message: expect.stringMatching(/hnsw-store\.json is unreadable \("embedder" is missing\)/),
      });
      await expect(HnswStore.load(join(dir, "nothing"), embeddings)).rejects.toMatchObject({ code: "INDEX_MISSING" });
    });
  });

  it("opens a graph only with labels that fit it", async () => {
    const embeddings = new NamedEmbeddings("named", 16);
    await (await filled(embeddings)).save(dir);
    const open = (labels: number[]) =>
      HnswStore.open({
        file: join(dir, STORE_GRAPH_FILE),
        embeddings,
        dimension: 16,
        slots: 4,
        params: { m: 20, efConstruction: 100, efSearch: 256 },
        contents: { documents: documents.slice(0, labels.length), labels: Uint32Array.from(labels) },
      });
    expect((await open([3, 2, 1, 0])).count).toBe(4);
    await expect(open([0, 0])).rejects.toMatchObject({ code: "INDEX_CORRUPT", message: /taken twice/ });
    await expect(open([4])).rejects.toMatchObject({ code: "INDEX_CORRUPT", message: /out of range/ });
  });
});
