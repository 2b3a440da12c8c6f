import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { ARTICLE_HTML, ARTICLE_MARKDOWN, articlePdf, NAV_ONLY_HTML, scannedPdf } from "./pages.js";

export { minimalPdf } from "./minimal-pdf.js";
export {
  ARTICLE,
  ARTICLE_HTML,
  ARTICLE_MARKDOWN,
  articlePdf,
  CLUTTER_MARKERS,
  NAV_ONLY_HTML,
  scannedPdf,
} from "./pages.js";

/** A route's answer: a status, headers and a body, or a handler for anything unusual. */
export type Route =
  | {
      readonly status?: number;
      readonly type?: string | null;
      readonly body: string | Uint8Array;
      readonly headers?: Readonly<Record<string, string>>;
    }
  | ((req: IncomingMessage, res: ServerResponse, web: LoopbackWeb) => void);

export interface LoopbackWebOptions {
  /** The loopback address to listen on: 127.0.0.1 (default) or ::1. Never anything else. */
  readonly host?: "127.0.0.1" | "::1";
  /** How long `/slow` waits before answering, in ms (default 10 s: longer than any test's fetch limit). */
  readonly slowMs?: number;
}

/** A running loopback web server. */
export interface LoopbackWeb {
  /** `http://127.0.0.1:<port>` (or `http://[::1]:<port>`). */
  readonly origin: string;
  readonly port: number;
  /** The full URL of `path` on this server. */
  url(path: string): string;
  /** Paths requested so far, in order (with their query). */
  readonly requests: string[];
  /** Adds or replaces a route. */
  serve(path: string, route: Route): void;
  close(): Promise<void>;
}

const MB = 1024 * 1024;

/**
 * A web server on a loopback address for tests of adding articles by link. It serves:
 * `/article.html` (the article amid nav, ads and scripts), `/article.md`, `/article.txt`
 * (Markdown as text/plain), `/article.pdf` (text layer), `/scan.pdf` (none), `/nav-only.html`,
 * `/article-gzip.html` (gzip-encoded), `/redirect` (→ /article.html), `/redirect/<n>` (a chain
 * of n redirects ending at the article), `/redirect-loop`, `/redirect-to?to=<url>` (→ any URL,
 * e.g. another loopback address), `/large` (20 MB streamed, no length), `/large-declared`
 * (20 MB with Content-Length), `/gzip-bomb` (20 MB of zeros gzipped to a few KB), `/slow`
 * (answers after `slowMs`), `/slow-body` (headers at once, then a byte a second),
 * `/image.png`, `/data.json`, `/no-type` (wrong or no content type), `/status/<code>`.
 * It only ever listens on 127.0.0.1 or ::1.
 */
export async function startLoopbackWeb(options: LoopbackWebOptions = {}): Promise<LoopbackWeb> {
  const host = options.host ?? "127.0.0.1";
  const slowMs = options.slowMs ?? 10_000;
  const routes = new Map<string, Route>();
  const requests: string[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, work: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      work();
    }, ms);
    timers.add(t);
  };

  const html = "text/html; charset=utf-8";
  routes.set("/article.html", { type: html, body: ARTICLE_HTML });
  routes.set("/article.md", { type: "text/markdown; charset=utf-8", body: ARTICLE_MARKDOWN });
  routes.set("/article.txt", { type: "text/plain; charset=utf-8", body: ARTICLE_MARKDOWN });
  routes.set("/article.pdf", { type: "application/pdf", body: articlePdf() });
  routes.set("/scan.pdf", { type: "application/pdf", body: scannedPdf() });
  routes.set("/nav-only.html", { type: html, body: NAV_ONLY_HTML });
  routes.set("/article-gzip.html", {
    type: html,
    body: gzipSync(ARTICLE_HTML),
    headers: { "content-encoding": "gzip" },
  });
  routes.set("/gzip-bomb", {
    type: html,
    body: gzipSync(Buffer.alloc(20 * MB, 0x20)),
    headers: { "content-encoding": "gzip" },
  });
  routes.set("/image.png", {
    type: "image/png",
    body: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  });
  routes.set("/data.json", { type: "application/json", body: '{"title":"not an article"}' });
  routes.set("/no-type", { type: null, body: "Some text with no content type." });
  routes.set("/redirect", redirect("/article.html"));
  routes.set("/redirect-loop", redirect("/redirect-loop"));
  routes.set("/large", (_req, res) => {
    res.writeHead(200, { "content-type": html });
    const chunk = Buffer.alloc(MB, 0x61);
    let sent = 0;
    // Written as the client reads: a client that stops at its limit stops the server too.
    const pump = () => {
      while (sent < 20 && !res.destroyed) {
        sent++;
        if (!res.write(chunk)) return void res.once("drain", pump);
      }
      if (!res.destroyed) res.end();
    };
    pump();
  });
  routes.set("/large-declared", (_req, res) => {
    res.writeHead(200, { "content-type": html, "content-length": String(20 * MB) });
    res.write(Buffer.alloc(1024, 0x61));
    // The rest never comes: a client that trusts the declared length has already given up.
  });
  routes.set("/slow", (_req, res) =>
    later(slowMs, () => res.destroyed || sendRoute(res, { type: html, body: ARTICLE_HTML })),
  );
  routes.set("/slow-body", (_req, res) => {
    res.writeHead(200, { "content-type": html });
    const drip = () => {
      if (res.destroyed) return;
      res.write("<p>.</p>");
      later(1000, drip);
    };
    drip();
  });

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://loopback");
    requests.push(`${url.pathname}${url.search}`);
    const route = routes.get(url.pathname) ?? dynamicRoute(url);
    if (!route) return sendRoute(res, { status: 404, type: "text/plain", body: "Not found" });
    if (typeof route === "function") return route(req, res, web);
    sendRoute(res, route);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = host === "::1" ? `http://[::1]:${port}` : `http://${host}:${port}`;
  const web: LoopbackWeb = {
    origin,
    port,
    url: (path) => `${origin}${path.startsWith("/") ? path : `/${path}`}`,
    requests,
    serve: (path, route) => void routes.set(path, route),
    close: async () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return web;
}

function dynamicRoute(url: URL): Route | null {
  const chain = /^\/redirect\/(\d+)$/.exec(url.pathname);
  if (chain) {
    const n = Number(chain[1]);
    return redirect(n <= 1 ? "/article.html" : `/redirect/${n - 1}`);
  }
  if (url.pathname === "/redirect-to") {
    const to = url.searchParams.get("to");
    return to ? redirect(to) : null;
  }
  const status = /^\/status\/(\d{3})$/.exec(url.pathname);
  if (status) return { status: Number(status[1]), type: "text/html", body: "<p>status page</p>" };
  return null;
}

function redirect(location: string, status = 302): Route {
  return { status, type: "text/plain", body: `Moved to ${location}`, headers: { location } };
}

function sendRoute(res: ServerResponse, route: Exclude<Route, (...args: never[]) => void>): void {
  const body = typeof route.body === "string" ? Buffer.from(route.body) : Buffer.from(route.body);
  const headers: Record<string, string> = { "content-length": String(body.length), ...(route.headers ?? {}) };
  if (route.type !== null) headers["content-type"] = route.type ?? "text/plain";
  res.writeHead(route.status ?? 200, headers);
  res.end(body);
}
