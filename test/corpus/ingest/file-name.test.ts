import { describe, expect, it } from "vitest";
import { articleFileName } from "../../../src/corpus/ingest/file-name.js";

describe("articleFileName", () => {
  it("makes a lower-case ASCII slug ending .md", () => {
    expect(articleFileName("Blinken’s visit to China — An Analysis")).toBe("blinkens-visit-to-china-an-analysis.md");
    expect(articleFileName("Crème brûlée, 2024!")).toBe("creme-brulee-2024.md");
  });

  it("never yields a path, a dot file or a reserved device name", () => {
    for (const title of ["../../x", "/etc/passwd", "..", ".env", "a\\b", "con", "NUL", "lpt1"]) {
      const name = articleFileName(title);
      expect(name).toMatch(/^[a-z0-9][a-z0-9-]*\.md$/);
    }
    expect(articleFileName("con")).toBe("article-con.md");
  });

  it("cuts a long title between words at 80 characters", () => {
    const name = articleFileName("word ".repeat(40));
    expect(name.length).toBeLessThanOrEqual(83);
    expect(name).toMatch(/^word(-word)*\.md$/);
  });

  it("falls back when the title has no Latin letters or digits", () => {
    expect(articleFileName("日本語", "report-7")).toBe("report-7.md");
    expect(articleFileName("日本語", "日本")).toBe("article.md");
  });
});
