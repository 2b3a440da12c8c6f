/**
 * The answer model a configuration names, and the few words a failed call is reported by.
 * Failures of the real clients are exercised against the fake server in ask-with-model.test.ts;
 * here, real Node errors of each kind.
 */
import { type AddressInfo, createServer } from "node:net";
import { ChatOllama } from "@langchain/ollama";
import { ChatOpenAI } from "@langchain/openai";
import { describe, expect, it } from "vitest";
import { createAnswerModel } from "../../../src/answer/generate/answer-model.js";
import { failureReason } from "../../../src/answer/generate/model-failure.js";

describe("createAnswerModel", () => {
  it("makes ChatOpenAI for an OpenAI-compatible server, named by its model, streaming with usage", () => {
    const model = createAnswerModel({
      provider: "openai",
      baseUrl: "http://127.0.0.1:1/v1",
      model: "qwen2.5",
      apiKey: null,
      timeoutMs: 1234,
    });
    expect(model.name).toBe("qwen2.5");
    expect(model.timeoutMs).toBe(1234);
    expect(model.chat).toBeInstanceOf(ChatOpenAI);
    const chat = model.chat as ChatOpenAI;
    expect(chat.streaming).toBe(true);
    expect(chat.streamUsage).toBe(true);
  });

  it("makes ChatOllama for Ollama, named ollama:<model>", () => {
    const model = createAnswerModel({
      provider: "ollama",
      baseUrl: null,
      model: "llama3.2",
      apiKey: null,
      timeoutMs: 20_000,
    });
    expect(model.name).toBe("ollama:llama3.2");
    expect(model.chat).toBeInstanceOf(ChatOllama);
  });
});

describe("failureReason", () => {
  const CALL = { timedOut: false, timeoutMs: 20_000 };

  it("says a call timed out, whatever the error", () => {
    expect(failureReason(new Error("anything"), { timedOut: true, timeoutMs: 20_000 })).toBe(
      "timed out after 20000 ms",
    );
    // The client's own timeout error, a moment before ours.
    const clientTimeout = Object.assign(new Error("Request timed out."), { name: "TimeoutError" });
    expect(failureReason(clientTimeout, CALL)).toBe("timed out after 20000 ms");
  });

  it("reads an HTTP status from the error or its causes", () => {
    expect(failureReason(Object.assign(new Error("x"), { status: 429 }), CALL)).toBe("rate limited (429)");
    expect(
      failureReason(new Error("wrapped", { cause: Object.assign(new Error("y"), { status_code: 503 }) }), CALL),
    ).toBe("server error (503)");
    expect(failureReason(Object.assign(new Error("x"), { status: 404 }), CALL)).toBe("refused the request (404)");
  });

  it("reads a refused connection from a real fetch's cause chain", async () => {
    // A port just freed: nothing listens there.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const error = await fetch(`http://127.0.0.1:${port}/`).catch((e: unknown) => e);
    expect(failureReason(error, CALL)).toBe("connection refused");
  });

  it("calls a reply that does not parse malformed, and falls back to the message's first line", () => {
    let parseError: unknown;
    try {
      JSON.parse("{");
    } catch (e) {
      parseError = e;
    }
    expect(failureReason(parseError, CALL)).toBe("malformed reply");
    expect(failureReason(new Error("Did not receive done\nmore"), CALL)).toBe("Did not receive done");
  });
});
