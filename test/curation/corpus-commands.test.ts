import { readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ARTICLE,
  ARTICLE_HTML,
  articlePdf,
  CLUTTER_MARKERS,
  type LoopbackWeb,
  startLoopbackWeb,
} from "../../scripts/lib/loopback-web/index.js";
import { ask } from "../../src/commands/ask.js";
import { type AddLimits, addFromFile, addFromPathOrUrl, addFromUrl, isLink } from "../../src/commands/corpus.js";
import { caught } from "../helpers/caught.js";
import { makeStack, type TestStack } from "../helpers/services.js";

const MODERATOR = { id: "1310000000000000301", name: "Mod" };
const RULE_ON: AddLimits = { maxBytes: 5 * 1024 * 1024, fetchTimeoutMs: 5_000, fetchAllowPrivate: false };
// Loopback only: the web server below listens on 127.0.0.1 and nothing else is ever fetched.
const RULE_LIFTED: AddLimits = { ...RULE_ON, fetchAllowPrivate: true };

let stack: TestStack;
let web: LoopbackWeb;
beforeAll(async () => {
  stack = await makeStack();
  web = await startLoopbackWeb({ slowMs: 3_000 });
});
afterAll(async () => {
  await web.close();
  await stack.cleanup();
});

describe("adding articles from files and links", () => {
  it("tells links from paths", () => {
    expect(isLink("https://example.com/a")).toBe(true);
    expect(isLink("ftp://example.com/a")).toBe(true);
    expect(isLink("./article.md")).toBe(false);
    expect(isLink("C:\\articles\\a.md")).toBe(false);
  });

  it("refuses a loopback link while the address rule is on, and changes nothing", async () => {
    const before = await readdir(stack.corpusDir);
    const error = await caught(() => addFromUrl(stack.services, web.url("/article.html"), MODERATOR, RULE_ON));
    expect(error).toMatchObject({ name: "UserError", code: "FETCH_ADDRESS" });
    expect(web.requests).toEqual([]);
    expect(await readdir(stack.corpusDir)).toEqual(before);
    expect(await stack.services.corpus?.log()).toEqual([]);
  });

  it("adds an article from a Markdown link: front matter kept, passages indexed, logged with the URL", async () => {
    const change = await addFromUrl(stack.services, web.url("/article.md"), MODERATOR, RULE_LIFTED);
    expect(change).toMatchObject({
      action: "add",
      title: ARTICLE.title,
      source: "the-lighthouse-keepers-of-skerry-point.md",
    });
    expect(change.passages).toBeGreaterThan(0);
    expect(change.preview.startsWith("For ninety years the lighthouse at Skerry Point")).toBe(true);
    const shown = await stack.services.corpus?.show(change.source);
    expect(shown?.frontMatter).toMatchObject({ title: ARTICLE.title, author: ARTICLE.author, date: ARTICLE.date });
    expect((await stack.services.corpus?.log(1))?.[0]).toMatchObject({ action: "add", origin: web.url("/article.md") });
    expect((await stack.services.corpus?.list())?.find((a) => a.source === change.source)?.addedBy).toBe("Mod");

    // A question about it is answered from it, and cites it.
    const answer = await ask(stack.services, "Who was the last keeper at Skerry Point?");
    expect(answer.abstained).toBe(false);
    expect(answer.answer).toContain("1987");
    expect(answer.citations.map((c) => c.source)).toContain(change.source);
  });

  it("refuses the same text again from a PDF file: a duplicate by checksum, whatever the format", async () => {
    const pdf = join(stack.root, "lighthouse.pdf");
    await writeFile(pdf, articlePdf());
    const fromPdf = await caught(() => addFromPathOrUrl(stack.services, pdf, MODERATOR, RULE_ON));
    expect(fromPdf).toMatchObject({ code: "ARTICLE_DUPLICATE" });
    expect(fromPdf.message).toBe(
      'This article is already in the corpus as "The Lighthouse Keepers of Skerry Point" (the-lighthouse-keepers-of-skerry-point.md).',
    );
  });

  it("refuses the web page of the same article too: its main text is the same text", async () => {
    const error = await caught(() => addFromUrl(stack.services, web.url("/article.html"), MODERATOR, RULE_LIFTED));
    expect(error).toMatchObject({ code: "ARTICLE_DUPLICATE" });
  });

  it("replaces it from an updated web page (same title, so same file name), without the page's clutter; undo brings the Markdown back", async () => {
    web.serve("/article-updated.html", {
      type: "text/html; charset=utf-8",
      body: ARTICLE_HTML.replace("114 steps", "115 steps"),
    });
    const change = await addFromUrl(stack.services, web.url("/article-updated.html"), MODERATOR, RULE_LIFTED);
    expect(change).toMatchObject({ action: "replace", source: "the-lighthouse-keepers-of-skerry-point.md" });
    const passages = stack.services.indexes.current.passages.filter((p) => p.metadata.source === change.source);
    const text = passages.map((p) => p.pageContent).join(" ");
    expect(text).toContain("115 steps");
    for (const marker of CLUTTER_MARKERS) expect(text).not.toContain(marker);
    expect((await stack.services.corpus?.show(change.source))?.frontMatter.url).toBe(web.url("/article-updated.html"));

    const undone = await stack.services.corpus?.undo(MODERATOR);
    expect(undone).toMatchObject({ undid: "replace" });
    expect((await stack.services.corpus?.show(change.source))?.frontMatter.url).toBe(web.url("/article.md"));
  });

  it("refuses a file over the limit before reading it, a PDF without text, and a missing file", async () => {
    const big = join(stack.root, "big.md");
    await writeFile(big, `# Big\n\n${"word ".repeat(600)}\n`);
    const tooLarge = await caught(() => addFromFile(stack.services, big, MODERATOR, { ...RULE_ON, maxBytes: 1024 }));
    expect(tooLarge).toMatchObject({ code: "ARTICLE_TOO_LARGE" });
    expect(tooLarge.message).toBe("big.md is 0.0 MB, over the 0.0 MB limit (CORPUS_MAX_BYTES).");
    const scan = await caught(() => addFromUrl(stack.services, web.url("/scan.pdf"), MODERATOR, RULE_LIFTED));
    expect(scan).toMatchObject({ code: "ARTICLE_NO_TEXT_LAYER" });
    const missing = await caught(() => addFromFile(stack.services, join(stack.root, "none.md"), MODERATOR, RULE_ON));
    expect(missing).toMatchObject({
      code: "ARTICLE_FILE",
      message: `Cannot read ${join(stack.root, "none.md")}: no such file.`,
    });
  });
});
