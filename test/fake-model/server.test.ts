import { afterEach, describe, expect, it } from "vitest";
import {
  DEFAULT_CHAT_TEXT,
  FAKE_OLLAMA_VERSION,
  type FakeModelServer,
  startFakeModelServer,
} from "../../scripts/lib/fake-model/index.js";

// The fake's own contract, over plain fetch: scripting order, records, the listing routes and
// a prompt close. The LangChain clients are driven in the *-clients tests beside this one.
let fake: FakeModelServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const post = (url: string, body: unknown, signal?: AbortSignal) =>
  fetch(url, { method: "POST", body: JSON.stringify(body), ...(signal ? { signal } : {}) });
/** How a request ended, caught at once so a rejection before it is awaited is not "unhandled". */
const outcome = (request: Promise<unknown>) =>
  request.then(
    () => "answered",
    () => "dropped",
  );
const ask = async (server: FakeModelServer, text = "hi") => {
  const response = await post(`${server.openaiBaseUrl}/chat/completions`, {
    model: "m",
    messages: [{ role: "user", content: text }],
  });
  const body = (await response.json()) as { choices: { message: { content: string } }[] };
  return body.choices[0]?.message.content;
};

describe("the fake model server", () => {
  it("listens on 127.0.0.1 with a free port and gives each API its base URL", async () => {
    fake = await startFakeModelServer();
    expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(fake.openaiBaseUrl).toBe(`${fake.url}/v1`);
    expect(fake.ollamaBaseUrl).toBe(fake.url);
  });

  it("hands out pushed replies in order, then the default, which reply() replaces", async () => {
    fake = await startFakeModelServer();
    fake.chat.push("first", { text: "second" });
    expect(fake.chat.pending).toBe(2);
    expect(await ask(fake)).toBe("first");
    expect(await ask(fake)).toBe("second");
    expect(await ask(fake)).toBe(DEFAULT_CHAT_TEXT);
    fake.chat.reply((request) => request.messages[0]?.content.toUpperCase() ?? "");
    expect(await ask(fake, "loud")).toBe("LOUD");
    expect(fake.chat.count).toBe(4);
    fake.reset();
    expect(fake.chat.count).toBe(0);
    expect(await ask(fake)).toBe(DEFAULT_CHAT_TEXT);
  });

  it("takes default replies from its options", async () => {
    fake = await startFakeModelServer({ chat: "scripted default", embeddings: { status: 503 } });
    expect(await ask(fake)).toBe("scripted default");
    const response = await post(`${fake.openaiBaseUrl}/embeddings`, { model: "m", input: "x" });
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      error: { message: "fake model server: scripted 503", type: "server_error", param: null, code: "server_error" },
    });
  });

  it("records every request with its parsed body, and waits for one", async () => {
    fake = await startFakeModelServer();
    const waiting = fake.waitForRequest((r) => r.path === "/api/embed");
    await post(`${fake.ollamaBaseUrl}/api/embed`, { model: "e", input: ["a", "b"] });
    expect((await waiting).body).toEqual({ model: "e", input: ["a", "b"] });
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["POST /api/embed"]);
    await expect(fake.waitForRequest((r) => r.path === "/nothing", 50)).rejects.toThrow(/seen: POST \/api\/embed/);
  });

  it("lists models and its version as OpenAI and Ollama do", async () => {
    fake = await startFakeModelServer({ models: ["a", "b"] });
    const models = (await (await fetch(`${fake.openaiBaseUrl}/models`)).json()) as { data: { id: string }[] };
    expect(models.data.map((m) => m.id)).toEqual(["a", "b"]);
    const tags = (await (await fetch(`${fake.url}/api/tags`)).json()) as { models: { name: string }[] };
    expect(tags.models.map((m) => m.name)).toEqual(["a", "b"]);
    expect(await (await fetch(`${fake.url}/api/version`)).json()).toEqual({ version: FAKE_OLLAMA_VERSION });
  });

  it("answers unknown routes with 404 and a body that is not JSON with 400", async () => {
    fake = await startFakeModelServer();
    expect((await fetch(`${fake.openaiBaseUrl}/completions`, { method: "POST", body: "{}" })).status).toBe(404);
    expect((await fetch(`${fake.url}/api/generate`, { method: "POST", body: "{}" })).status).toBe(404);
    expect((await fetch(`${fake.url}/api/chat`, { method: "POST", body: "{oops" })).status).toBe(400);
  });

  it("turns a reply function that throws into a 500 that names the error", async () => {
    fake = await startFakeModelServer();
    fake.chat.push(() => {
      throw new Error("bad script");
    });
    const response = await post(`${fake.openaiBaseUrl}/chat/completions`, { model: "m", messages: [] });
    expect(response.status).toBe(500);
    expect(await response.text()).toContain("bad script");
    fake.embeddings.push(() => Promise.reject(new Error("bad embeddings script")));
    const ollama = await post(`${fake.url}/api/embed`, { model: "m", input: "x" });
    expect(ollama.status).toBe(500);
    expect(await ollama.json()).toEqual({ error: "fake model server: bad embeddings script" });
  });

  it("counts embedded inputs only for answered requests", async () => {
    fake = await startFakeModelServer();
    fake.embeddings.push({ status: 500 }, { delayMs: 20 });
    await post(`${fake.openaiBaseUrl}/embeddings`, { model: "m", input: ["a", "b", "c"] });
    const response = await post(`${fake.openaiBaseUrl}/embeddings`, { model: "m", input: ["a", "b"] });
    const body = (await response.json()) as { data: { embedding: number[] }[]; usage: { prompt_tokens: number } };
    expect(body.data.map((d) => d.embedding.length)).toEqual([64, 64]);
    expect(body.usage.prompt_tokens).toBe(2);
    expect(fake.embeddings.requestedInputs).toBe(5);
    expect(fake.embeddings.embeddedInputs).toBe(2);
  });

  it("closes promptly while requests hang, stall or wait, dropping their connections", async () => {
    fake = await startFakeModelServer();
    fake.chat.push({ hang: true }, { text: "a b c", stallAfterChunks: 1 });
    fake.embeddings.push({ delayMs: 60_000 });
    const hanging = outcome(post(`${fake.openaiBaseUrl}/chat/completions`, { model: "m", messages: [] }));
    const stalled = post(`${fake.url}/api/chat`, { model: "m", messages: [] });
    const slow = outcome(post(`${fake.url}/api/embed`, { model: "m", input: "x" }));
    // The stalled stream has sent its headers and first line; read them before closing.
    const stalledResponse = await stalled;
    const reader = stalledResponse.body?.getReader();
    const first = await reader?.read();
    expect(new TextDecoder().decode(first?.value)).toContain('"content":"a"');
    await fake.waitForRequest((r) => r.path === "/api/embed");
    const started = performance.now();
    await fake.close();
    expect(performance.now() - started).toBeLessThan(500);
    expect(await hanging).toBe("dropped");
    expect(await slow).toBe("dropped");
    expect(await outcome(reader?.read() ?? Promise.resolve())).toBe("dropped");
    expect(fake.embeddings.embeddedInputs).toBe(0);
  });

  it("ends a hang when the client gives up, so nothing stays open", async () => {
    fake = await startFakeModelServer();
    fake.chat.push({ hang: true });
    const controller = new AbortController();
    const hanging = outcome(
      post(`${fake.openaiBaseUrl}/chat/completions`, { model: "m", messages: [] }, controller.signal),
    );
    await fake.waitForRequest((r) => r.path === "/v1/chat/completions");
    controller.abort();
    expect(await hanging).toBe("dropped");
    expect(await ask(fake)).toBe(DEFAULT_CHAT_TEXT);
  });
});
