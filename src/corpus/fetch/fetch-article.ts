import type { LookupAddress } from "node:dns";
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import { UserError } from "../../errors.js";
import type { Logger } from "../../log.js";
import { VERSION } from "../../version.js";
import { FORMAT_EXTENSION, formatOfMimeType, formatOfName, mimeType } from "../ingest/article-format.js";
import { humanSize } from "../ingest/human-size.js";
import type { IncomingArticle } from "../ingest/incoming-article.js";
import { type ResolveHost, resolveCheckedHost, systemResolve } from "./resolve-host.js";

/** How a link is fetched. */
export interface FetchOptions {
  /** Bodies larger than this are cut off while streaming (CORPUS_MAX_BYTES). */
  readonly maxBytes: number;
  /** The whole fetch, redirects and body included, must finish within this (CORPUS_FETCH_TIMEOUT_MS). */
  readonly timeoutMs: number;
  /** Lifts the address rule, for tests and intranets (CORPUS_FETCH_ALLOW_PRIVATE=1); metadata services stay refused. */
  readonly allowPrivate: boolean;
  readonly logger?: Logger;
  /** Name resolution, for tests; the system resolver (dns.lookup) by default. */
  readonly resolve?: ResolveHost;
  /**
   * Addresses the rule treats as public, for tests only: a loopback server stands in for a
   * public one, so a redirect from it to another loopback address can be seen refused.
   */
  readonly publicAddresses?: readonly string[];
}

/** Redirects followed before giving up. */
export const MAX_REDIRECTS = 5;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Loggers already told that the address rule is off: said once, not on every fetch. */
const warned = new WeakSet<Logger>();

/**
 * Fetches an article from a link, as a server-side request made safely: only http and https;
 * the host's addresses resolved once and refused when private, loopback, link-local,
 * unique-local, unspecified or multicast (unless `allowPrivate`), or a cloud metadata service
 * (always); the connection made
 * to exactly the checked addresses (no second lookup, so no DNS rebinding); redirects followed by
 * hand, each re-checked, at most 5; one time limit for everything; the size limit applied while
 * the body streams (after decompression); only HTML, PDF, Markdown or plain text accepted.
 * Refusals are `UserError`s: FETCH_SCHEME, FETCH_ADDRESS, FETCH_REDIRECTS, FETCH_TIMEOUT,
 * FETCH_TOO_LARGE, FETCH_TYPE, FETCH_STATUS, FETCH_FAILED.
 */
