import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ARTICLE, articlePdf, type LoopbackWeb, startLoopbackWeb } from "../../../scripts/lib/loopback-web/index.js";
import { fetchArticle } from "../../../src/corpus/fetch/fetch-article.js";
import { convertArticle } from "../../../src/corpus/ingest/convert-article.js";
import { createLogger } from "../../../src/log.js";
import { caught } from "../../helpers/caught.js";

// Every request here goes to a loopback web server. The address rule is ON (allowPrivate:
// false) wherever a refusal is checked; it is lifted, or 127.0.0.1 is stood in as public,
// only where the point is what happens after the address check.
const MB = 1024 * 1024;
const OPEN = { maxBytes: 5 * MB, timeoutMs: 5_000, allowPrivate: true } as const;
const RULE_ON = { ...OPEN, allowPrivate: false } as const;

let web: LoopbackWeb;
let web6: LoopbackWeb;
beforeAll(async () => {
  web = await startLoopbackWeb({ slowMs: 5_000 });
  web6 = await startLoopbackWeb({ host: "::1" });
});
afterAll(async () => {
  await web.close();
  await web6.close();
});

describe("fetchArticle: the address rule", () => {
  it.each([
    ["127.0.0.1", () => web.url("/article.html")],
    ["another 127/8 address", () => `http://127.0.0.2:${web.port}/article.html`],
    ["localhost", () => `http://localhost:${web.port}/article.html`],
    ["[::1]", () => web6.url("/article.html")],
    ["an IPv4-mapped IPv6 loopback", () => `http://[::ffff:127.0.0.1]:${web.port}/article.html`],
  ])("refuses %s with FETCH_ADDRESS and never connects", async (_what, url) => {
    const before = web.requests.length + web6.requests.length;
    const error = await caught(() => fetchArticle(url(), RULE_ON));
    expect(error).toMatchObject({ name: "UserError", code: "FETCH_ADDRESS" });
    expect(error.message).toContain("loopback");
    expect(web.requests.length + web6.requests.length).toBe(before);
  });

  it("re-checks every redirect: a public stand-in redirecting to a loopback address is refused", async () => {
    for (const target of [`http://127.0.0.2:${web.port}/article.html`, web6.url("/article.html")]) {
      const start = web.requests.length;
      const six = web6.requests.length;
      const error = await caught(() =>
        fetchArticle(web.url(`/redirect-to?to=${encodeURIComponent(target)}`), {
          ...RULE_ON,
          publicAddresses: ["127.0.0.1"],
        }),
      );
      expect(error).toMatchObject({ code: "FETCH_ADDRESS" });
      // The first hop was served; the redirect's target never was.
      expect(web.requests.slice(start)).toHaveLength(1);
      expect(web6.requests.length).toBe(six);
    }
  });

  it("connects to the address it checked, not to a second DNS answer (no rebinding)", async () => {
    let lookups = 0;
    // First answer: the server; any later one: an address where nothing listens.
    const resolve = async () => [{ address: lookups++ === 0 ? "127.0.0.1" : "127.0.0.3", family: 4 }];
    const got = await fetchArticle(`http://news.test:${web.port}/article.html`, {
      ...RULE_ON,
      resolve,
      publicAddresses: ["127.0.0.1"],
    });
    expect(lookups).toBe(1);
    expect(got.contentType).toMatch(/^text\/html/);
  });

  it("says once in the logs that the rule is lifted", async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: "info", write: (line) => lines.push(line) });
    await fetchArticle(web.url("/article.md"), { ...OPEN, logger });
    await fetchArticle(web.url("/article.md"), { ...OPEN, logger });
    const lifted = lines.filter((l) => l.includes("corpus_fetch_address_rule_lifted"));
    expect(lifted).toHaveLength(1);
    expect(JSON.parse(lifted[0] as string)).toMatchObject({ level: "warn" });
  });
});

