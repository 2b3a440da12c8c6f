import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ARTICLE, CLUTTER_MARKERS, minimalPdf } from "../../../scripts/lib/loopback-web/index.js";
import { ingestFixtures } from "../../../scripts/lib/loopback-web/write-fixtures.js";
import { bodyChecksum } from "../../../src/corpus/ingest/body-checksum.js";
import { convertArticle } from "../../../src/corpus/ingest/convert-article.js";
import type { IncomingArticle } from "../../../src/corpus/ingest/incoming-article.js";
import { loadCorpus, parseArticle } from "../../../src/corpus/load-corpus.js";
import { splitArticle } from "../../../src/corpus/split-passages.js";
import { caught } from "../../helpers/caught.js";

const FIXTURES = new URL("../../fixtures/ingest/", import.meta.url);
const LIMITS = { maxBytes: 5 * 1024 * 1024 };

async function fixture(name: string, contentType: string | null = null): Promise<IncomingArticle> {
  return { name, bytes: new Uint8Array(await readFile(new URL(name, FIXTURES))), contentType, sourceUrl: null };
}

function text(name: string, content: string, contentType: string | null = null): IncomingArticle {
  return { name, bytes: new TextEncoder().encode(content), contentType, sourceUrl: null };
}

/** The article's passages as the corpus loader and splitter will see them after a reindex. */
function passagesOf(fileName: string, markdown: string) {
  return splitArticle(parseArticle(fileName, markdown));
}

