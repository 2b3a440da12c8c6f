import { existsSync } from "node:fs";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CorpusManager } from "../../src/curation/corpus-manager.js";
import type { NewArticle } from "../../src/curation/types.js";
import { LocalEmbeddings } from "../../src/embed/local-embeddings.js";
import { caught } from "../helpers/caught.js";
import { makeStack, type TestStack } from "../helpers/services.js";

/** The local embedder, made to fail on demand: the reindex after a change breaks, as a remote server might. */
class BreakableEmbeddings extends LocalEmbeddings {
  fail = false;
  override async embedDocuments(documents: string[]): Promise<number[][]> {
    if (this.fail) throw new Error("the embeddings server went away");
    return super.embedDocuments(documents);
  }
}

const ALICE = { id: "1310000000000000301", name: "Alice" };
const BOB = { id: "1310000000000000302", name: "Bob" };

/** A converted article as lane ingest hands it over, made by hand. */
function article(fileName: string, title: string, body: string, url: string | null = null): NewArticle {
  return {
    title,
    sourceUrl: url,
    fileName,
    checksum: `sum-of-${fileName}-${body.length}`,
    markdown: `---\ntitle: "${title}"\nauthor: "A. Writer"\ndate: "2024-05-01"\nurl: "${url ?? ""}"\n---\n${body}`,
  };
}

const PORTS = article(
  "shanghai-ports.md",
  "Shanghai's ports",
  "The container port of Shanghai handled record volumes of trade last year.\n\nShipping lines added routes to Rotterdam and Los Angeles after the talks.\n",
  "http://127.0.0.1:9/ports",
);

let stack: TestStack;
let embedder: BreakableEmbeddings;
let corpus: CorpusManager;
beforeAll(async () => {
  embedder = new BreakableEmbeddings();
  stack = await makeStack({ embedding: { embedder, concepts: null } });
  corpus = new CorpusManager({
    corpusDir: stack.corpusDir,
    dataDir: join(stack.root, "curation-data"),
    indexes: stack.services.indexes,
    logger: stack.services.logger,
    historyLimit: 3,
  });
});
afterAll(async () => {
  corpus.close();
  await stack.cleanup();
});

