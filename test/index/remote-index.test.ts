/**
 * Building, rebuilding and serving the index with a remote embedder, assembled as production
 * assembles it (`compose`), against the loopback fake model server: what the issue asks of
 * remote embeddings — only new text is paid for, failures keep the old index, and the local
 * index answers while a remote one builds.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeModelServer, startFakeModelServer } from "../../scripts/lib/fake-model/index.js";
import { ask } from "../../src/commands/ask.js";
import { type Composition, compose, type IndexStart } from "../../src/compose.js";
import type { EmbeddingsConfig } from "../../src/config.js";
import { createEmbedder } from "../../src/embed/create-embedder.js";
import { MANIFEST_FILE, VECTORS_FILE } from "../../src/index/manifest.js";
import { createLogger } from "../../src/log.js";
import { live } from "../helpers/live-index.js";
import { SEED_CORPUS } from "../helpers/services.js";

let fake: FakeModelServer;
let root: string;
let corpusDir: string;
let dataDir: string;
let logs: Record<string, unknown>[];

beforeAll(async () => {
  fake = await startFakeModelServer();
});
afterAll(() => fake.close());
beforeEach(async () => {
  fake.reset();
  root = await mkdtemp(join(tmpdir(), "passage-remote-index-"));
  corpusDir = join(root, "corpus");
  dataDir = join(root, "data");
  await cp(SEED_CORPUS, corpusDir, { recursive: true });
  logs = [];
});
afterEach(() => rm(root, { recursive: true, force: true }));

const SEED_FILE = "blinken-china-visit.md";
const LOCAL_ID = createEmbedder().embedder.id;

function openai(model = "fake-embed"): EmbeddingsConfig {
  return { provider: "openai", baseUrl: fake.openaiBaseUrl, model, apiKey: null };
}

/** The program as `npm run reindex` / `npm start` assembles it (a new process each time). */
function start(index: IndexStart, embeddings: EmbeddingsConfig = openai()): Promise<Composition> {
  const logger = createLogger({
    level: "debug",
    write: (line) => void logs.push(JSON.parse(line) as Record<string, unknown>),
  });
  return compose({ paths: { corpusDir, dataDir, indexDir: join(dataDir, "index") }, embeddings, logger, index });
}

async function manifestOnDisk(): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(join(live(join(dataDir, "index")), MANIFEST_FILE), "utf8")) as Record<
    string,
    unknown
  >;
}

/** Texts the fake embedded for a question (queries are embedded one at a time). */
const queriesFor = (question: string) => fake.embeddings.requests.filter((r) => r.inputs.includes(question)).length;

/** An article of `n` distinct paragraphs, so a build needs several batches of 64. */
function bigArticle(n: number): string {
  const paragraphs = Array.from(
    { length: n },
    (_, i) => `The harbour of Port ${i} shipped ${i * 7 + 3} crates of green tea to market town ${i + 1} in spring.`,
  );
  return `---\ntitle: "Harbours"\n---\n${paragraphs.join("\n\n")}\n`;
}

