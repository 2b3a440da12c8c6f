import { describe, expect, it } from "vitest";
import { cleanQuestion, MAX_QUESTION_CHARS } from "../../src/commands/ask.js";

describe("cleanQuestion", () => {
  it("collapses white space and strips control and invisible characters", () => {
    expect(cleanQuestion("  What\tabout\n\nTaiwan?\u0007\u200b ")).toBe("What about Taiwan?");
  });

  it("refuses an empty or blank question with an explanation", () => {
    for (const q of ["", "   ", "\n\t", "\u0000\u0001"]) {
      expect(() => cleanQuestion(q)).toThrow(expect.objectContaining({ name: "UserError", code: "EMPTY_QUESTION" }));
    }
  });

  it("refuses a question over the limit and says how long it was", () => {
    const long = "why ".repeat(3000);
    expect(() => cleanQuestion(long)).toThrow(
      expect.objectContaining({
        code: "QUESTION_TOO_LONG",
        message: expect.stringContaining(String(MAX_QUESTION_CHARS)),
      }),
    );
    expect(cleanQuestion("a".repeat(MAX_QUESTION_CHARS))).toHaveLength(MAX_QUESTION_CHARS);
  });
});