describe("fetchArticle: what it fetches", () => {
  it("fetches an HTML page that converts to the article, with the link as its url", async () => {
    const got = await fetchArticle(web.url("/article.html"), OPEN);
    expect(got).toMatchObject({ name: "article.html", sourceUrl: web.url("/article.html") });
    const article = await convertArticle(got, { maxBytes: OPEN.maxBytes });
    expect(article).toMatchObject({ title: ARTICLE.title, sourceUrl: web.url("/article.html"), paragraphs: 4 });
    expect(article.markdown).toContain(`url: "${web.url("/article.html")}"`);
  });

  it("fetches a PDF and a gzip-encoded page", async () => {
    const pdf = await fetchArticle(web.url("/article.pdf"), OPEN);
    expect(pdf).toMatchObject({ name: "article.pdf", contentType: "application/pdf" });
    expect((await convertArticle(pdf, OPEN)).title).toBe(ARTICLE.title);
    const gz = await fetchArticle(web.url("/article-gzip.html"), OPEN);
    expect(Buffer.from(gz.bytes).toString("utf8")).toContain("<article>");
  });

  it("fetches from an IPv6 loopback server when the rule is lifted", async () => {
    const got = await fetchArticle(web6.url("/article.md"), OPEN);
    expect(got).toMatchObject({ name: "article.md", sourceUrl: web6.url("/article.md") });
  });

  it("follows up to 5 redirects and keeps the final URL", async () => {
    const got = await fetchArticle(web.url("/redirect/5"), OPEN);
    expect(got.sourceUrl).toBe(web.url("/article.html"));
  });

  it("refuses a sixth redirect and a loop with FETCH_REDIRECTS", async () => {
    expect(await caught(() => fetchArticle(web.url("/redirect/6"), OPEN))).toMatchObject({ code: "FETCH_REDIRECTS" });
    const start = web.requests.length;
    expect(await caught(() => fetchArticle(web.url("/redirect-loop"), OPEN))).toMatchObject({
      code: "FETCH_REDIRECTS",
    });
    expect(web.requests.length - start).toBe(6);
  });

  it("refuses links that are not http(s), including by redirect, with FETCH_SCHEME", async () => {
    for (const link of ["file:///etc/passwd", "ftp://example.org/a.txt", "javascript:alert(1)", "not a link", ""]) {
      expect(await caught(() => fetchArticle(link, RULE_ON))).toMatchObject({ code: "FETCH_SCHEME" });
    }
    expect(
      await caught(() => fetchArticle(`http://user:secret@127.0.0.1:${web.port}/article.html`, OPEN)),
    ).toMatchObject({ code: "FETCH_SCHEME" });
    const redirected = web.url(`/redirect-to?to=${encodeURIComponent("file:///etc/passwd")}`);
    expect(await caught(() => fetchArticle(redirected, OPEN))).toMatchObject({ code: "FETCH_SCHEME" });
  });

  it("stops a 20 MB body at the size limit while streaming, declared or not, compressed or not", async () => {
    const started = Date.now();
    for (const path of ["/large", "/large-declared", "/gzip-bomb"]) {
      const error = await caught(() => fetchArticle(web.url(path), OPEN));
      expect(error, path).toMatchObject({ code: "FETCH_TOO_LARGE" });
      expect(error.message).toContain("5 MB");
    }
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it("gives up on a slow server with FETCH_TIMEOUT, before headers or mid-body", async () => {
    for (const path of ["/slow", "/slow-body"]) {
      const started = Date.now();
      const error = await caught(() => fetchArticle(web.url(path), { ...OPEN, timeoutMs: 300 }));
      expect(error, path).toMatchObject({ code: "FETCH_TIMEOUT" });
      expect(Date.now() - started).toBeLessThan(2_000);
    }
  });

  it("refuses content that is not HTML, PDF, Markdown or text with FETCH_TYPE", async () => {
    for (const path of ["/image.png", "/data.json", "/no-type"]) {
      expect(await caught(() => fetchArticle(web.url(path), OPEN)), path).toMatchObject({ code: "FETCH_TYPE" });
    }
  });

  it("takes an application/octet-stream download by the link's extension, and refuses it without one", async () => {
    web.serve("/download/report.pdf", { type: "application/octet-stream", body: articlePdf() });
    const pdf = await fetchArticle(web.url("/download/report.pdf"), OPEN);
    expect(pdf.name).toBe("report.pdf");
    expect((await convertArticle(pdf, OPEN)).title).toBe(ARTICLE.title);
    web.serve("/download/blob", { type: "application/octet-stream", body: articlePdf() });
    expect(await caught(() => fetchArticle(web.url("/download/blob"), OPEN))).toMatchObject({ code: "FETCH_TYPE" });
  });

  it("refuses an error status with FETCH_STATUS", async () => {
    const error = await caught(() => fetchArticle(web.url("/status/404"), OPEN));
    expect(error).toMatchObject({ code: "FETCH_STATUS" });
    expect(error.message).toContain("404");
    expect(await caught(() => fetchArticle(web.url("/status/500"), OPEN))).toMatchObject({ code: "FETCH_STATUS" });
  });

  it("reports a refused connection as FETCH_FAILED", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await caught(() => fetchArticle(`http://127.0.0.1:${port}/article.html`, OPEN));
    expect(error).toMatchObject({ code: "FETCH_FAILED" });
    expect(error.message).toContain("refused");
  });

  it("speaks https and refuses a certificate it cannot verify with FETCH_FAILED", async () => {
    // A self-signed certificate for 127.0.0.1 (test/fixtures/ingest/tls, made with openssl for this test only).
    const tls = (file: string) => readFileSync(new URL(`../../fixtures/ingest/tls/${file}`, import.meta.url));
    let served = 0;
    const server = createTlsServer(
      { key: tls("self-signed-key.pem"), cert: tls("self-signed-cert.pem") },
      (_req, res) => {
        served++;
        res.end("<p>secret</p>");
      },
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const error = await caught(() => fetchArticle(`https://127.0.0.1:${port}/article.html`, OPEN));
      expect(error).toMatchObject({ code: "FETCH_FAILED" });
      expect(error.message).toContain("certificate");
      expect(served).toBe(0);
      expect(await caught(() => fetchArticle(`https://127.0.0.1:${port}/`, RULE_ON))).toMatchObject({
        code: "FETCH_ADDRESS",
      });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("accepts a link in <angle brackets>, as pasted to stop Discord's preview", async () => {
    const got = await fetchArticle(` <${web.url("/article.md")}> `, OPEN);
    expect(got.sourceUrl).toBe(web.url("/article.md"));
  });

  it("names what it fetched by the link and the content type", async () => {
    expect((await fetchArticle(web.url("/article.txt"), OPEN)).name).toBe("article.txt");
    web.serve("/notes.md", { type: "text/plain", body: "# Notes\n\nA line of notes.\n" });
    expect((await fetchArticle(web.url("/notes.md"), OPEN)).name).toBe("notes.md");
    web.serve("/", { type: "text/html", body: "<p>home</p>" });
    expect((await fetchArticle(web.url("/"), OPEN)).name).toBe("127.0.0.1.html");
  });
});
