import { describe, expect, it } from "vitest";
import { INDEX_FILES, type Manifest, parseManifest } from "../../src/index/manifest.js";

const valid: Manifest = {
  formatVersion: 4,
  embedder: { id: "local-v1", dimension: 8 },
  space: "cosine",
  hnsw: { m: 20, efConstruction: 100, efSearch: 256 },
  graph: { slots: 3, deleted: 1, build: "incremental", embedded: 1 },
  concepts: { id: "none" },
  passageCount: 2,
  articleCount: 1,
  articles: [{ source: "a.md", title: "A", passages: 2, sha256: "ab" }],
  corpusChecksum: "cd",
  builtAt: "2024-01-01T00:00:00.000Z",
  buildSeconds: 0.5,
  files: Object.fromEntries(INDEX_FILES.map((name) => [name, { bytes: 10, checksum: "ef" }])),
};

function problem(change: (m: Record<string, unknown>) => unknown): string | null {
  const m = structuredClone(valid) as unknown as Record<string, unknown>;
  try {
    parseManifest(change(m) ?? m);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

describe("parseManifest", () => {
  it("returns a valid manifest as it was, fields in the written order", () => {
    const parsed = parseManifest(JSON.parse(JSON.stringify(valid)));
    expect(JSON.stringify(parsed)).toBe(JSON.stringify(valid));
  });

  it("says in words what is wrong, naming the field", () => {
    expect(problem(() => [])).toBe("it should be an object");
    expect(problem((m) => ({ ...m, formatVersion: "4" }))).toBe('"formatVersion" should be 4');
    expect(problem((m) => ({ ...m, embedder: { id: "x" } }))).toBe('"embedder.dimension" is missing');
    expect(problem((m) => ({ ...m, space: "l2" }))).toBe('"space" should be "cosine"');
    expect(problem((m) => ({ ...m, passageCount: 1.5 }))).toBe('"passageCount" should be an integer');
    expect(problem((m) => ({ ...m, articles: [{ source: "a.md", title: 3 }] }))).toBe(
      '"articles[0].title" should be a string',
    );
    expect(problem((m) => ({ ...m, graph: { slots: 3, deleted: 1, build: "partial", embedded: 1 } }))).toBe(
      '"graph.build" should be "full" or "incremental"',
    );
  });

  it("refuses slot counts that do not add up, and a file list without every index file", () => {
    expect(problem((m) => ({ ...m, passageCount: 3 }))).toBe(
      "it has graph slots that do not add up to its passages and deleted slots",
    );
    expect(problem((m) => ({ ...m, files: { "vectors.hnsw": { bytes: 1, checksum: "x" } } }))).toBe(
      "it does not list passages.json",
    );
  });
});
