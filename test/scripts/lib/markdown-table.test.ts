import { describe, expect, it } from "vitest";
import { markdownTable } from "../../../scripts/lib/markdown-table.js";

describe("markdownTable", () => {
  it("pads every column to its widest cell, text columns left and number columns right", () => {
    expect(
      markdownTable(
        ["system", "R@1"],
        [
          ["passage", "0.5"],
          ["bm25", "0.25"],
        ],
        1,
      ),
    ).toBe(["| system  |  R@1 |", "|:--------|-----:|", "| passage |  0.5 |", "| bm25    | 0.25 |"].join("\n"));
    expect(markdownTable(["n", "s"], [["1000", "1.1"]])).toBe(
      ["|    n |   s |", "|-----:|----:|", "| 1000 | 1.1 |"].join("\n"),
    );
  });
});
