import { ChatOpenAI, OpenAIEmbeddings } from "@langchain/openai";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  type FakeModelServer,
  hashEmbedding,
  refusedUrl,
  startFakeModelServer,
} from "../../scripts/lib/fake-model/index.js";
import { caught } from "../helpers/caught.js";

// The real @langchain/openai clients (openai SDK underneath) against the loopback fake: what
// lanes embed and gen rely on, including exactly how each failure reaches a LangChain caller.
let fake: FakeModelServer;
beforeAll(async () => {
  fake = await startFakeModelServer();
});
afterEach(() => {
  fake.reset();
});
afterAll(() => fake.close());

function chat(fields: ConstructorParameters<typeof ChatOpenAI>[0] & object = {}, baseURL = fake.openaiBaseUrl) {
  return new ChatOpenAI({
    model: "fake-chat",
    apiKey: "not-needed",
    configuration: { baseURL },
    maxRetries: 0,
    ...fields,
  });
}
function embeddings(fields: ConstructorParameters<typeof OpenAIEmbeddings>[0] & object = {}) {
  return new OpenAIEmbeddings({
    model: "fake-embed",
    apiKey: "not-needed",
    configuration: { baseURL: fake.openaiBaseUrl },
    maxRetries: 0,
    ...fields,
  });
}

