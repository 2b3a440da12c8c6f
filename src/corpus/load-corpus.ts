import { readdir, readFile, realpath, stat } from "node:fs/promises";
import { basename, extname, join, relative, sep } from "node:path";
import { parse as parseYaml } from "yaml";
import type { Article, SkippedFile } from "./article.js";

/** What reading a corpus folder produced: the articles, and the files skipped with reasons. */
export interface Corpus {
  readonly articles: Article[];
  readonly skipped: SkippedFile[];
}

const ARTICLE_EXTENSIONS = new Set([".md", ".markdown", ".txt"]);
/** Larger files are almost certainly not articles (a dump, a binary): skip rather than stall. */
export const MAX_ARTICLE_BYTES = 5 * 1024 * 1024;

/**
 * Reads every `.md`/`.txt` file under `dir` (recursively, in a stable order). A malformed
 * file is reported in `skipped` by name and reason, never thrown: one bad article must not
 * take the rest of the corpus down. Throws only when the folder itself cannot be read.
 */
export async function loadCorpus(dir: string): Promise<Corpus> {
  const articles: Article[] = [];
  const skipped: SkippedFile[] = [];
  const files = await listArticleFiles(dir, skipped);
  // Files are read a few at a time (a corpus of thousands of articles reads three times faster
  // than one by one) and taken in their sorted order.
  for (let i = 0; i < files.length; i += READ_AHEAD) {
    const batch = files.slice(i, i + READ_AHEAD);
    const read = await Promise.all(
      batch.map((file) =>
        readFile(file).then(
          (bytes) => ({ bytes }),
          (error: unknown) => ({ error }),
        ),
      ),
    );
    read.forEach((r, j) => {
      const source = relative(dir, batch[j] as string)
        .split(sep)
        .join("/");
      try {
        if ("error" in r) throw r.error;
        if (r.bytes.length > MAX_ARTICLE_BYTES) throw new Error(`larger than ${MAX_ARTICLE_BYTES} bytes`);
        articles.push(parseArticle(source, decodeUtf8(r.bytes)));
      } catch (error) {
        skipped.push({ source, reason: error instanceof Error ? error.message : String(error) });
      }
    });
  }
  return { articles, skipped };
}

/** Files read at once: enough to keep the disk and the thread pool busy, few enough to bound memory. */
const READ_AHEAD = 32;

/**
 * The article files under `root`, sorted. Symbolic links are followed (an article or folder
 * linked in from elsewhere is read), except a broken one, or one leading back into a folder
 * being read (a loop, which would never end): those are reported in `skipped`, not dropped
 * silently.
 */
async function listArticleFiles(root: string, skipped: SkippedFile[]): Promise<string[]> {
  const source = (path: string) => relative(root, path).split(sep).join("/");
  const walk = async (dir: string, ancestors: ReadonlySet<string>): Promise<string[]> => {
    const out: string[] = [];
    // By name, so what is skipped is reported in the same order on every file system.
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      const path = join(dir, entry.name);
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const target = await stat(path);
          isDirectory = target.isDirectory();
          isFile = target.isFile();
        } catch (error) {
          const code = (error as { code?: unknown }).code;
          skipped.push({
            source: source(path),
            reason: code === "ELOOP" ? "a symbolic link that loops" : "a broken symbolic link",
          });
          continue;
        }
        if (isDirectory && ancestors.has(await realpath(path))) {
          skipped.push({ source: source(path), reason: "a symbolic link back into a folder it is in (a loop)" });
          continue;
        }
      }
      if (isDirectory) out.push(...(await walk(path, new Set([...ancestors, await realpath(path)]))));
      else if (isFile && ARTICLE_EXTENSIONS.has(extname(entry.name).toLowerCase())) out.push(path);
    }
    return out;
  };
  return (await walk(root, new Set([await realpath(root)]))).sort();
}

function decodeUtf8(bytes: Buffer): string {
  if (bytes.includes(0)) throw new Error("not a text file (contains NUL bytes)");
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new Error("not valid UTF-8 text");
  }
}

const FRONT_MATTER = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

/**
 * Parses one article file. Markdown may open with YAML front matter (`title`, `url`, `date`);
 * without a title the first heading, or the file name, names the article.
 */
export function parseArticle(source: string, content: string): Article {
  // A BOM would shift every offset by one against what an editor shows; treat it as front matter.
  let bodyStart = content.startsWith("\uFEFF") ? 1 : 0;
  let meta: Record<string, unknown> = {};
  const fm = FRONT_MATTER.exec(content.slice(bodyStart));
  if (fm) {
    let parsed: unknown;
    try {
      parsed = parseYaml(fm[1] ?? "");
    } catch (error) {
      throw new Error(`front matter is not valid YAML: ${firstLine(error)}`);
    }
    if (parsed !== null && parsed !== undefined) {
      if (typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("front matter must be a YAML mapping");
      meta = parsed as Record<string, unknown>;
    }
    bodyStart += fm[0].length;
  } else if (content.slice(bodyStart).startsWith("---\n") || content.slice(bodyStart).startsWith("---\r\n")) {
    throw new Error("front matter opened with --- but never closed");
  }
  const body = content.slice(bodyStart);
  if (body.trim().length === 0) throw new Error("the article has no text");
  const title = optionalString(meta, "title") ?? firstHeading(body) ?? titleFromFileName(source);
  return {
    source,
    title,
    url: optionalString(meta, "url"),
    date: optionalString(meta, "date"),
    content,
    bodyStart,
  };
}

function optionalString(meta: Record<string, unknown>, key: string): string | null {
  const value = meta[key];
  if (value === undefined || value === null || value === "") return null;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === "string" || typeof value === "number") return String(value).trim() || null;
  throw new Error(`front matter "${key}" must be text`);
}

function firstHeading(body: string): string | null {
  const m = /^#{1,6}[ \t]+(.+?)[ \t#]*$/m.exec(body);
  return m?.[1]?.trim() || null;
}

function titleFromFileName(source: string): string {
  const name = basename(source)
    .replace(/\.[^.]+$/, "")
    .replace(/[-_]+/g, " ")
    .trim();
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
}
