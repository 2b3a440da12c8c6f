/**
 * `npm start -- --watch` as a real process (the terminal chat, no Discord token) over a temporary
 * corpus: an article written into the folder by another program is indexed without a /reindex,
 * and a question typed afterwards is answered from it; CORPUS_WATCH=0 without the flag watches nothing.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = new URL("../../..", import.meta.url).pathname;
const TSX = join(ROOT, "node_modules", ".bin", "tsx");
let root: string;
let corpusDir: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "passage-watch-"));
  corpusDir = join(root, "corpus");
  await cp(join(ROOT, "corpus"), corpusDir, { recursive: true });
});
afterAll(() => rm(root, { recursive: true, force: true }));

function start(args: string[], env: Record<string, string> = {}) {
  const child: ChildProcessWithoutNullStreams = spawn(TSX, [join(ROOT, "src/main.ts"), ...args], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PASSAGE_CORPUS_DIR: corpusDir,
      PASSAGE_DATA_DIR: join(root, "data"),
      LOG_LEVEL: "info",
      ...env,
    },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on("close", resolve));
  return { child, exit, output: () => ({ stdout, stderr }) };
}

async function waitFor(check: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const ARTICLE = `---
title: "The Salt Road"
---
The salt road ran from the coast at Lianyungang to the inland markets of Xuzhou.

Caravans of mules carried the salt in sealed baskets, taxed at every river crossing.
`;

describe("npm start -- --watch", { timeout: 90_000 }, () => {
  it("indexes an article written into the corpus folder, then answers from it", async () => {
    const p = start(["--watch"]);
    await waitFor(() => p.output().stderr.includes('"event":"corpus.watching"'), 60_000);
    await writeFile(join(corpusDir, "salt-road.md"), ARTICLE);
    await waitFor(() => p.output().stderr.includes('"event":"corpus.watch_reindexed"'), 30_000);
    const line = p
      .output()
      .stderr.split("\n")
      .find((l) => l.includes('"event":"corpus.watch_reindexed"'));
    expect(JSON.parse(line ?? "{}")).toMatchObject({ added: 1, changed: 0, removed: 0 });

    p.child.stdin.end("Where did the salt road start?\n");
    expect(await p.exit).toBe(0);
    expect(p.output().stdout).toContain("Lianyungang");
    expect(p.output().stdout).toContain("The Salt Road");
  });

  it("does not watch without the flag or CORPUS_WATCH=1", async () => {
    const p = start([], { CORPUS_WATCH: "0" });
    p.child.stdin.end("Where did the salt road start?\n");
    expect(await p.exit).toBe(0);
    expect(p.output().stderr).not.toContain("corpus.watching");
  });
});
