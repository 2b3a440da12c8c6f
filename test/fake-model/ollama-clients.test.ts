import { ChatOllama, OllamaEmbeddings } from "@langchain/ollama";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  type FakeModelServer,
  hashEmbedding,
  refusedUrl,
  startFakeModelServer,
} from "../../scripts/lib/fake-model/index.js";
import { caught } from "../helpers/caught.js";

// The real @langchain/ollama clients (the `ollama` package underneath) against the loopback
// fake, including how each failure reaches a LangChain caller. Unlike ChatOpenAI, ChatOllama
// neither retries nor times out by itself, and its errors carry `status_code`, not `status`.
let fake: FakeModelServer;
beforeAll(async () => {
  fake = await startFakeModelServer();
});
afterEach(() => {
  fake.reset();
  vi.restoreAllMocks();
});
afterAll(() => fake.close());

/** A fetch that gives up after `ms`: the only way to bound a request that never answers. */
function fetchWithTimeout(ms: number): typeof fetch {
  return (input, init) => {
    const timeout = AbortSignal.timeout(ms);
    return fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout });
  };
}
function chat(
  fields: Partial<ConstructorParameters<typeof ChatOllama>[0] & object> = {},
  baseUrl = fake.ollamaBaseUrl,
) {
  return new ChatOllama({ model: "fake-chat", baseUrl, ...fields });
}
function embeddings(fields: Partial<ConstructorParameters<typeof OllamaEmbeddings>[0] & object> = {}) {
  return new OllamaEmbeddings({ model: "fake-embed", baseUrl: fake.ollamaBaseUrl, maxRetries: 0, ...fields });
}

describe("ChatOllama against the fake", () => {
  it("gets a scripted answer with usage metadata (invoke streams NDJSON underneath)", async () => {
    fake.chat.push("Talks resumed in Geneva [1].");
    const reply = await chat().invoke("Where did talks resume?");
    expect(reply.content).toBe("Talks resumed in Geneva [1].");
    expect(reply.usage_metadata).toMatchObject({ input_tokens: 5, output_tokens: 5, total_tokens: 10 });
    expect(fake.chat.requests[0]).toMatchObject({ api: "ollama", model: "fake-chat", stream: true });
  });

  it("streams word chunks, then usage from the final done object", async () => {
    fake.chat.push({ text: "One two three [1].", usage: { promptTokens: 42 } });
    const parts: string[] = [];
    let usage: unknown;
    for await (const chunk of await chat().stream("Count")) {
      if (typeof chunk.content === "string" && chunk.content !== "") parts.push(chunk.content);
      if (chunk.usage_metadata) usage = chunk.usage_metadata;
    }
    expect(parts).toEqual(["One", " two", " three", " [1]."]);
    expect(usage).toMatchObject({ input_tokens: 42, output_tokens: 4, total_tokens: 46 });
  });

  it("answers `stream: false` with one JSON object", async () => {
    fake.chat.push("Whole [1].");
    const response = await fetch(`${fake.ollamaBaseUrl}/api/chat`, {
      method: "POST",
      body: JSON.stringify({ model: "m", stream: false, messages: [{ role: "user", content: "Hi there" }] }),
    });
    expect(await response.json()).toMatchObject({
      message: { role: "assistant", content: "Whole [1]." },
      done: true,
      prompt_eval_count: 2,
      eval_count: 2,
    });
  });

  it("passes the messages to a function reply", async () => {
    fake.chat.reply((request) => `You said: ${request.messages.at(-1)?.content ?? ""}`);
    expect((await chat().invoke([["user", "ping"]])).content).toBe("You said: ping");
  });

  it("429 and 500: ResponseError with .status_code (no .status, no headers), never retried", async () => {
    fake.chat.push({ status: 429, retryAfterSeconds: 1 }, { status: 500 }, "never reached");
    const limited = await caught(() => chat({ maxRetries: 3 }).invoke("Hi"));
    expect(limited.name).toBe("ResponseError");
    expect(limited.status_code).toBe(429);
    expect(limited.status).toBeUndefined();
    expect(limited.headers).toBeUndefined();
    expect(limited.message).toBe("fake model server: scripted 429");
    const failed = await caught(() => chat({ maxRetries: 3 }).invoke("Hi"));
    expect(failed.status_code).toBe(500);
    expect(fake.chat.count).toBe(2);
  });

  it("a hang: invoke ignores its AbortSignal until a chunk arrives; a fetch with a timeout ends it", async () => {
    fake.chat.push({ hang: true }, { hang: true });
    const started = performance.now();
    const error = await caught(() => chat({ fetch: fetchWithTimeout(300) }).invoke("Hi"));
    expect(error.name).toBe("TimeoutError");
    expect(performance.now() - started).toBeLessThan(1500);
    // stream() races the signal, so the caller is freed (the request itself stays open).
    const streamed = await caught(async () => {
      for await (const _ of await chat().stream("Hi", { signal: AbortSignal.timeout(300) }));
    });
    expect(streamed.name).toBe("TimeoutError");
  });

  it("malformed: a broken NDJSON line ends as a plain Error; connection refused as TypeError", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {}); // ollama prints the invalid line
    fake.chat.push({ malformed: true, text: "Half" });
    const broken = await caught(() => chat().invoke("Hi"));
    expect(broken.constructor).toBe(Error);
    expect(broken.message).toBe("Did not receive done or success response in stream.");
    const refused = await caught(async () => chat({}, await refusedUrl()).invoke("Hi"));
    expect(refused).toBeInstanceOf(TypeError);
    expect((refused.cause as { code?: string }).code).toBe("ECONNREFUSED");
  });
});

describe("OllamaEmbeddings against the fake", () => {
  it("embeds through /api/embed in batches and counts inputs", async () => {
    const vectors = await embeddings({ maxConcurrency: 1 }).embedDocuments(["alpha beta", "gamma"]);
    expect(vectors).toEqual([hashEmbedding("alpha beta"), hashEmbedding("gamma")]);
    expect(fake.embeddings.requests[0]).toMatchObject({ api: "ollama", model: "fake-embed" });
    expect(fake.embeddings.embeddedInputs).toBe(2);
  });

  it("uses the dimension set for its model", async () => {
    await fake.close();
    fake = await startFakeModelServer({ dimensions: { "big-embed": 256 } });
    expect(await embeddings({ model: "big-embed" }).embedQuery("x")).toHaveLength(256);
    expect(await embeddings().embedQuery("x")).toHaveLength(64);
  });

  it("retries every failure with backoff (even 404), ignoring Retry-After; maxRetries: 0 stops that", async () => {
    fake.embeddings.push({ status: 404 });
    const started = performance.now();
    expect(await embeddings({ maxRetries: 1 }).embedQuery("x")).toHaveLength(64);
    // One backoff of 1–2 s, not the 30 s the header asked for.
    expect(performance.now() - started).toBeLessThan(3000);
    expect(fake.embeddings.count).toBe(2);
    fake.embeddings.push({ status: 429, retryAfterSeconds: 30 });
    const limited = await caught(() => embeddings().embedQuery("x"));
    expect(limited.status_code).toBe(429);
  });

  it("a hang ends only with a fetch that times out; malformed JSON is a SyntaxError", async () => {
    fake.embeddings.push({ hang: true }, { malformed: true });
    expect((await caught(() => embeddings({ fetch: fetchWithTimeout(300) }).embedQuery("x"))).name).toBe(
      "TimeoutError",
    );
    expect(await caught(() => embeddings().embedQuery("x"))).toBeInstanceOf(SyntaxError);
  });
});
