import { describe, expect, it } from "vitest";
import { hasCode, IndexError, PassageError, UserError } from "../src/errors.js";

describe("errors", () => {
  it("appends the remedy to the message and keeps it apart for callers to test", () => {
    const error = new IndexError("INDEX_MISSING", "There is no index at data/index.", { remedy: "Run it." });
    expect(error.message).toBe("There is no index at data/index. Run it.");
    expect(error.remedy).toBe("Run it.");
    expect(new IndexError("INDEX_CORRUPT", "Broken.").remedy).toBeNull();
  });

  it("keeps the cause", () => {
    const cause = new Error("disk");
    expect(new PassageError("SCHEDULE_DB", "No database.", { cause }).cause).toBe(cause);
  });

  it("matches codes, whatever the subclass, and nothing that is not ours", () => {
    expect(hasCode(new UserError("REINDEX_RUNNING", "busy"), "REINDEX_RUNNING")).toBe(true);
    expect(hasCode(new PassageError("REINDEX_RUNNING", "busy"), "REINDEX_RUNNING", "INDEX_MISSING")).toBe(true);
    expect(hasCode(new UserError("COOLDOWN", "wait"), "REINDEX_RUNNING")).toBe(false);
    expect(hasCode(Object.assign(new Error("x"), { code: "REINDEX_RUNNING" }), "REINDEX_RUNNING")).toBe(false);
  });
});