describe("convertArticle", () => {
  it("keeps a Markdown file's front matter and body, and it loads into passages with the corpus loader", async () => {
    const c = await convertArticle(await fixture("article.md"), LIMITS);
    expect(c).toMatchObject({
      title: ARTICLE.title,
      author: ARTICLE.author,
      date: ARTICLE.date,
      sourceUrl: null,
      fileName: "the-lighthouse-keepers-of-skerry-point.md",
      paragraphs: 4,
    });
    expect(c.checksum).toMatch(/^[0-9a-f]{64}$/);
    const article = parseArticle(c.fileName, c.markdown);
    expect(article).toMatchObject({ title: ARTICLE.title, source: c.fileName });
    const passages = passagesOf(c.fileName, c.markdown);
    expect(passages.length).toBeGreaterThanOrEqual(4);
    expect(passages[0]?.pageContent).toContain("For ninety years the lighthouse");
  });

  it("keeps other front matter fields and adds the source URL", async () => {
    const md = '---\ntitle: "Tides: a note"\ntags: [sea, tide]\n---\n\nThe tide rose twice a day along the sea wall.\n';
    const c = await convertArticle({ ...text("tides.md", md), sourceUrl: "https://example.org/tides" }, LIMITS);
    expect(c.title).toBe("Tides: a note");
    expect(c.sourceUrl).toBe("https://example.org/tides");
    const article = parseArticle(c.fileName, c.markdown);
    expect(article.url).toBe("https://example.org/tides");
    expect(c.markdown).toMatch(/tags:/);
    expect(c.fileName).toBe("tides-a-note.md");
  });

  it("names a plain text article by its first short line and counts its paragraphs", async () => {
    const c = await convertArticle(await fixture("article.txt", "text/plain"), LIMITS);
    expect(c.title).toBe(ARTICLE.title);
    expect(c.paragraphs).toBe(5); // the title line is a paragraph of a text file too
    expect(passagesOf(c.fileName, c.markdown).length).toBeGreaterThan(0);
  });

  it("reads an HTML page's article without its navigation, ads, cookie banner and scripts", async () => {
    const c = await convertArticle(await fixture("article.html", "text/html; charset=utf-8"), LIMITS);
    expect(c).toMatchObject({ title: ARTICLE.title, author: ARTICLE.author, date: ARTICLE.date, paragraphs: 4 });
    for (const p of ARTICLE.paragraphs) expect(c.markdown).toContain(p);
    for (const marker of CLUTTER_MARKERS) expect(c.markdown).not.toContain(marker);
    expect(c.markdown).not.toMatch(/<script|<p>|By Maren Holt/);
  });

  it("gives the same checksum to the same article as Markdown, HTML and PDF", async () => {
    const [md, html, pdf] = await Promise.all([
      convertArticle(await fixture("article.md"), LIMITS),
      convertArticle(await fixture("article.html"), LIMITS),
      convertArticle(await fixture("article.pdf"), LIMITS),
    ]);
    // Readability drops the heading that repeats the title, and the byline is front matter now.
    expect(pdf.checksum).toBe(md.checksum);
    expect(html.checksum).toBe(md.checksum);
    const edited = await convertArticle(
      text("article.md", `${ingestFixtures()["article.md"]}\nOne more line.\n`),
      LIMITS,
    );
    expect(edited.checksum).not.toBe(md.checksum);
    const crlf = await convertArticle(
      text("article.md", String(ingestFixtures()["article.md"]).replace(/\n/g, "\r\n")),
      LIMITS,
    );
    expect(crlf.checksum).toBe(md.checksum);
  });

  it("reads a PDF's text layer into paragraphs, with the title and author of its info", async () => {
    const c = await convertArticle(await fixture("article.pdf", "application/pdf"), LIMITS);
    expect(c).toMatchObject({ title: ARTICLE.title, author: ARTICLE.author, paragraphs: 4 });
    // Lines wrapped on the page are joined again: each paragraph is one line of the file.
    for (const p of ARTICLE.paragraphs) expect(c.markdown).toContain(`\n${p}\n`);
  });

  it("joins a word hyphenated across PDF lines and keeps the paragraphs apart", async () => {
    // 73 characters and "infor-" fill the first 80-character line; "mation" starts the next.
    const first = `${"a".repeat(73)} infor- mation and more.`;
    const pdf = minimalPdf({ paragraphs: [first, "Second."] });
    const c = await convertArticle({ name: "x.pdf", bytes: pdf, contentType: null, sourceUrl: null }, LIMITS);
    expect(c.paragraphs).toBe(2);
    expect(c.markdown).toContain(" information and more.\n\nSecond.\n");
  });

  it("ignores a placeholder PDF title and names the article by its first line", async () => {
    const pdf = minimalPdf({
      title: "Microsoft Word - draft3.docx",
      paragraphs: ["Harbour Report", "The harbour froze."],
    });
    const c = await convertArticle({ name: "x.pdf", bytes: pdf, contentType: null, sourceUrl: null }, LIMITS);
    expect(c.title).toBe("Harbour Report");
  });

  it("refuses a PDF without a text layer with ARTICLE_NO_TEXT_LAYER", async () => {
    const error = await caught(async () => convertArticle(await fixture("scan.pdf"), LIMITS));
    expect(error).toMatchObject({ name: "UserError", code: "ARTICLE_NO_TEXT_LAYER" });
    expect(error.message).toContain("scan.pdf");
  });

  it("refuses a file that only claims to be a PDF with ARTICLE_BINARY", async () => {
    const error = await caught(async () => convertArticle(await fixture("not-a-pdf.pdf"), LIMITS));
    expect(error).toMatchObject({ code: "ARTICLE_BINARY" });
  });

  it("refuses a page of navigation only with ARTICLE_UNREADABLE", async () => {
    const error = await caught(async () => convertArticle(await fixture("nav-only.html"), LIMITS));
    expect(error).toMatchObject({ code: "ARTICLE_UNREADABLE" });
  });

  it("refuses binary and invalid UTF-8 content with ARTICLE_BINARY", async () => {
    expect(await caught(async () => convertArticle(await fixture("binary.md"), LIMITS))).toMatchObject({
      code: "ARTICLE_BINARY",
    });
    const latin1 = {
      name: "café.txt",
      bytes: new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0a]),
      contentType: null,
      sourceUrl: null,
    };
    expect(await caught(() => convertArticle(latin1, LIMITS))).toMatchObject({ code: "ARTICLE_BINARY" });
    // A declared charset is honoured instead.
    const declared = await convertArticle(
      {
        ...latin1,
        contentType: "text/plain; charset=iso-8859-1",
        bytes: new Uint8Array([
          ...new TextEncoder().encode("Un caf"),
          0xe9,
          0x20,
          ...new TextEncoder().encode("noir et une longue phrase.\n"),
        ]),
      },
      LIMITS,
    );
    expect(declared.markdown).toContain("Un café noir");
  });

  it("reads UTF-16 text with a byte-order mark, as Windows editors save it", async () => {
    const utf16 = new Uint8Array([0xff, 0xfe, ...Buffer.from("Tide tables\n\nThe tide turned at noon.\n", "utf16le")]);
    const c = await convertArticle({ name: "tides.txt", bytes: utf16, contentType: null, sourceUrl: null }, LIMITS);
    expect(c).toMatchObject({ title: "Tide tables", paragraphs: 2 });
  });

  it("keeps words apart across a line break inside an HTML paragraph", async () => {
    const html = `<article><h1>Notes</h1><p>${"The keeper wrote daily.".repeat(10)}<br>Fog came at dawn.</p></article>`;
    const c = await convertArticle(text("notes.html", html), LIMITS);
    expect(c.markdown).toContain("daily. Fog came at dawn.");
  });

  it("refuses a file over the limit with ARTICLE_TOO_LARGE before reading it", async () => {
    const error = await caught(async () => convertArticle(await fixture("article.pdf"), { maxBytes: 1024 }));
    expect(error).toMatchObject({ code: "ARTICLE_TOO_LARGE" });
    expect(error.message).toMatch(/over the 1 KB limit/);
  });

  it("refuses unsupported formats with ARTICLE_FORMAT, by name or by content type", async () => {
    expect(await caught(() => convertArticle(text("notes.docx", "x"), LIMITS))).toMatchObject({
      code: "ARTICLE_FORMAT",
    });
    expect(await caught(() => convertArticle(text("page", "{}", "application/json"), LIMITS))).toMatchObject({
      code: "ARTICLE_FORMAT",
    });
    // With no extension, the content type decides.
    const typed = await convertArticle(
      text("page", `<p>${"Words of an article. ".repeat(20)}</p>`, "text/html"),
      LIMITS,
    );
    expect(typed.paragraphs).toBe(1);
  });

  it("refuses front matter that is not valid YAML with ARTICLE_FORMAT", async () => {
    const error = await caught(() => convertArticle(text("bad.md", "---\ntitle: [unclosed\n---\nBody.\n"), LIMITS));
    expect(error).toMatchObject({ code: "ARTICLE_FORMAT" });
  });

  it("refuses files with no text with ARTICLE_EMPTY", async () => {
    expect(await caught(async () => convertArticle(await fixture("empty.md"), LIMITS))).toMatchObject({
      code: "ARTICLE_EMPTY",
    });
    expect(await caught(() => convertArticle(text("blank.txt", ""), LIMITS))).toMatchObject({ code: "ARTICLE_EMPTY" });
    expect(
      await caught(() => convertArticle(text("blank.html", "<html><body>  </body></html>"), LIMITS)),
    ).toMatchObject({
      code: "ARTICLE_EMPTY",
    });
    // Headings alone are structure, not passages.
    expect(await caught(() => convertArticle(text("heads.md", "# Only\n\n## Headings\n"), LIMITS))).toMatchObject({
      code: "ARTICLE_EMPTY",
    });
  });

  it("makes a safe file name whatever the title says", async () => {
    const c = await convertArticle(
      text("x.md", '---\ntitle: "../../etc/passwd: Ünïcode — CON"\n---\n\nBody text here.\n'),
      LIMITS,
    );
    expect(c.fileName).toBe("etc-passwd-unicode-con.md");
    const other = await convertArticle(text("Ταξίδι.md", "---\ntitle: Ταξίδι\n---\n\nΚείμενο.\n"), LIMITS);
    expect(other.fileName).toBe("article.md");
  });
});