export async function fetchArticle(url: string, options: FetchOptions): Promise<IncomingArticle> {
  if (options.allowPrivate && options.logger && !warned.has(options.logger)) {
    warned.add(options.logger);
    options.logger.warn("corpus_fetch_address_rule_lifted", {
      reason: "CORPUS_FETCH_ALLOW_PRIVATE is set: links may point at private, loopback and link-local addresses",
    });
  }
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  try {
    // People paste links in <angle brackets> to stop Discord's preview; the brackets are not part of it.
    const link = url.trim().replace(/^<(.*)>$/s, "$1");
    return await fetchFollowing(parseLink(link), options, controller.signal);
  } catch (error) {
    if (controller.signal.aborted) {
      throw new UserError(
        "FETCH_TIMEOUT",
        `The link did not answer in time (${Math.round(options.timeoutMs / 100) / 10} s): try again later, or send the article as a file.`,
        { cause: error },
      );
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

async function fetchFollowing(first: URL, options: FetchOptions, signal: AbortSignal): Promise<IncomingArticle> {
  let current = first;
  const publicAddresses = new Set(options.publicAddresses ?? []);
  for (let redirects = 0; ; redirects++) {
    const addresses = await abortable(
      resolveCheckedHost(current.hostname, options.allowPrivate, options.resolve ?? systemResolve, publicAddresses),
      signal,
    );
    const response = await request(current, addresses, signal);
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (REDIRECTS.has(status) && location) {
      // Destroyed, not drained: a body that never ends must not hold the socket after the time limit is cleared.
      response.destroy();
      if (redirects >= MAX_REDIRECTS) {
        throw new UserError(
          "FETCH_REDIRECTS",
          `The link redirected more than ${MAX_REDIRECTS} times; Passage stopped following it.`,
        );
      }
      options.logger?.debug("corpus_fetch_redirect", { from: current.href, status, to: location });
      current = parseLink(location, current);
      continue;
    }
    return await readArticle(current, response, options.maxBytes);
  }
}

/** The link as a URL, refused unless it is http(s); relative to `base` for a redirect's Location. */
function parseLink(link: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(link, base);
  } catch {
    throw new UserError("FETCH_SCHEME", "That is not a valid link: give a full http:// or https:// address.");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UserError(
      "FETCH_SCHEME",
      `Passage fetches only http:// and https:// links${base ? " (a redirect led to another kind)" : ""}, not ${url.protocol.replace(/:$/, "")}.`,
    );
  }
  if (url.username || url.password) {
    throw new UserError("FETCH_SCHEME", "Links with a user name or password in them are not fetched.");
  }
  return url;
}

function request(url: URL, addresses: LookupAddress[], signal: AbortSignal): Promise<IncomingMessage> {
  const client = url.protocol === "https:" ? https : http;
  // Every connection goes to the addresses already checked: Node asks this function instead of DNS.
  const pinned = ((_hostname, opts, callback) => {
    const first = addresses[0] as LookupAddress;
    if ((opts as { all?: boolean }).all) (callback as (e: null, a: LookupAddress[]) => void)(null, addresses);
    else callback(null, first.address, first.family);
  }) as LookupFunction;
  return new Promise((resolve, reject) => {
    const req = client.request(
      {
        protocol: url.protocol,
        host: url.hostname.replace(/^\[|\]$/g, ""),
        port: url.port || (url.protocol === "https:" ? 443 : 80),
        path: `${url.pathname}${url.search}`,
        method: "GET",
        // A fresh connection each time: a pooled socket could have been opened to an address checked for another hop.
        agent: false,
        lookup: pinned,
        signal,
        headers: {
          "user-agent": `Passage/${VERSION} (corpus article fetch)`,
          accept: "text/html, application/xhtml+xml, application/pdf, text/markdown, text/plain;q=0.9",
          "accept-encoding": "gzip, deflate, br",
        },
      },
      resolve,
    );
    req.on("error", (error) => reject(signal.aborted ? error : failed(url, error)));
    req.end();
  });
}

async function readArticle(url: URL, response: IncomingMessage, maxBytes: number): Promise<IncomingArticle> {
  const status = response.statusCode ?? 0;
  if (status < 200 || status > 299) {
    response.destroy();
    throw new UserError(
      "FETCH_STATUS",
      `The link answered ${status}${response.statusMessage ? ` ${response.statusMessage}` : ""} instead of a page.`,
    );
  }
  const contentType = headerValue(response.headers["content-type"]);
  // Some servers send every download as application/octet-stream: the link's extension then says
  // what it is, and convertArticle still checks the bytes (a PDF's header, text that decodes).
  const generic =
    mimeType(contentType) === "application/octet-stream" || mimeType(contentType) === "binary/octet-stream";
  const format = generic ? formatOfName(url.pathname) : formatOfMimeType(contentType);
  if (format === null) {
    response.destroy();
    throw new UserError(
      "FETCH_TYPE",
      `The link serves ${contentType ? `"${mimeType(contentType)}"` : "content of no stated type"}, not a web page, PDF, Markdown or plain text.`,
    );
  }
  const declared = Number(response.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes && !response.headers["content-encoding"]) {
    response.destroy();
    throw tooLarge(maxBytes);
  }
  let bytes: Uint8Array;
  try {
    bytes = await readLimited(decoded(response), maxBytes, () => response.destroy());
  } catch (error) {
    throw error instanceof UserError ? error : failed(url, error);
  }
  return { name: nameFor(url, format), bytes, contentType, sourceUrl: url.href };
}

/** The body, decompressed when the server compressed it; the limit counts what comes out. */
function decoded(response: IncomingMessage): NodeJS.ReadableStream {
  const encoding = headerValue(response.headers["content-encoding"])?.trim().toLowerCase();
  const decoder =
    encoding === "gzip" || encoding === "x-gzip"
      ? createGunzip()
      : encoding === "deflate"
        ? createInflate()
        : encoding === "br"
          ? createBrotliDecompress()
          : null;
  if (decoder === null) return response;
  response.on("error", (error) => decoder.destroy(error));
  return response.pipe(decoder);
}

async function readLimited(stream: NodeJS.ReadableStream, maxBytes: number, stop: () => void): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    total += buffer.length;
    if (total > maxBytes) {
      stop();
      throw tooLarge(maxBytes);
    }
    chunks.push(buffer);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/** A file name for the fetched article: the link's last path part, with the extension its type calls for. */
function nameFor(url: URL, format: keyof typeof FORMAT_EXTENSION): string {
  let last = url.pathname.split("/").filter(Boolean).pop() ?? "";
  try {
    last = decodeURIComponent(last);
  } catch {
    // A malformed escape: keep the raw text, it is only a name.
  }
  const stem = last.replace(/\.[^.]*$/, "") || url.hostname;
  // A server that sends Markdown as text/plain still named it .md: keep that.
  const keepMarkdown = format === "text" && /\.(md|markdown)$/i.test(last);
  return `${stem}${keepMarkdown ? ".md" : FORMAT_EXTENSION[format]}`;
}

function headerValue(value: string | string[] | undefined): string | null {
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

function tooLarge(maxBytes: number): UserError {
  return new UserError(
    "FETCH_TOO_LARGE",
    `The linked article is larger than the ${humanSize(maxBytes)} limit for an article (CORPUS_MAX_BYTES).`,
  );
}

/** OpenSSL's and Node's codes for a certificate or handshake that failed. */
const TLS_CODE =
  /^(ERR_TLS|ERR_SSL|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|HOSTNAME_MISMATCH|ERR_TLS_CERT)/;

function failed(url: URL, error: unknown): UserError {
  const code = (error as { code?: unknown }).code;
  const why =
    code === "ECONNREFUSED"
      ? "the server refused the connection"
      : code === "ECONNRESET"
        ? "the connection was reset"
        : typeof code === "string" && TLS_CODE.test(code)
          ? "its TLS certificate could not be verified"
          : "the request failed";
  return new UserError("FETCH_FAILED", `Could not fetch from "${url.hostname}": ${why}.`, { cause: error });
}

/** `work`, or a rejection as soon as `signal` aborts (a DNS lookup cannot itself be cancelled). */
function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Error("aborted"));
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(new Error("aborted"));
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