describe("a remote embedder", () => {
  it("still answers from BM25 and the concepts when the server fails a question, and logs why", async () => {
    const { services } = await start("none");
    await services.indexes.rebuild();
    fake.embeddings.reply({ status: 500 });
    const answer = await ask(services, "Where was the meeting held?");
    expect(answer.abstained).toBe(false);
    expect(answer.answer).toContain("Diaoyutai State Guest House");
    expect(logs.find((l) => l.event === "retrieval.dense_unavailable")).toMatchObject({
      level: "warn",
      embedder: "openai:fake-embed:d64",
    });
  });

  it("builds an index whose manifest records provider, model and dimension, and answers from it", async () => {
    const { services } = await start("none");
    const result = await services.indexes.rebuild();
    const m = result.index.manifest;
    expect(m.embedder).toEqual({ id: "openai:fake-embed:d64", dimension: 64, provider: "openai", model: "fake-embed" });
    expect(await manifestOnDisk()).toMatchObject({ embedder: m.embedder });
    // The probe, then every passage once.
    expect(fake.embeddings.embeddedInputs).toBe(1 + m.passageCount);
    const answer = await ask(services, "Where was the meeting held?");
    expect(answer.abstained).toBe(false);
    expect(answer.answer).toContain("Diaoyutai");
    expect(answer.method).toContain("openai:fake-embed:d64");
    expect(queriesFor("Where was the meeting held?")).toBe(1);
  });

  it("embeds only the changed passage after an edit, and nothing at all for a full rebuild of known text", async () => {
    await (await start("none")).services.indexes.rebuild();
    const file = join(corpusDir, SEED_FILE);
    const text = await readFile(file, "utf8");
    await writeFile(file, text.replace("Nothing special was announced", "Nothing remarkable was announced"));
    const before = fake.embeddings.embeddedInputs;
    const second = await (await start("none")).services.indexes.rebuild();
    expect(second.kind).toBe("incremental");
    expect(second.embedded).toBe(1);
    // The start-up probe and the one changed passage.
    expect(fake.embeddings.embeddedInputs - before).toBe(1 + 1);
    const changed = fake.embeddings.requests.at(-1)?.inputs ?? [];
    expect(changed).toHaveLength(1);
    expect(changed[0]).toContain("Nothing remarkable was announced");
    // Without the index, every vector still comes from the cache in data/embeddings.
    await rm(join(dataDir, "index"), { recursive: true });
    const third = await (await start("none")).services.indexes.rebuild();
    expect(third.kind).toBe("full");
    expect(fake.embeddings.embeddedInputs - before).toBe(1 + 1 + 1);
  });

  it("keeps the old index when the server fails mid-build, and the next build embeds only what was missing", async () => {
    const first = await (await start("none")).services.indexes.rebuild();
    await writeFile(join(corpusDir, "harbours.md"), bigArticle(100));
    const { services } = await start("open");
    const served = services.indexes.current;
    const manifest = await manifestOnDisk();
    // 100 new passages: the first request goes through, the next fails.
    const paid = fake.embeddings.embeddedInputs;
    fake.embeddings.push({}, { status: 500 });
    await expect(services.indexes.rebuild()).rejects.toMatchObject({
      code: "EMBEDDINGS_FAILED",
      message: expect.stringContaining("HTTP 500"),
    });
    const paidBeforeFailing = fake.embeddings.embeddedInputs - paid;
    expect(paidBeforeFailing).toBeGreaterThan(0);
    expect(services.indexes.current).toBe(served);
    expect(await manifestOnDisk()).toEqual(manifest);
    expect((await ask(services, "Where was the meeting held?")).answer).toContain("Diaoyutai");
    const asked = 1;
    const before = fake.embeddings.requestedInputs;
    const resumed = await services.indexes.rebuild();
    // Only what the failed build had not embedded is sent; each new passage is paid for once.
    expect(fake.embeddings.requestedInputs - before).toBe(100 - paidBeforeFailing);
    expect(fake.embeddings.embeddedInputs - paid - asked).toBe(100);
    expect(resumed.index.manifest.passageCount).toBe(first.index.manifest.passageCount + 100);
    expect((await ask(services, "How many crates did Port 12 ship?")).answer).toContain("Port 12 ");
  });

  it("asks for a rebuild when the index was made by another embedder and the index is only opened", async () => {
    await (await start("none", { provider: "local" })).services.indexes.rebuild();
    await expect(start("open")).rejects.toMatchObject({
      code: "INDEX_MISMATCH",
      message: expect.stringMatching(
        new RegExp(
          `built with embedder ${LOCAL_ID.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} .*configured embedder is openai:fake-embed:d64 .*npm run reindex`,
        ),
      ),
    });
  });

  it("rebuilds in full when the model changes (open-or-build)", async () => {
    await (await start("none")).services.indexes.rebuild();
    const { built, services } = await start("open-or-build", openai("other-embed"));
    expect(built?.kind).toBe("full");
    expect(built?.fullBecause).toBe("the previous index was built by another embedder");
    expect(services.indexes.served.embedder.id).toBe("openai:other-embed:d64");
  });
});

describe("the local default", () => {
  it("opens an index built before remote embedders (no provider in its manifest) without rebuilding it", async () => {
    await (await start("none", { provider: "local" })).services.indexes.rebuild();
    const file = join(live(join(dataDir, "index")), MANIFEST_FILE);
    const manifest = JSON.parse(await readFile(file, "utf8")) as { embedder: Record<string, unknown> };
    expect(manifest.embedder).toEqual({ id: LOCAL_ID, dimension: 512, provider: "local" });
    delete manifest.embedder.provider;
    await writeFile(file, JSON.stringify(manifest, null, 2));
    const { built, building, services } = await start("open-or-serve", { provider: "local" });
    expect(built).toBeNull();
    expect(building).toBeNull();
    expect(services.indexes.served.embedder.id).toBe(LOCAL_ID);
    expect(fake.requests).toHaveLength(0);
  });
});

