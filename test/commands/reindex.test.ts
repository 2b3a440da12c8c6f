import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeBuild, describeProgress, reindex } from "../../src/commands/reindex.js";
import { makeStack, type TestStack } from "../helpers/services.js";

let stack: TestStack;
beforeAll(async () => {
  stack = await makeStack();
});
afterAll(() => stack.cleanup());

const ARTICLE = `---
title: "A second article"
---
The delegation travelled by train to Shanghai after the talks in Beijing.

Officials in Shanghai spoke about trade, ports and shipping.
`;

describe("describeProgress", () => {
  it("says each phase of a build in a line", () => {
    expect(describeProgress({ phase: "read", done: 1, total: 1 })).toBe("Read 1 article");
    expect(describeProgress({ phase: "read", done: 3, total: 3 })).toBe("Read 3 articles");
    expect(describeProgress({ phase: "embed", done: 10, total: 31 })).toBe("Embedding passages: 10 of 31");
    expect(describeProgress({ phase: "graph", done: 31, total: 31 })).toBe("Linking the vector graph: 31 of 31");
    expect(describeProgress({ phase: "write", done: 0, total: 1 })).toBe("Writing and verifying the new index");
    expect(describeProgress({ phase: "write", done: 1, total: 1 })).toBe("Swapped in the new index");
  });
});

describe("reindex and describeBuild", () => {
  it("says what a rebuild cost: every vector kept when nothing changed", async () => {
    const text = describeBuild(await reindex(stack.services));
    expect(text).toMatch(/^Indexed 1 article into 31 passages in \d+\.\d\d s\.\n/);
    expect(text).toContain("\nChanges: passages +0 / −0.\n");
    expect(text).toMatch(/\nEmbedded 0 new or changed passages; 31 kept their vectors\.$/);
  });

  it("names the articles added, changed and removed, and the passages embedded for them", async () => {
    await writeFile(join(stack.corpusDir, "second.md"), ARTICLE);
    const added = describeBuild(await reindex(stack.services)).split("\n");
    expect(added[0]).toMatch(/^Indexed 2 articles into 33 passages in /);
    expect(added[1]).toBe("Changes: articles added: second.md; passages +2 / −0.");
    expect(added[2]).toBe("Embedded 2 new or changed passages; 31 kept their vectors.");

    await writeFile(join(stack.corpusDir, "second.md"), ARTICLE.replace("ports", "airports"));
    const changed = describeBuild(await reindex(stack.services)).split("\n");
    expect(changed[1]).toBe("Changes: articles changed: second.md; passages +1 / −1.");
    expect(changed[2]).toBe("Embedded 1 new or changed passage; 32 kept their vectors.");

    await rm(join(stack.corpusDir, "second.md"));
    const removed = describeBuild(await reindex(stack.services)).split("\n");
    expect(removed[1]).toBe("Changes: articles removed: second.md; passages +0 / −2.");
    expect(stack.logs.filter((l) => l.event === "reindex.done").at(-1)).toMatchObject({ articles: 1, passages: 31 });
  });

  it("lists a file it skipped, and why", async () => {
    await writeFile(join(stack.corpusDir, "empty.md"), "---\ntitle: Empty\n---\n");
    const text = describeBuild(await reindex(stack.services));
    await rm(join(stack.corpusDir, "empty.md"));
    expect(text).toMatch(/\nSkipped empty\.md: .+$/);
  });

  it("refuses a second rebuild while one runs, as the user's mistake", async () => {
    const first = reindex(stack.services);
    await expect(reindex(stack.services)).rejects.toMatchObject({ name: "UserError", code: "REINDEX_RUNNING" });
    await first;
  });
});
