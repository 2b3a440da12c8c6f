import { describe, expect, it } from "vitest";
import { UsageError } from "../../scripts/lib/command-line.js";
import { parseFailure, parseFakeModelArguments } from "../../scripts/lib/fake-model/cli-arguments.js";

describe("npm run fake-model arguments", () => {
  it("defaults to a free port, 64 dimensions, a cited reply and request logs", () => {
    expect(parseFakeModelArguments([])).toEqual({
      port: 0,
      dimension: 64,
      chat: { text: "This is the fake model's reply [1]." },
      embeddingsFailure: null,
      log: true,
    });
    expect(parseFakeModelArguments(["--help"])).toBeNull();
  });

  it("reads the reply, its pacing and failures for every request", () => {
    const options = parseFakeModelArguments([
      "--port=11435",
      "--reply",
      "Hi [1].",
      "--delay-ms",
      "25",
      "--first-delay-ms",
      "300",
      "--embed-fail",
      "429:3",
      "--quiet",
    ]);
    expect(options).toMatchObject({
      port: 11435,
      chat: { text: "Hi [1].", delayMs: 25, firstDelayMs: 300 },
      embeddingsFailure: { status: 429, retryAfterSeconds: 3 },
      log: false,
    });
    expect(parseFakeModelArguments(["--chat-fail", "hang"])?.chat).toEqual({ hang: true });
  });

  it("with --reply quote, answers each prompt by quoting its first passage, cited, or says it has none", () => {
    const reply = parseFakeModelArguments(["--reply", "quote", "--delay-ms", "5"])?.chat;
    if (typeof reply !== "function") throw new Error("expected a reply function");
    const request = (user: string) => ({
      api: "openai" as const,
      model: "m",
      stream: true,
      body: {},
      at: 0,
      messages: [{ role: "user", content: user }],
    });
    const prompt =
      '<passages>\n<passage n="1" from="A, ¶ 1">\nTea grows on hills. It is picked in spring! Then dried.\n</passage>\n</passages>';
    expect(reply(request(prompt))).toEqual({ text: "Tea grows on hills [1]. It is picked in spring [1].", delayMs: 5 });
    expect(reply(request("no passages here"))).toEqual({ text: "NOT_IN_PASSAGES", delayMs: 5 });
  });

  it("writes failures as a status, 429:SECONDS, hang or malformed", () => {
    expect(parseFailure("f", "500")).toEqual({ status: 500 });
    expect(parseFailure("f", "malformed")).toEqual({ malformed: true });
    expect(() => parseFailure("chat-fail", "teapot")).toThrow(/--chat-fail must be a status/);
  });

  it("rejects bad input with a one-line UsageError", () => {
    for (const args of [["--port", "70000"], ["--dimension", "0"], ["--bogus"], ["extra"], ["--delay-ms", "-1"]])
      expect(() => parseFakeModelArguments(args)).toThrow(UsageError);
  });
});
