import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cacheFileName, EmbeddingCache, textKey } from "../../src/embed/embedding-cache.js";

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "passage-cache-"));
  file = join(dir, "embeddings", "test.bin");
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const vector = (seed: number, dimension = 4) => Float32Array.from({ length: dimension }, (_, i) => seed + i / 10);

describe("EmbeddingCache", () => {
  it("keeps vectors across opens, keyed by the text's SHA-256", async () => {
    const cache = await EmbeddingCache.open(file, 4);
    await cache.add([
      { key: textKey("alpha"), vector: vector(1) },
      { key: textKey("beta"), vector: vector(2) },
    ]);
    const again = await EmbeddingCache.open(file, 4);
    expect(again.size).toBe(2);
    expect(again.get(textKey("alpha"))).toEqual(vector(1));
    expect(again.get(textKey("beta"))).toEqual(vector(2));
    expect(again.get(textKey("gamma"))).toBeUndefined();
  });

  it("drops a torn last record (a process killed mid-write) and appends after the whole ones", async () => {
    const cache = await EmbeddingCache.open(file, 4);
    await cache.add([{ key: textKey("alpha"), vector: vector(1) }]);
    const whole = (await stat(file)).size;
    await appendFile(file, Buffer.alloc(20, 7));
    const reopened = await EmbeddingCache.open(file, 4);
    expect(reopened.size).toBe(1);
    expect((await stat(file)).size).toBe(whole);
    await reopened.add([{ key: textKey("beta"), vector: vector(2) }]);
    const third = await EmbeddingCache.open(file, 4);
    expect(third.get(textKey("beta"))).toEqual(vector(2));
    expect(third.get(textKey("alpha"))).toEqual(vector(1));
  });

  it("starts afresh over a file of another kind or dimension: it is only a cache", async () => {
    const cache = await EmbeddingCache.open(file, 4);
    await cache.add([{ key: textKey("alpha"), vector: vector(1) }]);
    expect((await EmbeddingCache.open(file, 8)).size).toBe(0);
    await writeFile(file, "not a cache at all");
    expect((await EmbeddingCache.open(file, 4)).size).toBe(0);
    expect((await readFile(file)).subarray(0, 8).toString()).toBe("PSGEMB1\n");
  });

  it("writes a key once, and refuses a vector of the wrong length", async () => {
    const cache = await EmbeddingCache.open(file, 4);
    await cache.add([{ key: textKey("alpha"), vector: vector(1) }]);
    const size = (await stat(file)).size;
    await cache.add([{ key: textKey("alpha"), vector: vector(5) }]);
    expect((await stat(file)).size).toBe(size);
    expect(() => cache.add([{ key: textKey("beta"), vector: vector(1, 3) }])).toThrow(RangeError);
  });

  it("names files readably and without collisions", () => {
    expect(cacheFileName("openai:text-embedding-3-small:d1536")).toMatch(
      /^openai_text-embedding-3-small_d1536-[0-9a-f]{12}\.bin$/,
    );
    expect(cacheFileName("a:b")).not.toBe(cacheFileName("a/b"));
  });
});
