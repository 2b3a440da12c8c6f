import { existsSync } from "node:fs";
import { cp, mkdtemp, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LocalEmbeddings } from "../../src/embed/local-embeddings.js";
import { buildIndex } from "../../src/index/build-index.js";
import { MANIFEST_FILE, PASSAGES_FILE, VECTORS_FILE } from "../../src/index/manifest.js";
import { openIndex } from "../../src/index/passage-index.js";
import { live } from "../helpers/live-index.js";

const CORPUS = new URL("../../corpus", import.meta.url).pathname;
const embedder = new LocalEmbeddings();
let root: string;
let indexDir: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "passage-index-"));
  indexDir = join(root, "data", "index");
});

afterEach(() => rm(root, { recursive: true, force: true }));

/** An embedder that works for `okBatches` calls, then fails: a build that dies midway. */
class FailingEmbeddings extends LocalEmbeddings {
  calls = 0;
  constructor(private readonly okBatches: number) {
    super();
  }
  override async embedDocuments(documents: string[]): Promise<number[][]> {
    if (this.calls++ >= this.okBatches) throw new Error("embedding service fell over");
    return super.embedDocuments(documents);
  }
}

describe("buildIndex and openIndex", () => {
  it("round-trips: the opened index holds the built passages, manifest and searchable vectors", async () => {
    const built = await buildIndex({ corpusDir: CORPUS, indexDir, embedder });
    const index = await openIndex(indexDir, embedder);
    expect(index.manifest).toMatchObject({
      formatVersion: 4,
      space: "cosine",
      articleCount: 1,
      passageCount: 31,
      embedder: { id: embedder.id, dimension: 512 },
    });
    expect(index.manifest.corpusChecksum).toMatch(/^[0-9a-f]{64}$/);
    expect(Date.parse(index.manifest.builtAt)).not.toBeNaN();
    expect(index.passages.map((p) => p.metadata.id)).toEqual(built.index.passages.map((p) => p.metadata.id));
    const target = index.passages[21];
    // A passage's own text is its nearest neighbour.
    const hits = index.dense.search(await embedder.embedQuery(target?.pageContent ?? ""), 3);
    expect(hits[0]?.index).toBe(21);
    expect(hits[0]?.similarity).toBeGreaterThan(0.999);
    expect(built.changes.passagesAdded).toBe(31);
    // Nothing is left behind beside the index: no build or previous folders.
    expect((await readdir(join(root, "data"))).sort()).toEqual(["index"]);
  });

  it("is deterministic: rebuilding the same corpus gives the same checksum, ids and vector file", async () => {
    const first = await buildIndex({ corpusDir: CORPUS, indexDir, embedder });
    const vectors = await readFile(join(live(indexDir), VECTORS_FILE));
    const second = await buildIndex({ corpusDir: CORPUS, indexDir, embedder });
    expect(second.index.manifest.corpusChecksum).toBe(first.index.manifest.corpusChecksum);
    expect((await readFile(join(live(indexDir), VECTORS_FILE))).equals(vectors)).toBe(true);
    expect(second.changes).toMatchObject({
      passagesAdded: 0,
      passagesRemoved: 0,
      articlesAdded: [],
      articlesChanged: [],
    });
  });

  it("says there is no index, and to reindex, when the folder is missing", async () => {
    await expect(openIndex(indexDir, embedder)).rejects.toMatchObject({
      code: "INDEX_MISSING",
      message: expect.stringMatching(/npm run reindex/),
    });
  });

  it("calls an index from another format version stale, not corrupt", async () => {
    await buildIndex({ corpusDir: CORPUS, indexDir, embedder });
    const m = JSON.parse(await readFile(join(live(indexDir), MANIFEST_FILE), "utf8"));
    await writeFile(join(live(indexDir), MANIFEST_FILE), JSON.stringify({ ...m, formatVersion: 99 }));
    await expect(openIndex(indexDir, embedder)).rejects.toMatchObject({
      code: "INDEX_STALE",
      message: expect.stringMatching(/format version 99.*npm run reindex/),
    });
  });

  it("rebuilds at start-up an index built by another embedder, but not a damaged one", async () => {
    const { IndexManager } = await import("../../src/index/index-manager.js");
    await buildIndex({ corpusDir: CORPUS, indexDir, embedder });
    const other = new LocalEmbeddings({ dimension: 256 });
    const rebuilt = await new IndexManager(CORPUS, indexDir, other).openOrBuild();
    expect(rebuilt.built).not.toBeNull();
    expect(rebuilt.index.manifest.embedder.dimension).toBe(256);
    await writeFile(join(live(indexDir), PASSAGES_FILE), "{not json");
    await expect(new IndexManager(CORPUS, indexDir, other).openOrBuild()).rejects.toMatchObject({
      code: "INDEX_CORRUPT",
    });
  });

  it("refuses an index built by another embedder instead of returning wrong neighbours", async () => {
    await buildIndex({ corpusDir: CORPUS, indexDir, embedder });
    const other = new LocalEmbeddings({ dimension: 256 });
    await expect(openIndex(indexDir, other)).rejects.toMatchObject({
      code: "INDEX_MISMATCH",
      message: expect.stringMatching(/256 dimensions.*npm run reindex/),
    });
  });

  describe("damaged files give a clear error, never a crash", () => {
    const damage: Record<string, (dir: string) => Promise<void>> = {
      "a truncated vector file": async (dir) =>
        writeFile(join(dir, VECTORS_FILE), (await readFile(join(dir, VECTORS_FILE))).subarray(0, 1000)),
      "a vector file of garbage with the right size": async (dir) => {
        const size = (await readFile(join(dir, VECTORS_FILE))).length;
        await writeFile(join(dir, VECTORS_FILE), Buffer.alloc(size, 7));
      },
      "a missing vector file": async (dir) => rm(join(dir, VECTORS_FILE)),
      "passages that are not JSON": async (dir) => writeFile(join(dir, PASSAGES_FILE), "{not json"),
      "a manifest that is not JSON": async (dir) => writeFile(join(dir, MANIFEST_FILE), "]["),
    };
    for (const [what, apply] of Object.entries(damage)) {
      it(`${what}`, async () => {
        await buildIndex({ corpusDir: CORPUS, indexDir, embedder });
        await apply(live(indexDir));
        const error = await openIndex(indexDir, embedder).then(
          () => null,
          (e: unknown) => e,
        );
        expect(error).toMatchObject({
          name: "IndexError",
          code: "INDEX_CORRUPT",
          message: expect.stringMatching(/npm run reindex/),
        });
      });
    }

    it("a manifest of the wrong shape is refused naming the file and the field", async () => {
      await buildIndex({ corpusDir: CORPUS, indexDir, embedder });
      const manifest = JSON.parse(await readFile(join(live(indexDir), MANIFEST_FILE), "utf8"));
      delete manifest.embedder.dimension;
      await writeFile(join(live(indexDir), MANIFEST_FILE), JSON.stringify(manifest));
      await expect(openIndex(indexDir, embedder)).rejects.toMatchObject({
        code: "INDEX_CORRUPT",
        message: expect.stringMatching(/manifest\.json is unreadable \("embedder\.dimension" is missing\)/),
      });
    });

    it("a vector file whose manifest was edited to match it still fails on the point count", async () => {
      // Even with matching checksums, a graph of the wrong size must not be served.
      await buildIndex({ corpusDir: CORPUS, indexDir, embedder });
      const small = join(root, "small");
      const corpus = join(root, "one");
      await cp(CORPUS, corpus, { recursive: true });
      await writeFile(join(corpus, "blinken-china-visit.md"), "---\ntitle: T\n---\nOne line only.\n");
      await buildIndex({ corpusDir: corpus, indexDir: small, embedder });
      await cp(join(live(small), VECTORS_FILE), join(live(indexDir), VECTORS_FILE));
      const manifest = JSON.parse(await readFile(join(live(indexDir), MANIFEST_FILE), "utf8"));
      const smallManifest = JSON.parse(await readFile(join(live(small), MANIFEST_FILE), "utf8"));
      manifest.files[VECTORS_FILE] = smallManifest.files[VECTORS_FILE];
      await writeFile(join(live(indexDir), MANIFEST_FILE), JSON.stringify(manifest));
      await expect(openIndex(indexDir, embedder)).rejects.toMatchObject({
        code: "INDEX_CORRUPT",
        message: expect.stringMatching(/holds 1 vectors but the manifest lists 31/),
      });
    });
  });

  describe("atomic rebuild", () => {
    it("a build that fails midway leaves the old index loadable and unchanged", async () => {
      const corpus = join(root, "corpus");
      await cp(CORPUS, corpus, { recursive: true });
      await buildIndex({ corpusDir: corpus, indexDir, embedder });
      const before = await readFile(join(live(indexDir), MANIFEST_FILE), "utf8");
      // A larger corpus so the build needs several embedding batches and fails in the second.
      for (let i = 0; i < 20; i++)
        await writeFile(
          join(corpus, `extra-${i}.md`),
          `---\ntitle: Extra ${i}\n---\nA paragraph about topic ${i}.\nAnother line ${i}.\n`,
        );
      const failing = new FailingEmbeddings(1);
      await expect(buildIndex({ corpusDir: corpus, indexDir, embedder: failing, batchSize: 16 })).rejects.toThrow(
        /fell over/,
      );
      expect(failing.calls).toBe(2);
      expect(await readFile(join(live(indexDir), MANIFEST_FILE), "utf8")).toBe(before);
      const index = await openIndex(indexDir, embedder);
      expect(index.manifest.passageCount).toBe(31);
      expect((await readdir(join(root, "data"))).sort()).toEqual(["index"]);
    });

    it("an empty corpus is refused and the current index kept", async () => {
      await buildIndex({ corpusDir: CORPUS, indexDir, embedder });
      const empty = join(root, "empty");
      await cp(CORPUS, empty, { recursive: true });
      await writeFile(join(empty, "blinken-china-visit.md"), "   ");
      await expect(buildIndex({ corpusDir: empty, indexDir, embedder })).rejects.toMatchObject({
        code: "CORPUS_EMPTY",
        message: expect.stringMatching(/kept/),
      });
      expect((await openIndex(indexDir, embedder)).manifest.passageCount).toBe(31);
    });

    it("a swap of the old layout cut short between its two renames is recovered on open", async () => {
      // Before versions, a swap renamed the index folder to index.previous and the new one in.
      await buildIndex({ corpusDir: CORPUS, indexDir, embedder });
      await rename(live(indexDir), `${indexDir}.previous`);
      await rm(indexDir, { recursive: true });
      const index = await openIndex(indexDir, embedder);
      expect(index.manifest.passageCount).toBe(31);
      expect(existsSync(indexDir)).toBe(true);
    });

    it("reports articles and passages added, changed and removed", async () => {
      const corpus = join(root, "corpus");
      await cp(CORPUS, corpus, { recursive: true });
      await buildIndex({ corpusDir: corpus, indexDir, embedder });
      const seed = join(corpus, "blinken-china-visit.md");
      const text = await readFile(seed, "utf8");
      await writeFile(seed, text.replace("Nothing special was announced after the meeting.\n", ""));
      await writeFile(join(corpus, "new.md"), "---\ntitle: New\n---\nFirst.\nSecond.\n");
      const { changes } = await buildIndex({ corpusDir: corpus, indexDir, embedder });
      expect(changes).toEqual({
        articlesAdded: ["new.md"],
        articlesRemoved: [],
        articlesChanged: ["blinken-china-visit.md"],
        passagesAdded: 2,
        passagesRemoved: 1,
      });
    });
  });
});
