import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withCorpusLock } from "../../src/curation/corpus-lock.js";
import { CorpusManager } from "../../src/curation/corpus-manager.js";
import { caught } from "../helpers/caught.js";
import { makeStack, type TestStack } from "../helpers/services.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "passage-lock-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("withCorpusLock", () => {
  it("lets one holder in at a time and removes the lock after", async () => {
    const lock = join(dir, "a.lock");
    const order: string[] = [];
    const hold = (name: string, ms: number) =>
      withCorpusLock(
        lock,
        async () => {
          order.push(`${name} in`);
          expect(await readFile(lock, "utf8")).toBe(`${process.pid}\n`);
          await new Promise((resolve) => setTimeout(resolve, ms));
          order.push(`${name} out`);
        },
        { pollMs: 5 },
      );
    await Promise.all([hold("first", 60), hold("second", 1)]);
    expect(order).toEqual(["first in", "first out", "second in", "second out"]);
    expect(existsSync(lock)).toBe(false);
  });

  it("takes over a lock left by a process that died, and gives up on a live holder after the timeout", async () => {
    const lock = join(dir, "b.lock");
    const dead = spawnSync(process.execPath, ["-e", ""]).pid;
    await writeFile(lock, `${dead}\n`);
    expect(await withCorpusLock(lock, async () => "ran")).toBe("ran");

    await writeFile(lock, `${process.pid}\n`);
    const error = await caught(() => withCorpusLock(lock, async () => "never", { pollMs: 5, timeoutMs: 30 }));
    expect(error).toMatchObject({ name: "UserError", code: "CORPUS_BUSY" });
    await rm(lock);
  });
});

describe("two corpus managers on one folder (the bot and npm run corpus)", () => {
  let stack: TestStack;
  afterAll(() => stack.cleanup());

  it("take turns: both changes land, both are logged", async () => {
    stack = await makeStack();
    const dataDir = join(stack.root, "data");
    const other = new CorpusManager({
      corpusDir: stack.corpusDir,
      dataDir,
      indexes: stack.services.indexes,
      logger: stack.services.logger,
    });
    const article = (name: string, text: string) => ({
      title: name,
      sourceUrl: null,
      fileName: `${name}.md`,
      checksum: name,
      markdown: `---\ntitle: ${name}\n---\n${text}\n`,
    });
    try {
      const [a, b] = await Promise.all([
        stack.services.corpus?.add(article("cotton", "Cotton prices fell after the harvest."), { id: "1", name: "A" }),
        other.add(article("copper", "Copper smelters in Jiangxi cut output."), { id: "os:b", name: "b" }),
      ]);
      expect(a?.action).toBe("add");
      expect(b?.action).toBe("add");
      expect((await other.log()).map((e) => e.source).sort()).toEqual(["copper.md", "cotton.md"]);
      expect(stack.services.indexes.current.passages.map((p) => p.metadata.source)).toEqual(
        expect.arrayContaining(["copper.md", "cotton.md"]),
      );
      expect(existsSync(join(dataDir, "corpus.lock"))).toBe(false);
    } finally {
      other.close();
    }
  });
});
