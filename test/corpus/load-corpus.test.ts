import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadCorpus, parseArticle } from "../../src/corpus/load-corpus.js";

const made: string[] = [];
afterAll(() => Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true }))));

async function corpusOf(files: Record<string, string | Buffer>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "passage-corpus-"));
  made.push(dir);
  for (const [name, content] of Object.entries(files)) {
    await mkdir(join(dir, name, ".."), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  return dir;
}

describe("loadCorpus", () => {
  it("reads .md and .txt files in nested folders, in a stable order, and ignores others", async () => {
    const dir = await corpusOf({
      "b.txt": "Plain text article.",
      "a.md": "---\ntitle: Alpha\nurl: https://example.com/a\ndate: 2023-06-18\n---\nBody of alpha.",
      "sub/c.md": "# Gamma heading\n\nBody of gamma.",
      "notes.json": "{}",
      ".hidden.md": "secret",
    });
    const { articles, skipped } = await loadCorpus(dir);
    expect(skipped).toEqual([]);
    expect(articles.map((a) => a.source)).toEqual(["a.md", "b.txt", "sub/c.md"]);
    const [a, b, c] = articles;
    expect(a).toMatchObject({ title: "Alpha", url: "https://example.com/a", date: "2023-06-18" });
    expect(a?.content.slice(a.bodyStart)).toBe("Body of alpha.");
    expect(b?.title).toBe("B");
    expect(c?.title).toBe("Gamma heading");
  });

  it("reports malformed files by name and reason and still loads the rest", async () => {
    const dir = await corpusOf({
      "good.md": "---\ntitle: Good\n---\nFine text.",
      "bad-yaml.md": "---\ntitle: [unclosed\n---\nText.",
      "unclosed.md": "---\ntitle: x\nText without a closing rule.",
      "empty.md": "---\ntitle: Empty\n---\n   \n",
      "binary.txt": Buffer.from([0x50, 0x00, 0x51]),
      "latin1.txt": Buffer.from([0x63, 0x61, 0x66, 0xe9]),
      "list.md": "---\n- a\n- b\n---\nText.",
    });
    const { articles, skipped } = await loadCorpus(dir);
    expect(articles.map((a) => a.source)).toEqual(["good.md"]);
    const reasons = Object.fromEntries(skipped.map((s) => [s.source, s.reason]));
    expect(Object.keys(reasons).sort()).toEqual([
      "bad-yaml.md",
      "binary.txt",
      "empty.md",
      "latin1.txt",
      "list.md",
      "unclosed.md",
    ]);
    expect(reasons["bad-yaml.md"]).toMatch(/front matter is not valid YAML/);
    expect(reasons["unclosed.md"]).toMatch(/never closed/);
    expect(reasons["empty.md"]).toMatch(/no text/);
    expect(reasons["binary.txt"]).toMatch(/not a text file/);
    expect(reasons["latin1.txt"]).toMatch(/UTF-8/);
    expect(reasons["list.md"]).toMatch(/mapping/);
  });

  it("follows symbolic links, and reports loops and broken links instead of skipping them silently", async () => {
    const elsewhere = await corpusOf({ "linked.md": "# Linked\n\nAn article linked in from elsewhere." });
    const dir = await corpusOf({ "a.md": "# Alpha\n\nBody.", "sub/b.md": "# Beta\n\nBody." });
    await symlink(join(elsewhere, "linked.md"), join(dir, "linked.md"));
    await symlink(dir, join(dir, "sub", "back-to-root"));
    await symlink(join(dir, "missing.md"), join(dir, "broken.md"));
    await symlink(join(dir, "self.md"), join(dir, "self.md"));
    const { articles, skipped } = await loadCorpus(dir);
    expect(articles.map((a) => a.source)).toEqual(["a.md", "linked.md", "sub/b.md"]);
    expect(skipped).toEqual([
      { source: "broken.md", reason: "a broken symbolic link" },
      { source: "self.md", reason: "a symbolic link that loops" },
      { source: "sub/back-to-root", reason: "a symbolic link back into a folder it is in (a loop)" },
    ]);
  });

  it("throws a clear error when the folder does not exist", async () => {
    await expect(loadCorpus("/nonexistent/corpus")).rejects.toThrow(/ENOENT/);
  });

  it("keeps offsets true to the file when it starts with a byte-order mark", () => {
    const a = parseArticle("bom.md", "\uFEFF---\ntitle: T\n---\nBody.");
    expect(a.content.slice(a.bodyStart)).toBe("Body.");
    expect(a.title).toBe("T");
  });
});