describe("npm start over a damaged index (open-or-serve)", () => {
  it("rebuilds it from the corpus, says why in the log, and answers", async () => {
    await (await start("none", { provider: "local" })).services.indexes.rebuild();
    const vectors = join(live(join(dataDir, "index")), VECTORS_FILE);
    const bytes = await readFile(vectors);
    bytes.fill(7, 0, Math.min(bytes.length, 4096));
    await writeFile(vectors, bytes);
    logs = [];
    const { built, services } = await start("open-or-serve", { provider: "local" });
    expect(built?.index.manifest.passageCount).toBeGreaterThan(0);
    expect(logs.find((l) => l.event === "index.damaged_rebuilding")).toMatchObject({ level: "warn" });
    expect((await ask(services, "Where was the meeting held?")).answer).toContain("Diaoyutai");
    // Only the program's start-up repairs: a tool that just opens still says what is wrong.
    const rebuiltVectors = join(live(join(dataDir, "index")), VECTORS_FILE);
    expect(rebuiltVectors).not.toBe(vectors);
    await writeFile(rebuiltVectors, (await readFile(rebuiltVectors)).fill(7, 0, 4096));
    await expect(start("open-or-build", { provider: "local" })).rejects.toMatchObject({ code: "INDEX_CORRUPT" });
  });
});

describe("npm start with a remote embedder over a local index (open-or-serve)", () => {
  it("answers from the local index with the local embedder while the remote index builds, then swaps it in", async () => {
    await (await start("none", { provider: "local" })).services.indexes.rebuild();
    // The probe answers at once; the build's batches take a while.
    fake.embeddings.push({});
    fake.embeddings.reply({ delayMs: 300 });
    const { services, building, built } = await start("open-or-serve");
    expect(built).toBeNull();
    expect(building).not.toBeNull();
    expect(services.indexes.rebuilding).toBe(true);
    expect(services.indexes.served.embedder.id).toBe(LOCAL_ID);
    const during = await ask(services, "Where was the meeting held?");
    expect(during.answer).toContain("Diaoyutai");
    expect(during.method).toContain(LOCAL_ID);
    // The question was embedded locally: the server never saw it.
    expect(queriesFor("Where was the meeting held?")).toBe(0);
    const result = await building;
    expect(result?.index.manifest.embedder.id).toBe("openai:fake-embed:d64");
    expect(services.indexes.served.embedder.id).toBe("openai:fake-embed:d64");
    expect(services.indexes.current).toBe(result?.index);
    const after = await ask(services, "Where was the meeting held?");
    expect(after.answer).toContain("Diaoyutai");
    expect(after.method).toContain("openai:fake-embed:d64");
    expect(queriesFor("Where was the meeting held?")).toBe(1);
    expect(logs.map((l) => l.event)).toEqual(
      expect.arrayContaining([
        "index.serving_fallback",
        "index.background_build_started",
        "index.background_build_done",
      ]),
    );
  });

  it("keeps serving the local index when the remote build fails, and logs why", async () => {
    await (await start("none", { provider: "local" })).services.indexes.rebuild();
    const local = await manifestOnDisk();
    fake.embeddings.push({});
    fake.embeddings.reply({ status: 500 });
    const { services, building } = await start("open-or-serve");
    expect(await building).toBeNull();
    expect(services.indexes.rebuilding).toBe(false);
    expect(services.indexes.served.embedder.id).toBe(LOCAL_ID);
    expect(await manifestOnDisk()).toEqual(local);
    expect((await ask(services, "Where was the meeting held?")).answer).toContain("Diaoyutai");
    const failed = logs.find((l) => l.event === "index.background_build_failed");
    expect(failed).toMatchObject({ level: "error", error: { code: "EMBEDDINGS_FAILED" } });
  });

  it("answers from the previous model's index with that model while a new model's index builds", async () => {
    await (await start("none")).services.indexes.rebuild();
    const { services, building, built } = await start("open-or-serve", openai("other-embed"));
    expect(built).toBeNull();
    expect(services.indexes.served.embedder.id).toBe("openai:fake-embed:d64");
    expect((await ask(services, "Where was the meeting held?")).method).toContain("openai:fake-embed:d64");
    expect((await building)?.index.manifest.embedder.id).toBe("openai:other-embed:d64");
    expect(services.indexes.served.embedder.id).toBe("openai:other-embed:d64");
    expect((await ask(services, "Where was the meeting held?")).method).toContain("openai:other-embed:d64");
  });

  it("opens the remote index without building when it is already there, and builds in the foreground when nothing is", async () => {
    const first = await start("open-or-serve");
    expect(first.built?.kind).toBe("full");
    expect(first.building).toBeNull();
    const second = await start("open-or-serve");
    expect(second.built).toBeNull();
    expect(second.building).toBeNull();
    expect(second.services.indexes.served.embedder.id).toBe("openai:fake-embed:d64");
  });
});
