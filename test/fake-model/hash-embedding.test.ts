import { describe, expect, it } from "vitest";
import { embeddingToBase64, hashEmbedding } from "../../scripts/lib/fake-model/index.js";
import { splitIntoChunks } from "../../scripts/lib/fake-model/tokens.js";

const cosine = (a: number[], b: number[]): number => a.reduce((sum, x, i) => sum + x * (b[i] ?? 0), 0);

describe("the fake's hash embedding", () => {
  it("is deterministic, unit length and of the asked dimension", () => {
    const a = hashEmbedding("The summit was held in Geneva.");
    expect(a).toHaveLength(64);
    expect(hashEmbedding("The summit was held in Geneva.")).toEqual(a);
    expect(Math.hypot(...a)).toBeCloseTo(1, 10);
    expect(hashEmbedding("x", 128)).toHaveLength(128);
  });

  it("puts texts that share words closer than unrelated ones, so retrieval over it works", () => {
    const query = hashEmbedding("Where was the summit held?");
    const related = hashEmbedding("The summit was held in Geneva in March.");
    const unrelated = hashEmbedding("Tariffs on steel imports rose by ten percent.");
    expect(cosine(query, related)).toBeGreaterThan(cosine(query, unrelated) + 0.2);
    // Trigrams make inflected forms close too.
    expect(cosine(hashEmbedding("negotiations"), hashEmbedding("negotiation"))).toBeGreaterThan(0.5);
  });

  it("gives text without words a fixed unit vector instead of NaN", () => {
    expect(hashEmbedding("  …  ")).toEqual(hashEmbedding(""));
    expect(Math.hypot(...hashEmbedding(""))).toBe(1);
  });

  it("encodes base64 as little-endian float32, the OpenAI wire format", () => {
    const vector = [0.5, -0.25, 1];
    const bytes = Buffer.from(embeddingToBase64(vector), "base64");
    expect([0, 4, 8].map((offset) => bytes.readFloatLE(offset))).toEqual(vector);
  });
});

describe("stream chunks", () => {
  it("join back into the text exactly, one word per chunk", () => {
    const text = "Talks resumed [1].  They ended\nlate [2].";
    const chunks = splitIntoChunks(text);
    expect(chunks.join("")).toBe(text);
    expect(chunks).toEqual(["Talks", " resumed", " [1].", "  They", " ended", "\nlate", " [2]."]);
    expect(splitIntoChunks("")).toEqual([]);
  });
});