describe("CorpusManager", () => {
  it("adds an article: the file is written, the index holds its passages, the list and log say who added it", async () => {
    const change = await corpus.add(PORTS, ALICE);
    expect(change).toMatchObject({
      action: "add",
      source: "shanghai-ports.md",
      title: "Shanghai's ports",
      passages: 2,
    });
    expect(change.preview).toBe("The container port of Shanghai handled record volumes of trade last year.");
    expect(change.build.kind).toBe("incremental");
    expect(change.build.changes.articlesAdded).toEqual(["shanghai-ports.md"]);
    expect(await readFile(join(stack.corpusDir, "shanghai-ports.md"), "utf8")).toBe(PORTS.markdown);
    expect(
      stack.services.indexes.current.passages.filter((p) => p.metadata.source === "shanghai-ports.md"),
    ).toHaveLength(2);

    const listed = await corpus.list();
    expect(listed.map((a) => a.source)).toEqual(["blinken-china-visit.md", "shanghai-ports.md"]);
    expect(listed[1]).toMatchObject({ passages: 2, addedBy: "Alice" });
    expect(listed[1]?.addedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    // An article put in the folder by hand has no one to credit.
    expect(listed[0]).toMatchObject({ addedBy: null, addedAt: null, passages: 31 });
    expect((await corpus.log(1))[0]).toMatchObject({
      action: "add",
      actor: ALICE,
      source: "shanghai-ports.md",
      origin: "http://127.0.0.1:9/ports",
      checksum: PORTS.checksum,
      undone: false,
    });
  });

  it("refuses the same text again, under another name, and changes nothing", async () => {
    const before = await readdir(stack.corpusDir);
    const error = await caught(() => corpus.add({ ...PORTS, fileName: "copy.md", checksum: "other" }, BOB));
    expect(error).toMatchObject({ name: "UserError", code: "ARTICLE_DUPLICATE" });
    expect(error.message).toBe(`This article is already in the corpus as "Shanghai's ports" (shanghai-ports.md).`);
    expect(await readdir(stack.corpusDir)).toEqual(before);
    // By the ingest checksum too, whatever the text's layout.
    const same = await caught(() =>
      corpus.add({ ...article("x.md", "X", "Other words entirely.\n"), checksum: PORTS.checksum }, BOB),
    );
    expect(same).toMatchObject({ code: "ARTICLE_DUPLICATE" });
  });

  it("refuses a file name with folders in it", async () => {
    const error = await caught(() => corpus.add({ ...PORTS, fileName: "../escape.md", checksum: "n" }, BOB));
    expect(error).toMatchObject({ code: "ARTICLE_NAME" });
    expect(existsSync(join(stack.root, "escape.md"))).toBe(false);
  });

  it("shows an article's front matter and first paragraph, by file or by title, and offers titles to autocomplete", async () => {
    const shown = await corpus.show("Shanghai's ports");
    expect(shown).toEqual({
      source: "shanghai-ports.md",
      title: "Shanghai's ports",
      frontMatter: {
        title: "Shanghai's ports",
        author: "A. Writer",
        date: "2024-05-01",
        url: "http://127.0.0.1:9/ports",
      },
      firstParagraph: "The container port of Shanghai handled record volumes of trade last year.",
      passages: 2,
    });
    expect((await corpus.show("shanghai-ports")).source).toBe("shanghai-ports.md");
    expect(await corpus.titles("shang")).toEqual([{ source: "shanghai-ports.md", title: "Shanghai's ports" }]);
    expect((await corpus.titles("CHINA")).map((t) => t.source)).toEqual(["blinken-china-visit.md"]);
    expect((await corpus.titles("")).length).toBe(2);
    await expect(corpus.show("../../etc/passwd")).rejects.toThrow(
      expect.objectContaining({ code: "ARTICLE_NOT_FOUND" }),
    );
  });

  it("replaces a same-named article, and undo brings the earlier version back", async () => {
    const newer = article(
      "shanghai-ports.md",
      "Shanghai's ports",
      "The port of Shanghai is the busiest container port in the world.\n",
    );
    const change = await corpus.add(newer, BOB);
    expect(change).toMatchObject({ action: "replace", passages: 1 });
    expect((await corpus.list()).find((a) => a.source === "shanghai-ports.md")?.addedBy).toBe("Bob");

    const undone = await corpus.undo(ALICE);
    expect(undone).toMatchObject({ action: "undo", undid: "replace", source: "shanghai-ports.md", passages: 2 });
    expect(await readFile(join(stack.corpusDir, "shanghai-ports.md"), "utf8")).toBe(PORTS.markdown);
    expect((await corpus.list()).find((a) => a.source === "shanghai-ports.md")?.addedBy).toBe("Alice");
    expect((await corpus.log(2)).map((e) => [e.action, e.actor.name, e.undone])).toEqual([
      ["undo", "Alice", false],
      ["replace", "Bob", true],
    ]);
  });

  it("removes an article and reindexes; undo puts it back", async () => {
    const removed = await corpus.remove("shanghai-ports.md", BOB);
    expect(removed).toMatchObject({ action: "remove", title: "Shanghai's ports", passages: 2 });
    expect(existsSync(join(stack.corpusDir, "shanghai-ports.md"))).toBe(false);
    expect((await corpus.list()).map((a) => a.source)).toEqual(["blinken-china-visit.md"]);
    expect(removed.build.changes.articlesRemoved).toEqual(["shanghai-ports.md"]);

    await expect(corpus.remove("shanghai-ports.md", BOB)).rejects.toMatchObject({ code: "ARTICLE_NOT_FOUND" });

    const undone = await corpus.undo(BOB);
    expect(undone).toMatchObject({ undid: "remove", passages: 2 });
    expect((await corpus.list()).map((a) => a.source)).toEqual(["blinken-china-visit.md", "shanghai-ports.md"]);
  });

  it("undoes change after change back to the first, then says there is nothing to undo", async () => {
    const undone = await corpus.undo(ALICE);
    expect(undone).toMatchObject({ undid: "add", source: "shanghai-ports.md", passages: 0 });
    expect((await corpus.list()).map((a) => a.source)).toEqual(["blinken-china-visit.md"]);
    const error = await caught(() => corpus.undo(ALICE));
    expect(error).toMatchObject({ name: "UserError", code: "NOTHING_TO_UNDO", message: "There is no change to undo." });
  });

  it("serialises two changes made at once: both land, one after the other", async () => {
    const a = article("first.md", "First", "Tea exports from Fujian rose sharply in the spring.\n");
    const b = article("second.md", "Second", "Rare earth quotas were discussed at length by the ministers.\n");
    const [one, two] = await Promise.all([corpus.add(a, ALICE), corpus.add(b, BOB)]);
    expect(one.build.changes.articlesAdded).toEqual(["first.md"]);
    expect(two.build.changes.articlesAdded).toEqual(["second.md"]);
    expect((await corpus.list()).map((x) => x.source)).toEqual(
      ["first.md", "blinken-china-visit.md", "second.md"].sort(),
    );
  });

  it("keeps only the last CORPUS_HISTORY versions: older changes can no longer be undone", async () => {
    for (const n of [1, 2, 3])
      await corpus.add(article(`more-${n}.md`, `More ${n}`, `Paragraph number ${n} about grain.\n`), ALICE);
    expect(await readdir(join(stack.root, "curation-data", "corpus-history"))).toHaveLength(3);
    for (let i = 0; i < 3; i++) await corpus.undo(ALICE);
    const error = await caught(() => corpus.undo(ALICE));
    expect(error).toMatchObject({ code: "NOTHING_TO_UNDO" });
    expect(error.message).toMatch(/no longer kept/);
    expect((await corpus.list()).map((x) => x.source)).toContain("second.md");
  });

  it("rolls the corpus back when the reindex after a change fails, and says why", async () => {
    const before = (await readdir(stack.corpusDir)).sort();
    embedder.fail = true;
    try {
      const error = await caught(() =>
        corpus.add(article("doomed.md", "Doomed", "Nothing about this article will be indexed.\n"), ALICE),
      );
      expect(error).toMatchObject({ name: "UserError", code: "REINDEX_ROLLED_BACK" });
      expect(error.message).toBe(
        "The reindex failed, so the corpus was put back as it was and nothing changed: the embeddings server went away",
      );
    } finally {
      embedder.fail = false;
    }
    expect((await readdir(stack.corpusDir)).sort()).toEqual(before);
    expect((await corpus.list()).map((x) => x.source)).not.toContain("doomed.md");
    expect((await corpus.log(1))[0]?.source).not.toBe("doomed.md");
  });

  it("rolls back an article that cannot be read into passages", async () => {
    const error = await caught(() =>
      corpus.add({ ...article("blank.md", "Blank", ""), markdown: "---\ntitle: Blank\n---\n\n" }, ALICE),
    );
    expect(error).toMatchObject({ code: "REINDEX_ROLLED_BACK" });
    expect(error.message).toMatch(/blank\.md could not be read: the article has no text/);
    expect(existsSync(join(stack.corpusDir, "blank.md"))).toBe(false);
  });

  it("waits for a reindex already running before changing the corpus", async () => {
    const running = stack.services.indexes.rebuild();
    const change = corpus.add(article("late.md", "Late", "Soybean purchases were promised before the summer.\n"), BOB);
    await running;
    expect((await change).build.changes.articlesAdded).toEqual(["late.md"]);
  });

  it("reindexes files changed by hand through the same queue (watch mode)", async () => {
    await writeFile(join(stack.corpusDir, "by-hand.md"), "# By hand\n\nA note written in an editor about fisheries.\n");
    const result = await corpus.reindex();
    expect(result.changes.articlesAdded).toEqual(["by-hand.md"]);
  });
});
