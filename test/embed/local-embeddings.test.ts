import { describe, expect, it } from "vitest";
import { LocalEmbeddings } from "../../src/embed/local-embeddings.js";

const cosine = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0);

describe("LocalEmbeddings", () => {
  const embedder = new LocalEmbeddings();

  it("is deterministic: the same text gives the same vector, in any instance and call", async () => {
    const text = "Blinken met his Chinese counterpart at the Diaoyutai State Guest House.";
    const a = await embedder.embedQuery(text);
    const [b] = await new LocalEmbeddings().embedDocuments([text]);
    expect(b).toEqual(a);
  });

  it("gives unit vectors of the configured dimension", async () => {
    const v = await new LocalEmbeddings({ dimension: 256 }).embedQuery("tariffs on Chinese-made products");
    expect(v).toHaveLength(256);
    expect(cosine(v, v)).toBeCloseTo(1, 10);
  });

  it("maps an empty or stop-word-only text to a zero vector rather than NaN", async () => {
    for (const text of ["", "   ", "the of and"]) {
      const v = await embedder.embedQuery(text);
      expect(v.every((x) => x === 0)).toBe(true);
    }
  });

  it("places a misspelt word near its correct spelling (character n-grams)", async () => {
    const right = await embedder.embedQuery("Blinken visit");
    const typo = await embedder.embedQuery("Blinkin visit");
    const other = await embedder.embedQuery("fentanyl overdose");
    expect(cosine(right, typo)).toBeGreaterThan(0.5);
    expect(cosine(right, typo)).toBeGreaterThan(cosine(right, other) + 0.4);
  });

  it("matches word forms through stemming (tariffs/tariff, restrictions/restricted)", async () => {
    const a = await embedder.embedQuery("import tariffs and restrictions");
    const b = await embedder.embedQuery("an import tariff was restricted");
    expect(cosine(a, b)).toBeGreaterThan(0.5);
  });

  it("names its settings in its id, so an index built with other settings is refused", () => {
    expect(embedder.id).toMatch(/^local-v1-d512-/);
    expect(new LocalEmbeddings({ ngramWeight: 0.1 }).id).not.toBe(embedder.id);
  });
});