describe("converted articles in a corpus folder", () => {
  it("load with the corpus loader, none skipped, each with its passages and url", async () => {
    const dir = await mkdtemp(join(tmpdir(), "passage-ingest-"));
    try {
      const inputs = [
        { ...(await fixture("article.html")), sourceUrl: "https://news.example/skerry" },
        await fixture("article.pdf"),
        await fixture("article.txt"),
        text("tides.md", "# Tides\n\nThe tide rose twice a day along the sea wall.\n"),
      ];
      const names: string[] = [];
      const checksums: string[] = [];
      for (const [i, input] of inputs.entries()) {
        const c = await convertArticle(input, LIMITS);
        const name = `${i}-${c.fileName}`;
        names.push(name);
        checksums.push(c.checksum);
        await writeFile(join(dir, name), c.markdown);
      }
      const corpus = await loadCorpus(dir);
      expect(corpus.skipped).toEqual([]);
      expect(corpus.articles.map((a) => a.source).sort()).toEqual(names.sort());
      const html = corpus.articles.find((a) => a.source.startsWith("0-"));
      expect(html).toMatchObject({ title: ARTICLE.title, url: "https://news.example/skerry", date: ARTICLE.date });
      for (const article of corpus.articles) {
        expect(splitArticle(article).length).toBeGreaterThan(0);
        // The checksum can be recomputed from the written file: duplicates are found among files already there.
        expect(checksums).toContain(bodyChecksum(article.content.slice(article.bodyStart)));
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("the ingest fixtures", () => {
  it("are the loopback web server's pages, as write-fixtures.ts writes them", async () => {
    for (const [name, content] of Object.entries(ingestFixtures())) {
      const onDisk = new Uint8Array(await readFile(new URL(name, FIXTURES)));
      const expected = typeof content === "string" ? new TextEncoder().encode(content) : content;
      expect(Buffer.from(onDisk).equals(Buffer.from(expected)), name).toBe(true);
    }
  });
});
