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
