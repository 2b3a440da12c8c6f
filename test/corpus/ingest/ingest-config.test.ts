import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config.js";
import { caught } from "../../helpers/caught.js";

describe("the ingest settings", () => {
  it("default to 5 MB, 15 s and the address rule on", () => {
    expect(loadConfig({}, "/tmp").ingest).toEqual({
      maxBytes: 5 * 1024 * 1024,
      fetchTimeoutMs: 15_000,
      fetchAllowPrivate: false,
    });
  });

  it("read CORPUS_MAX_BYTES, CORPUS_FETCH_TIMEOUT_MS and CORPUS_FETCH_ALLOW_PRIVATE", () => {
    const c = loadConfig(
      { CORPUS_MAX_BYTES: " 1048576 ", CORPUS_FETCH_TIMEOUT_MS: "2000", CORPUS_FETCH_ALLOW_PRIVATE: "1" },
      "/tmp",
    );
    expect(c.ingest).toEqual({ maxBytes: 1_048_576, fetchTimeoutMs: 2000, fetchAllowPrivate: true });
    expect(loadConfig({ CORPUS_FETCH_ALLOW_PRIVATE: "0" }, "/tmp").ingest.fetchAllowPrivate).toBe(false);
    expect(loadConfig({ CORPUS_FETCH_ALLOW_PRIVATE: "" }, "/tmp").ingest.fetchAllowPrivate).toBe(false);
  });

  it.each([
    ["CORPUS_MAX_BYTES", "5MB"],
    ["CORPUS_MAX_BYTES", "10"],
    ["CORPUS_FETCH_TIMEOUT_MS", "-1"],
    ["CORPUS_FETCH_ALLOW_PRIVATE", "maybe"],
  ])("refuse %s=%s with a one-line message naming it", async (name, value) => {
    const error = await caught(async () => loadConfig({ [name]: value }, "/tmp"));
    expect(error).toMatchObject({ code: "CONFIG_INVALID" });
    expect(error.message).toContain(name);
    expect(error.message).not.toContain("\n");
  });
});