describe("ChatOpenAI against the fake", () => {
  it("gets a scripted answer without streaming, with usage metadata", async () => {
    fake.chat.push("Talks resumed in Geneva [1].");
    const reply = await chat().invoke("Where did talks resume?");
    expect(reply.content).toBe("Talks resumed in Geneva [1].");
    // Tokens as the fake counts them: words and punctuation marks ("Where did talks resume?" is 5).
    expect(reply.usage_metadata).toMatchObject({ input_tokens: 5, output_tokens: 5, total_tokens: 10 });
    expect(fake.chat.requests[0]).toMatchObject({ api: "openai", model: "fake-chat", stream: false });
  });

  it("streams word chunks by SSE, with usage in the last chunk when asked (streamUsage)", async () => {
    fake.chat.push({ text: "One two three [1].", usage: { promptTokens: 42 } });
    const parts: string[] = [];
    let usage: unknown;
    for await (const chunk of await chat({ streaming: true, streamUsage: true }).stream("Count")) {
      if (typeof chunk.content === "string" && chunk.content !== "") parts.push(chunk.content);
      if (chunk.usage_metadata) usage = chunk.usage_metadata;
    }
    expect(parts).toEqual(["One", " two", " three", " [1]."]);
    expect(usage).toMatchObject({ input_tokens: 42, output_tokens: 4, total_tokens: 46 });
    expect(fake.chat.requests[0]?.body.stream_options).toEqual({ include_usage: true });
  });

  it("lets a reply quote the passages it was sent", async () => {
    fake.chat.reply((request) => {
      const passage = request.messages.find((m) => m.role === "user")?.content.match(/<p>(.*?)<\/p>/)?.[1] ?? "";
      return `${passage} [1].`;
    });
    const reply = await chat().invoke([
      ["system", "Answer from the passages."],
      ["user", "<p>The vote was delayed</p> Why?"],
    ]);
    expect(reply.content).toBe("The vote was delayed [1].");
    expect(fake.chat.requests[0]?.messages.map((m) => m.role)).toEqual(["system", "user"]);
  });

  it("paces chunks so time to first token can be measured", async () => {
    fake.chat.push({ text: "a b c", firstDelayMs: 150, delayMs: 100 });
    const started = performance.now();
    const arrivals: number[] = [];
    for await (const chunk of await chat({ streaming: true }).stream("Go"))
      if (chunk.content !== "") arrivals.push(performance.now() - started);
    expect(arrivals).toHaveLength(3);
    expect(arrivals[0]).toBeGreaterThanOrEqual(140);
    expect(arrivals[0]).toBeLessThan(240);
    expect(arrivals[2]).toBeGreaterThanOrEqual(340);
  });

  it("429 with Retry-After: RateLimitError with .status 429, the header in .headers, and retryAfterMs", async () => {
    fake.chat.push({ status: 429, retryAfterSeconds: 7 });
    const error = await caught(() => chat().invoke("Hi"));
    expect(error.constructor.name).toBe("RateLimitError");
    expect(error.status).toBe(429);
    expect((error.headers as Headers).get("retry-after")).toBe("7");
    // LangChain's default failed-attempt handler parses the header even when it will not retry.
    expect(error.retryAfterMs).toBe(7000);
    expect(error.lc_error_code).toBe("MODEL_RATE_LIMIT");
  });

  it("retries a 429 on its own after Retry-After when maxRetries allows", async () => {
    fake.chat.push({ status: 429, retryAfterSeconds: 1 }, "After the wait [1].");
    const started = performance.now();
    const reply = await chat({ maxRetries: 1 }).invoke("Hi");
    expect(reply.content).toBe("After the wait [1].");
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
    expect(fake.chat.count).toBe(2);
  });

  it("does not retry a 429 without Retry-After: it fails at once as RateLimitCapacityError", async () => {
    fake.chat.push({ status: 429 }, "never reached");
    const error = await caught(() => chat({ maxRetries: 3 }).invoke("Hi"));
    expect(error.name).toBe("RateLimitCapacityError");
    expect(error.status).toBe(429);
    expect(fake.chat.count).toBe(1);
  });

  it("500: InternalServerError with .status 500, streaming or not", async () => {
    fake.chat.push({ status: 500 }, { status: 503, message: "overloaded" });
    const plain = await caught(() => chat().invoke("Hi"));
    expect(plain.constructor.name).toBe("InternalServerError");
    expect(plain.status).toBe(500);
    const streamed = await caught(async () => {
      for await (const _ of await chat({ streaming: true }).stream("Hi"));
    });
    expect(streamed.status).toBe(503);
    expect(streamed.message).toContain("overloaded");
  });

  it("a hang: the client's timeout ends it with an Error named TimeoutError", async () => {
    fake.chat.push({ hang: true });
    const started = performance.now();
    const error = await caught(() => chat({ timeout: 300 }).invoke("Hi"));
    expect(error.name).toBe("TimeoutError");
    expect(error.status).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it("retries a timed-out request by itself: maxRetries, not timeout, bounds the total wait", async () => {
    fake.chat.push({ hang: true }, "Second attempt [1].");
    const reply = await chat({ timeout: 300, maxRetries: 1 }).invoke("Hi");
    expect(reply.content).toBe("Second attempt [1].");
    expect(fake.chat.count).toBe(2);
  });

  it("an AbortSignal does not cut the backoff between retries: the call ends at the next attempt", async () => {
    fake.chat.push({ status: 500 }, { status: 500 });
    const started = performance.now();
    const error = await caught(() => chat({ maxRetries: 1 }).invoke("Hi", { signal: AbortSignal.timeout(200) }));
    // Backoff is 1–2 s before the second attempt, which sees the aborted signal and sends nothing.
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
    expect(error.name).toBe("AbortError");
    expect(fake.chat.count).toBe(1);
  });

  it("a stall mid-stream: an AbortSignal ends it after the first chunks", async () => {
    fake.chat.push({ text: "First words and then nothing", stallAfterChunks: 2 });
    const seen: string[] = [];
    const error = await caught(async () => {
      const signal = AbortSignal.timeout(300);
      for await (const chunk of await chat({ streaming: true }).stream("Hi", { signal }))
        seen.push(String(chunk.content));
    });
    expect(seen.join("")).toBe("First words");
    expect(error.name).toMatch(/AbortError|TimeoutError/);
  });

  it("malformed JSON or SSE: a SyntaxError without .status", async () => {
    fake.chat.push({ malformed: true }, { malformed: true, text: "Half" });
    // logLevel "off" keeps the SDK from printing the broken event.
    const quiet = { configuration: { baseURL: fake.openaiBaseUrl, logLevel: "off" as const } };
    const plain = await caught(() => chat(quiet).invoke("Hi"));
    expect(plain).toBeInstanceOf(SyntaxError);
    expect(plain.status).toBeUndefined();
    const streamed = await caught(async () => {
      for await (const _ of await chat({ ...quiet, streaming: true }).stream("Hi"));
    });
    expect(streamed).toBeInstanceOf(SyntaxError);
  });

  it("connection refused: APIConnectionError, .status undefined, ECONNREFUSED in the cause chain", async () => {
    const error = await caught(async () => chat({}, `${await refusedUrl()}/v1`).invoke("Hi"));
    expect(error.constructor.name).toBe("APIConnectionError");
    expect(error.status).toBeUndefined();
    const cause = error.cause as Error & { cause?: { code?: string } };
    expect(cause.cause?.code).toBe("ECONNREFUSED");
  });
});

describe("OpenAIEmbeddings against the fake", () => {
  it("embeds strings and batches (the SDK asks for base64; the fake sends it) and counts inputs", async () => {
    const client = embeddings({ batchSize: 2 });
    const vectors = await client.embedDocuments(["alpha beta", "gamma", "delta"]);
    expect(vectors).toHaveLength(3);
    expect(vectors[0]?.[0]).toBeCloseTo(hashEmbedding("alpha beta")[0] ?? Number.NaN, 6);
    expect(vectors[2]?.length).toBe(64);
    expect(await client.embedQuery("gamma")).toEqual(vectors[1]);
    expect(fake.embeddings.count).toBe(3);
    expect(fake.embeddings.requests.map((r) => r.inputs)).toEqual([["alpha beta", "gamma"], ["delta"], ["gamma"]]);
    expect(fake.embeddings.embeddedInputs).toBe(4);
    expect(fake.embeddings.requests[0]?.body.encoding_format).toBe("base64");
  });

  it("sends floats when asked, and honours `dimensions`", async () => {
    const vector = await embeddings({ encodingFormat: "float", dimensions: 16 }).embedQuery("alpha");
    expect(vector).toEqual(hashEmbedding("alpha", 16));
  });

  it("fails scripted requests first, then embeds: 429 carries Retry-After, 500 its status", async () => {
    fake.embeddings.push({ status: 429, retryAfterSeconds: 2 }, { status: 500 });
    const limited = await caught(() => embeddings().embedQuery("x"));
    expect(limited.status).toBe(429);
    expect((limited.headers as Headers).get("retry-after")).toBe("2");
    expect(limited.retryAfterMs).toBe(2000);
    expect((await caught(() => embeddings().embedQuery("x"))).status).toBe(500);
    expect(await embeddings().embedQuery("x")).toHaveLength(64);
    expect(fake.embeddings.requestedInputs).toBe(3);
    expect(fake.embeddings.embeddedInputs).toBe(1);
  });

  it("a hang ends with the client's timeout; malformed JSON is a SyntaxError", async () => {
    fake.embeddings.push({ hang: true }, { malformed: true });
    expect((await caught(() => embeddings({ timeout: 300 }).embedQuery("x"))).name).toBe("TimeoutError");
    expect(await caught(() => embeddings().embedQuery("x"))).toBeInstanceOf(SyntaxError);
  });
});
