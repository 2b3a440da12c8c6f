import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CorpusWatch, watchCorpus } from "../../src/curation/watch-corpus.js";
import type { BuildResult } from "../../src/index/build-index.js";
import { makeStack, type TestStack } from "../helpers/services.js";

let stack: TestStack;
let watcher: CorpusWatch | null = null;
beforeAll(async () => {
  stack = await makeStack();
});
afterAll(async () => {
  watcher?.close();
  await stack.cleanup();
});

type Outcome = { result: BuildResult | null } | { error: unknown };

/** The articles a watched reindex added, or null when it skipped or failed. */
function added(outcome: Outcome | undefined): readonly string[] | null {
  return outcome && "result" in outcome && outcome.result ? outcome.result.changes.articlesAdded : null;
}

describe("watchCorpus", () => {
  it("reindexes once, debounced, after a burst of changes on disk, and ignores hidden files", async () => {
    const corpus = stack.services.corpus;
    if (!corpus) throw new Error("the stack has a corpus manager");
    const outcomes: Outcome[] = [];
    let reindexes = 0;
    let notify: (() => void) | null = null;
    watcher = watchCorpus({
      corpusDir: stack.corpusDir,
      reindex: () => {
        reindexes++;
        return corpus.reindexIfChanged();
      },
      logger: stack.services.logger,
      debounceMs: 150,
      onReindexed: (outcome) => {
        outcomes.push(outcome);
        notify?.();
      },
    });
    const next = () => new Promise<void>((resolve) => (notify = resolve));

    // A hidden file alone (git's, an editor's) starts nothing.
    await mkdir(join(stack.corpusDir, ".git"), { recursive: true });
    await writeFile(join(stack.corpusDir, ".git", "HEAD"), "ref: refs/heads/main\n");
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(reindexes).toBe(0);

    // A sync writing three files in a row is one reindex.
    let done = next();
    await mkdir(join(stack.corpusDir, "synced"), { recursive: true });
    for (const n of [1, 2, 3])
      await writeFile(
        join(stack.corpusDir, "synced", `note-${n}.md`),
        `# Note ${n}\n\nHarbour dues rose by ${n} percent.\n`,
      );
    await done;
    expect(reindexes).toBe(1);
    expect(added(outcomes[0])).toEqual(["synced/note-1.md", "synced/note-2.md", "synced/note-3.md"]);
    expect(stack.logs.some((l) => l.event === "corpus.watch_reindexed" && l.added === 3)).toBe(true);

    done = next();
    await rm(join(stack.corpusDir, "synced", "note-2.md"));
    await done;
    const second = outcomes[1];
    expect(second && "result" in second ? second.result?.changes.articlesRemoved : null).toEqual(["synced/note-2.md"]);

    // A moderator's change is indexed already: the watcher sees the file appear and builds nothing.
    done = next();
    await corpus.add(
      {
        title: "Ferries",
        sourceUrl: null,
        fileName: "ferries.md",
        checksum: "ferries",
        markdown: "---\ntitle: Ferries\n---\nThe ferry to Dalian runs twice a week in winter.\n",
      },
      { id: "1", name: "Mod" },
    );
    await done;
    expect(outcomes[2]).toEqual({ result: null });
    expect(reindexes).toBe(3);
  });
});
