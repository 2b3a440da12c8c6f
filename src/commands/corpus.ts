import { open } from "node:fs/promises";
import { basename } from "node:path";
import type { IngestConfig } from "../config.js";
import { fetchArticle } from "../corpus/fetch/fetch-article.js";
import { convertArticle } from "../corpus/ingest/convert-article.js";
import type { IncomingArticle } from "../corpus/ingest/incoming-article.js";
import type { CorpusManager } from "../curation/corpus-manager.js";
import type { Actor, CorpusChange } from "../curation/types.js";
import { errorMessage, UserError } from "../errors.js";
import type { BuildProgress } from "../index/build-index.js";
import type { Services } from "./services.js";

/** How an article may be added: its size limit, and how links are fetched (CORPUS_MAX_BYTES, CORPUS_FETCH_*). */
export type AddLimits = Pick<IngestConfig, "maxBytes" | "fetchTimeoutMs" | "fetchAllowPrivate">;

/** The corpus manager, or `CORPUS_OFF` when this program has none (no data folder for its history and log). */
export function corpusManager(services: Services): CorpusManager {
  if (!services.corpus)
    throw new UserError(
      "CORPUS_OFF",
      services.unavailable.corpus ?? "The corpus cannot be changed here: its audit log could not be opened.",
    );
  return services.corpus;
}

/** Whether `target` is a link to fetch rather than a file path. */
export function isLink(target: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(target.trim());
}

/**
 * Adds an article that arrived as bytes (an attachment, a file read from disk): converted by
 * lane ingest's `convertArticle` (Markdown, text, HTML, PDF), then added by the corpus manager.
 * The log names `input.sourceUrl`, else the file name, as its origin.
 */
export async function addIncoming(
  services: Services,
  input: IncomingArticle,
  by: Actor,
  limits: AddLimits,
  onProgress?: (p: BuildProgress) => void,
): Promise<CorpusChange> {
  const corpus = corpusManager(services);
  const article = await convertArticle(input, { maxBytes: limits.maxBytes });
  return corpus.add(article, by, onProgress, input.sourceUrl ?? input.name);
}

/** Adds the article at an http(s) link, fetched under the URL safety rule (see `fetchArticle`). */
export async function addFromUrl(
  services: Services,
  url: string,
  by: Actor,
  limits: AddLimits,
  onProgress?: (p: BuildProgress) => void,
): Promise<CorpusChange> {
  corpusManager(services);
  const input = await fetchArticle(url.trim(), {
    maxBytes: limits.maxBytes,
    timeoutMs: limits.fetchTimeoutMs,
    allowPrivate: limits.fetchAllowPrivate,
    logger: services.logger,
  });
  return addIncoming(services, input, by, limits, onProgress);
}

/**
 * Adds the article in a file on this machine (`npm run corpus -- add <path>`). A file over the
 * limit is refused before it is read.
 */
export async function addFromFile(
  services: Services,
  path: string,
  by: Actor,
  limits: AddLimits,
  onProgress?: (p: BuildProgress) => void,
): Promise<CorpusChange> {
  corpusManager(services);
  const bytes = await readLimited(path, limits.maxBytes);
  return addIncoming(
    services,
    { name: basename(path), bytes, contentType: null, sourceUrl: null },
    by,
    limits,
    onProgress,
  );
}

/** Adds from a link when `target` is one, else from the file at that path. */
export function addFromPathOrUrl(
  services: Services,
  target: string,
  by: Actor,
  limits: AddLimits,
  onProgress?: (p: BuildProgress) => void,
): Promise<CorpusChange> {
  return isLink(target)
    ? addFromUrl(services, target, by, limits, onProgress)
    : addFromFile(services, target, by, limits, onProgress);
}

/** Reads at most `maxBytes` (+1, to know it is more) of a file; ARTICLE_TOO_LARGE beyond. */
async function readLimited(path: string, maxBytes: number): Promise<Uint8Array> {
  let file: Awaited<ReturnType<typeof open>>;
  try {
    file = await open(path, "r");
  } catch (error) {
    throw new UserError("ARTICLE_FILE", `Cannot read ${path}: ${oneLineReason(error)}.`, { cause: error });
  }
  try {
    const stat = await file.stat();
    if (!stat.isFile()) throw new UserError("ARTICLE_FILE", `${path} is not a file.`);
    if (stat.size > maxBytes) throw tooLarge(path, stat.size, maxBytes);
    const buffer = Buffer.alloc(Math.min(stat.size, maxBytes) + 1);
    const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
    if (bytesRead > maxBytes) throw tooLarge(path, bytesRead, maxBytes);
    return new Uint8Array(buffer.subarray(0, bytesRead));
  } finally {
    await file.close();
  }
}

function tooLarge(path: string, size: number, maxBytes: number): UserError {
  return new UserError(
    "ARTICLE_TOO_LARGE",
    `${basename(path)} is ${megabytes(size)}, over the ${megabytes(maxBytes)} limit (CORPUS_MAX_BYTES).`,
  );
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Node's file errors start with their code ("ENOENT: no such file…"): the reason only. */
function oneLineReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EACCES") return "permission denied";
  if (code === "EISDIR") return "it is a folder";
  return errorMessage(error).split("\n")[0] ?? "";
}
