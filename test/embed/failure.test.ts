import { describe, expect, it } from "vitest";
import { describeFailure, failureStatus, parseRetryAfter, retryAfterHeader } from "../../src/embed/remote/failure.js";

describe("reading a failed embeddings request", () => {
  it("reads Retry-After as seconds or as an HTTP date, and nothing else", () => {
    const now = Date.parse("2025-01-01T00:00:00Z");
    expect(parseRetryAfter("2", now)).toBe(2000);
    expect(parseRetryAfter("0.5", now)).toBe(500);
    expect(parseRetryAfter("Wed, 01 Jan 2025 00:00:07 GMT", now)).toBe(7000);
    expect(parseRetryAfter("Tue, 31 Dec 2024 23:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter("soon", now)).toBeNull();
    expect(parseRetryAfter("-3", now)).toBeNull();
  });

  it("finds the status however the client carries it (OpenAI status, Ollama status_code, a cause)", () => {
    expect(failureStatus(Object.assign(new Error("x"), { status: 429 }))).toBe(429);
    expect(failureStatus(Object.assign(new Error("x"), { status_code: 503 }))).toBe(503);
    expect(failureStatus(new Error("wrapped", { cause: Object.assign(new Error("x"), { status: 500 }) }))).toBe(500);
    expect(failureStatus(new TypeError("fetch failed"))).toBeNull();
    expect(retryAfterHeader({ headers: new Headers({ "Retry-After": "3" }) })).toBe("3");
    expect(retryAfterHeader({ headers: { "retry-after": "4" } })).toBe("4");
    expect(retryAfterHeader(new Error("x"))).toBeNull();
  });

  it("says what happened in a few words", () => {
    const refused = new Error("Connection error.", {
      cause: new TypeError("fetch failed", { cause: Object.assign(new Error("connect"), { code: "ECONNREFUSED" }) }),
    });
    expect(describeFailure(refused, 1000)).toBe("connection refused (ECONNREFUSED)");
    const timeout = new Error("aborted", { cause: new DOMException("The operation timed out.", "TimeoutError") });
    expect(describeFailure(timeout, 30_000)).toBe("no answer within 30 s");
    expect(describeFailure(Object.assign(new Error("500 Internal error.\nstack"), { status: 500 }), 1)).toBe(
      "HTTP 500: 500 Internal error",
    );
    expect(describeFailure(new Error("Connection error.", { cause: new Error("bad port") }), 1)).toBe(
      "Connection error (bad port)",
    );
  });
});
