import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ARTICLE, ARTICLE_HTML, ARTICLE_MARKDOWN, articlePdf, NAV_ONLY_HTML, scannedPdf } from "./pages.js";

/**
 * The files under test/fixtures/ingest, made from the same pages the loopback web server
 * serves, so a file added by hand and the same article fetched by link are one article.
 * Run `npx tsx scripts/lib/loopback-web/write-fixtures.ts [dir]` after changing pages.ts.
 */
export function ingestFixtures(): Record<string, string | Uint8Array> {
  return {
    "article.md": ARTICLE_MARKDOWN,
    "article.txt": `${ARTICLE.title}\n\n${ARTICLE.paragraphs.join("\n\n")}\n`,
    "article.html": ARTICLE_HTML,
    "nav-only.html": NAV_ONLY_HTML,
    "article.pdf": articlePdf(),
    "scan.pdf": scannedPdf(),
    // Bytes of a PNG header and a NUL: no text in any encoding.
    "binary.md": new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]),
    "not-a-pdf.pdf": "This file only claims to be a PDF.\n",
    "empty.md": "---\ntitle: Nothing here\n---\n\n   \n",
  };
}

/** Writes the fixtures into `dir`. */
export function writeIngestFixtures(dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(ingestFixtures())) writeFileSync(join(dir, name), content);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeIngestFixtures(resolve(process.argv[2] ?? "test/fixtures/ingest"));
}
