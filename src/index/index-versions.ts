import { existsSync, readFileSync, renameSync } from "node:fs";
import { mkdir, open, readdir, rename, rm, statfs, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { errorMessage, IndexError } from "../errors.js";
import { MANIFEST_FILE } from "./manifest.js";

/**
 * The index folder's layout. Each build is written to a hidden `.building-<pid>-<ms>` folder
 * inside the index folder, renamed to a version folder `v-<time>-<pid>` beside the others, and
 * made live by replacing the one-line `CURRENT` file atomically (write a temporary file, then
 * rename it over). The index folder itself is never renamed or replaced, so it can be a mount
 * point (a Docker volume), and every step of a swap is a rename inside one folder.
 *
 * An index written before versions existed has its files directly in the index folder and no
 * `CURRENT`: it is read where it is, and the first build moves it into a version folder.
 */
export const CURRENT_FILE = "CURRENT";

const VERSION_NAME = /^v-\d{8}T\d{9}Z-\d+$/;
/** The version an index laid out before versions is moved into: older than any build's. */
const RETIRED_FLAT = "v-00000000T000000000Z-0";
const BUILDING_NAME = /^\.building-(\d+)-\d+$/;
const POINTER_TEMP = /^CURRENT\.tmp-\d+$/;

/** Build folders this process is writing: the only `.building-*` folders a tidy must not remove. */
const activeBuilds = new Set<string>();

/**
 * The folder holding the live index under `indexDir`: the version `CURRENT` names, `indexDir`
 * itself for an index laid out before versions, or null when there is no index. A `CURRENT`
 * that names no version is an `INDEX_CORRUPT` error.
 */
export function liveVersionDir(indexDir: string): string | null {
  let name: string;
  try {
    name = readFileSync(join(indexDir, CURRENT_FILE), "utf8").trim();
  } catch {
    return existsSync(join(indexDir, MANIFEST_FILE)) ? indexDir : null;
  }
  if (!VERSION_NAME.test(name))
    throw new IndexError(
      "INDEX_CORRUPT",
      `The index pointer ${join(indexDir, CURRENT_FILE)} names ${JSON.stringify(name.slice(0, 80))}, which is not an index version.`,
      { remedy: "Run `npm run reindex` to rebuild it." },
    );
  return join(indexDir, name);
}

/** The live index's folder under `indexDir`, or the folder a missing index would be read from (for messages and `INDEX_MISSING`). */
export function liveOrRoot(indexDir: string): string {
  return liveVersionDir(indexDir) ?? indexDir;
}

/**
 * Makes a fresh build folder inside `indexDir`, after checking that the folder can be written
 * and that the disk has room for about `neededBytes`: a build that cannot finish is refused up
 * front with the real cause (`INDEX_NOT_WRITABLE`, `INDEX_NO_SPACE`), not halfway through with a
 * bare errno.
 */
export async function startBuildDir(indexDir: string, neededBytes: number): Promise<string> {
  const buildDir = join(indexDir, `.building-${process.pid}-${Date.now()}`);
  try {
    await mkdir(indexDir, { recursive: true });
    await mkdir(buildDir);
    // mkdir alone can succeed where writing a file does not (a full disk still has inodes).
    const probe = await open(join(buildDir, ".probe"), "w");
    await probe.close();
    await unlink(join(buildDir, ".probe"));
  } catch (cause) {
    await rm(buildDir, { recursive: true, force: true }).catch(() => undefined);
    throw writeError(indexDir, cause);
  }
  const free = await freeBytes(indexDir);
  if (free !== null && free < neededBytes) {
    await rm(buildDir, { recursive: true, force: true }).catch(() => undefined);
    throw new IndexError(
      "INDEX_NO_SPACE",
      `The disk holding ${indexDir} has ${megabytes(free)} free; building the index needs about ${megabytes(neededBytes)}. Free some space and reindex; the index in use is unchanged.`,
    );
  }
  activeBuilds.add(buildDir);
  return buildDir;
}

/** Forgets a build folder once it is published or removed, so a later tidy may treat leftovers as such. */
export function endBuildDir(buildDir: string): void {
  activeBuilds.delete(buildDir);
}

/**
 * Turns an error met while writing under `indexDir` into one that names its real cause (a
 * read-only file system, a permission, a full disk), or returns it unchanged.
 */
export function writeError(indexDir: string, cause: unknown): unknown {
  const code = (cause as { code?: unknown } | null)?.code;
  const uid = process.getuid?.() ?? "?";
  const why: Record<string, [string, string]> = {
    EROFS: ["it is on a read-only file system", "mount the data folder read-write"],
    EACCES: [`this process (uid ${uid}) may not write there`, "give it write permission on the folder"],
    EPERM: [`this process (uid ${uid}) may not write there`, "give it write permission on the folder"],
    ENOTDIR: ["a part of that path is a file, not a folder", "point PASSAGE_INDEX_DIR at a folder"],
    EDQUOT: ["the disk quota is used up", "free some space or raise the quota"],
  };
  if (code === "ENOSPC")
    return new IndexError(
      "INDEX_NO_SPACE",
      `The disk holding ${indexDir} is full (ENOSPC). Free some space and reindex; the index in use is unchanged.`,
      { cause },
    );
  const known = typeof code === "string" ? why[code] : undefined;
  if (known)
    return new IndexError(
      "INDEX_NOT_WRITABLE",
      `The index cannot be written in ${indexDir}: ${known[0]} (${code}); ${known[1]}. The index in use is unchanged.`,
      { cause },
    );
  return cause;
}

/**
 * Makes a finished, checked build in `buildDir` the live index: renames it to a new version
 * folder, then points `CURRENT` at it in one atomic rename. Returns the version folder and the
 * one that was live before (null when there was none).
 */
export async function publishVersion(
  indexDir: string,
  buildDir: string,
): Promise<{ versionDir: string; previousDir: string | null }> {
  let before: string | null;
  try {
    before = liveVersionDir(indexDir);
  } catch {
    before = null; // a damaged pointer is what this build replaces
  }
  const name = `v-${new Date().toISOString().replace(/[-:.]/g, "")}-${process.pid}`;
  const versionDir = join(indexDir, name);
  await rename(buildDir, versionDir);
  endBuildDir(buildDir);
  const temp = join(indexDir, `${CURRENT_FILE}.tmp-${process.pid}`);
  const file = await open(temp, "w");
  try {
    await file.writeFile(`${name}\n`);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temp, join(indexDir, CURRENT_FILE));
  return { versionDir, previousDir: before };
}

/** What a tidy removed, and what it could not (it never throws: cleanup must not fail a swap or a start). */
export interface TidyReport {
  readonly removed: readonly string[];
  readonly failed: readonly { readonly path: string; readonly error: string }[];
}

/**
 * Removes what builds leave behind under `indexDir`: build folders of processes that are gone
 * (or of this one, but no longer being written), versions older than the live one and the one
 * before it (`keep`, else the newest other version: kept for rollback), temporary pointer
 * files, an index laid out before versions once a version is live (moved into a version folder,
 * so it stays the rollback), and the sibling `.index.building-*` and `index.previous` folders
 * the old layout left. Never throws.
 */
export async function tidyIndexDir(indexDir: string, keep: string | null = null): Promise<TidyReport> {
  const removed: string[] = [];
  const failed: { path: string; error: string }[] = [];
  const remove = async (path: string) => {
    try {
      await rm(path, { recursive: true, force: true });
      removed.push(path);
    } catch (error) {
      failed.push({ path, error: errorMessage(error) });
    }
  };
  let live: string | null;
  try {
    live = liveVersionDir(indexDir);
  } catch {
    return { removed, failed }; // a damaged pointer: leave every version for whoever repairs it
  }
  const entries = await readdir(indexDir).catch(() => [] as string[]);
  if (live !== null && live !== indexDir && entries.includes(MANIFEST_FILE)) await retireFlatLayout(indexDir, failed);
  const versions = (await readdir(indexDir).catch(() => [] as string[])).filter((n) => VERSION_NAME.test(n)).sort();
  const liveName = live === null || live === indexDir ? null : basename(live);
  const keepName =
    keep === null
      ? (versions.filter((n) => n !== liveName).at(-1) ?? null)
      : keep === indexDir
        ? RETIRED_FLAT
        : basename(keep);
  for (const name of entries) {
    const path = join(indexDir, name);
    const building = BUILDING_NAME.exec(name);
    if (building && !activeBuilds.has(path) && !processAlive(Number(building[1]))) await remove(path);
    else if (POINTER_TEMP.test(name) && !processAlive(Number(name.slice(name.lastIndexOf("-") + 1))))
      await remove(path);
  }
  // Only once a version is live: until then an old version may be all there is.
  if (liveName !== null)
    for (const name of versions) if (name !== liveName && name !== keepName) await remove(join(indexDir, name));
  for (const path of await oldLayoutLeftovers(indexDir, live !== null)) await remove(path);
  return { removed, failed };
}

/**
 * Moves an index laid out before versions (files directly in the index folder) into a version
 * folder, now that `CURRENT` points elsewhere: it becomes the version kept for rollback.
 */
async function retireFlatLayout(indexDir: string, failed: { path: string; error: string }[]): Promise<void> {
  const target = join(indexDir, RETIRED_FLAT);
  try {
    await mkdir(target, { recursive: true });
    for (const name of await readdir(indexDir)) {
      const path = join(indexDir, name);
      if (name === CURRENT_FILE || name.startsWith(".") || VERSION_NAME.test(name) || POINTER_TEMP.test(name)) continue;
      await rename(path, join(target, name));
    }
  } catch (error) {
    failed.push({ path: indexDir, error: errorMessage(error) });
  }
}

/**
 * `.index.building-*` beside the index folder, and `index.previous` once an index is live: what
 * builds left before versions.
 */
async function oldLayoutLeftovers(indexDir: string, indexLive: boolean): Promise<string[]> {
  const parent = dirname(indexDir);
  const prefix = `.${basename(indexDir)}.building-`;
  const siblings = await readdir(parent).catch(() => [] as string[]);
  const leftovers = siblings
    .filter((n) => n.startsWith(prefix) && !processAlive(Number(n.slice(prefix.length).split("-")[0])))
    .map((n) => join(parent, n));
  if (indexLive && existsSync(`${indexDir}.previous`)) leftovers.push(`${indexDir}.previous`);
  return leftovers;
}

/**
 * The old layout swapped by renaming the index folder away and the new one in; a process that
 * died between the two renames left only `index.previous`, whole. Put it back.
 */
export function recoverOldSwap(indexDir: string): void {
  const previous = `${indexDir}.previous`;
  if (!existsSync(indexDir) && existsSync(join(previous, MANIFEST_FILE))) renameSync(previous, indexDir);
}

/** Whether a process with this id is running (this one counts only for folders it is not writing). */
function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  // In a container the bot is often pid 1 on every start: its own pid says nothing about a leftover.
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: unknown }).code === "EPERM";
  }
}

async function freeBytes(dir: string): Promise<number | null> {
  try {
    const s = await statfs(dir);
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
