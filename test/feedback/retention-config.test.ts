import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { hasCode } from "../../src/errors.js";

describe("FEEDBACK_RETENTION_DAYS", () => {
  it("defaults to 90 days and accepts 1 to 3650", () => {
    expect(loadConfig({}, "/tmp").feedbackRetentionDays).toBe(90);
    expect(loadConfig({ FEEDBACK_RETENTION_DAYS: " 1 " }, "/tmp").feedbackRetentionDays).toBe(1);
    expect(loadConfig({ FEEDBACK_RETENTION_DAYS: "3650" }, "/tmp").feedbackRetentionDays).toBe(3650);
    expect(loadConfig({ FEEDBACK_RETENTION_DAYS: "" }, "/tmp").feedbackRetentionDays).toBe(90);
  });

  it.each(["0", "3651", "30.5", "-1", "ninety"])("refuses %s in one line naming the variable", (value) => {
    let error: unknown;
    try {
      loadConfig({ FEEDBACK_RETENTION_DAYS: value }, "/tmp");
    } catch (e) {
      error = e;
    }
    expect(hasCode(error, "CONFIG_INVALID")).toBe(true);
    expect((error as Error).message).toBe(
      `FEEDBACK_RETENTION_DAYS must be a whole number of days from 1 to 3650 (got "${value}").`,
    );
  });
});
