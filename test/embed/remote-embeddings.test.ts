/**
 * The remote embedder against the loopback fake model server, through the real LangChain
 * clients (OpenAIEmbeddings, OllamaEmbeddings): batching, the persistent cache, Retry-After,
 * failures and the start-up probe.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  type FakeModelServer,
  hashEmbedding,
  refusedUrl,
  startFakeModelServer,
} from "../../scripts/lib/fake-model/index.js";
import type { EmbeddingsConfig } from "../../src/config.js";
import { type CreateEmbedderOptions, createEmbedder } from "../../src/embed/create-embedder.js";
import { LocalEmbeddings } from "../../src/embed/local-embeddings.js";
import { RemoteEmbeddings } from "../../src/embed/remote/remote-embeddings.js";
import { WordNet } from "../../src/embed/wordnet/wordnet.js";
import { EmbeddingsError } from "../../src/errors.js";

let fake: FakeModelServer;
let dir: string;
beforeAll(async () => {
  fake = await startFakeModelServer();
});
afterAll(() => fake.close());
beforeEach(async () => {
  fake.reset();
  dir = await mkdtemp(join(tmpdir(), "passage-remote-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const texts = (n: number, tag = "text") => Array.from({ length: n }, (_, i) => `${tag} number ${i} about tariffs`);

function openai(apiKey: string | null = null): EmbeddingsConfig {
  return { provider: "openai", baseUrl: fake.openaiBaseUrl, model: "fake-embed", apiKey };
}

async function remote(
  config: EmbeddingsConfig = openai(),
  options: CreateEmbedderOptions = { cacheDir: dir },
): Promise<RemoteEmbeddings> {
  const { embedder } = createEmbedder(config, options);
  if (!(embedder instanceof RemoteEmbeddings)) throw new Error("expected a remote embedder");
  await embedder.ready();
  return embedder;
}

async function failure(promise: Promise<unknown>): Promise<EmbeddingsError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof EmbeddingsError)) throw new Error(`expected an EmbeddingsError, got ${String(error)}`);
  return error;
}

describe("createEmbedder", () => {
  it("keeps the local default exactly as it was: same id, no server, WordNet concepts", () => {
    const setup = createEmbedder();
    expect(setup.embedder.id).toBe(new LocalEmbeddings({}, WordNet.open()).id);
    expect(setup.embedder.id).toMatch(/^local-v1-d512-/);
    expect(setup.concepts?.id).toBe(WordNet.open().id);
    expect(createEmbedder({ provider: "local" }).embedder.id).toBe(setup.embedder.id);
  });

  it("makes a remote embedder whose id records provider, model and the dimension the probe learned", async () => {
    const setup = createEmbedder(openai(), { cacheDir: dir });
    expect(() => setup.embedder.id).toThrow(/await ready/);
    await setup.embedder.ready?.();
    expect(setup.embedder.id).toBe("openai:fake-embed:d64");
    expect(setup.embedder.dimension).toBe(64);
    // WordNet stays the concept source (BM25 and the concept ranking stay in the fusion), and the
    // local embedder is the fallback whose index may be served meanwhile.
    expect(setup.concepts?.id).toBe(WordNet.open().id);
    const local = createEmbedder().embedder;
    expect((await setup.fallback?.({ id: local.id, dimension: local.dimension }))?.id).toBe(local.id);
    expect(await setup.fallback?.({ id: "ollama:x:d64", dimension: 64, provider: "ollama", model: "x" })).toBeNull();
    expect(fake.embeddings.count).toBe(1);
    // Another model of the same server is asked whether it still answers, with the recorded dimension.
    const previous = { id: "openai:old-embed:d64", dimension: 64, provider: "openai", model: "old-embed" };
    expect((await setup.fallback?.(previous))?.id).toBe("openai:old-embed:d64");
    expect(await setup.fallback?.({ ...previous, id: "openai:old-embed:d32", dimension: 32 })).toBeNull();
    fake.embeddings.push({ status: 404 });
    expect(await setup.fallback?.(previous)).toBeNull();
  });

  it("says in one line that an unreachable server cannot be used, naming it", async () => {
    const url = await refusedUrl();
    const { embedder } = createEmbedder({ provider: "openai", baseUrl: `${url}/v1`, model: "m", apiKey: null });
    const error = await failure(embedder.ready?.() ?? Promise.resolve());
    expect(error.code).toBe("EMBEDDINGS_UNAVAILABLE");
    expect(error.message).toBe(
      `The embeddings server (openai model m at ${url}/v1) could not be used: connection refused (ECONNREFUSED). Check EMBEDDINGS_PROVIDER, EMBEDDINGS_BASE_URL and EMBEDDINGS_MODEL.`,
    );
  });
});

describe("RemoteEmbeddings (OpenAI-compatible)", () => {
  it("embeds in batches of 64 and returns the server's vectors (as float32) in order", async () => {
    const embedder = await remote();
    const input = texts(130);
    const vectors = await embedder.embedDocuments(input);
    expect(fake.embeddings.requests.slice(1).map((r) => r.inputs.length)).toEqual([64, 64, 2]);
    expect(vectors).toHaveLength(130);
    vectors.forEach((v, i) => {
      expect(v).toEqual(Array.from(Float32Array.from(hashEmbedding(input[i] ?? "", 64))));
    });
    const query = await embedder.embedQuery("tariffs");
    expect(query).toEqual(Array.from(Float32Array.from(hashEmbedding("tariffs", 64))));
  });

  it("never pays twice for a text: repeats in a call, later calls and later processes come from the cache", async () => {
    const embedder = await remote();
    await embedder.embedDocuments(["same", "same", "other"]);
    expect(fake.embeddings.embeddedInputs).toBe(1 + 2);
    await embedder.embedDocuments(["other", "same", "new"]);
    expect(fake.embeddings.embeddedInputs).toBe(3 + 1);
    // A new embedder over the same folder (the next run) reads the cache file.
    const next = await remote();
    const vectors = await next.embedDocuments(["new", "same", "other"]);
    expect(fake.embeddings.embeddedInputs).toBe(4 + 1);
    expect(next.stats).toMatchObject({ embedded: 0, cached: 3 });
    expect(vectors[0]).toEqual(Array.from(Float32Array.from(hashEmbedding("new", 64))));
  });

  it("waits for Retry-After on a 429, then carries on", async () => {
    const embedder = await remote();
    fake.embeddings.push({ status: 429, retryAfterSeconds: 1 });
    const started = performance.now();
    const vectors = await embedder.embedDocuments(texts(3));
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(vectors).toHaveLength(3);
    expect(fake.embeddings.count).toBe(1 + 2);
  });

  it("gives up after a bounded number of 429s, and at once when Retry-After asks for too long", async () => {
    const embedder = await remote(openai(), { cacheDir: dir, maxRetries: 2, fallbackWaitMs: 10 });
    fake.embeddings.reply({ status: 429 });
    const error = await failure(embedder.embedDocuments(texts(2)));
    expect(error.code).toBe("EMBEDDINGS_RATE_LIMITED");
    expect(error.message).toContain("still rate-limited after 2 retries");
    expect(fake.embeddings.count).toBe(1 + 3);
    fake.embeddings.reply({ status: 429, retryAfterSeconds: 3600 });
    const long = await failure(embedder.embedDocuments(texts(2)));
    expect(long.message).toContain("asked to wait 3600 s, longer than the 120 s allowed");
    expect(fake.embeddings.count).toBe(1 + 3 + 1);
  });

  it("fails on a 500 without retrying, keeping the batches already embedded", async () => {
    const embedder = await remote();
    fake.embeddings.push({}, { status: 500 });
    const input = texts(130);
    const error = await failure(embedder.embedDocuments(input));
    expect(error.code).toBe("EMBEDDINGS_FAILED");
    expect(error.message).toMatch(/^The embeddings server \(openai model fake-embed at \S+\) failed: HTTP 500/);
    // Resuming sends only what the failed call had not embedded.
    const before = fake.embeddings.requestedInputs;
    await embedder.embedDocuments(input);
    expect(fake.embeddings.requestedInputs - before).toBe(130 - 64);
  });

  it("gives up on a server that hangs after the request timeout", async () => {
    const embedder = await remote(openai(), { cacheDir: dir, timeoutMs: 300 });
    fake.embeddings.push({ hang: true });
    const started = performance.now();
    const error = await failure(embedder.embedDocuments(texts(2)));
    expect(performance.now() - started).toBeLessThan(3000);
    expect(error.code).toBe("EMBEDDINGS_FAILED");
    expect(error.message).toContain("no answer within 0.3 s");
  });

  it("keeps a question waiting no longer than the query timeout", async () => {
    const embedder = await remote(openai(), { cacheDir: dir, queryTimeoutMs: 200 });
    fake.embeddings.push({ hang: true });
    const started = performance.now();
    const error = await failure(embedder.embedQuery("where?"));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(error.message).toContain("no answer within 0.2 s");
    // The next question is answered.
    expect(await embedder.embedQuery("where?")).toHaveLength(64);
  });

  it("fails cleanly on a malformed answer", async () => {
    const embedder = await remote();
    fake.embeddings.push({ malformed: true });
    expect((await failure(embedder.embedDocuments(texts(2)))).code).toBe("EMBEDDINGS_FAILED");
  });

  it("never puts the API key in an error message", async () => {
    const key = "sk-test-secret-0123456789";
    const embedder = await remote(openai(key));
    fake.embeddings.push({ status: 401 });
    const error = await failure(embedder.embedDocuments(texts(1)));
    expect(error.message).toContain("HTTP 401");
    expect(error.message).not.toContain(key);
    // The key did reach the server, as a bearer token.
    expect(fake.requests.some((r) => r.path === "/v1/embeddings")).toBe(true);
  });
});

describe("RemoteEmbeddings (Ollama)", () => {
  const ollama = (): EmbeddingsConfig => ({
    provider: "ollama",
    baseUrl: fake.ollamaBaseUrl,
    model: "fake-embed",
    apiKey: null,
  });

  it("embeds through /api/embed in batches, with the cache", async () => {
    const embedder = await remote(ollama());
    expect(embedder.id).toBe("ollama:fake-embed:d64");
    const input = texts(70);
    const vectors = await embedder.embedDocuments(input);
    expect(fake.embeddings.requests.every((r) => r.api === "ollama")).toBe(true);
    expect(fake.embeddings.requests.slice(1).map((r) => r.inputs.length)).toEqual([64, 6]);
    expect(vectors[69]).toEqual(Array.from(Float32Array.from(hashEmbedding(input[69] ?? "", 64))));
    await (await remote(ollama())).embedDocuments(input);
    expect(fake.embeddings.embeddedInputs).toBe(1 + 70 + 1);
  });

  it("reads Retry-After at the fetch (Ollama's client drops the headers) and waits for it", async () => {
    const embedder = await remote(ollama(), { cacheDir: dir, fallbackWaitMs: 5_000 });
    fake.embeddings.push({ status: 429, retryAfterSeconds: 1 });
    const started = performance.now();
    await embedder.embedDocuments(texts(2));
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThanOrEqual(950);
    expect(waited).toBeLessThan(4_000);
  });

  it("fails on a 500 with the status in the message", async () => {
    const embedder = await remote(ollama());
    fake.embeddings.push({ status: 500 });
    const error = await failure(embedder.embedDocuments(texts(2)));
    expect(error.message).toContain("HTTP 500");
  });
});
