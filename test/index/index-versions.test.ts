/**
 * The index folder's layout (versions and a CURRENT pointer): the folder itself is never
 * renamed, so it can be a mount point; leftovers of killed builds and old versions go away at
 * the next start or build, one previous version is kept; a folder that cannot be written, or a
 * full disk, is refused before a build starts with the real cause.
 */
import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { LocalEmbeddings } from "../../src/embed/local-embeddings.js";
import { buildIndex } from "../../src/index/build-index.js";
import { IndexManager } from "../../src/index/index-manager.js";
import { CURRENT_FILE, liveVersionDir } from "../../src/index/index-versions.js";
import { MANIFEST_FILE } from "../../src/index/manifest.js";
import { openIndex } from "../../src/index/passage-index.js";
import type { Logger } from "../../src/log.js";
import { live } from "../helpers/live-index.js";
import { canMount, tryMount, unmount } from "../helpers/mounts.js";

const CORPUS = new URL("../../corpus", import.meta.url).pathname;
const embedder = new LocalEmbeddings();
/** A process id no process has (Linux pids stay below 2^22). */
const DEAD_PID = 4_194_999;
let root: string;
let corpus: string;
let indexDir: string;
let mounted: string[] = [];
let mountable: { ok: true } | { ok: false; why: string } = { ok: false, why: "not probed" };

beforeAll(async () => {
  const probe = await mkdtemp(join(tmpdir(), "passage-mount-probe-"));
  mountable = canMount(probe);
  await rm(probe, { recursive: true, force: true });
  if (!mountable.ok) console.warn(`Skipping the mount tests: this machine does not allow mounting (${mountable.why}).`);
});

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "passage-versions-"));
  corpus = join(root, "corpus");
  await cp(CORPUS, corpus, { recursive: true });
  indexDir = join(root, "data", "index");
});

afterEach(async () => {
  for (const path of mounted.reverse()) unmount(path);
  mounted = [];
  await rm(root, { recursive: true, force: true });
});

function mount(args: string[], target: string): boolean {
  const result = tryMount([...args, target]);
  if (result.ok) mounted.push(target);
  return result.ok;
}

function versions(entries: string[]): string[] {
  return entries.filter((n) => n.startsWith("v-")).sort();
}

async function addArticle(name: string): Promise<void> {
  await writeFile(join(corpus, name), `---\ntitle: ${name}\n---\nA paragraph about ${name}.\n`);
}

function recordingLogger(events: { event: string; fields: Record<string, unknown> }[]): Logger {
  const push = (event: string, fields: Record<string, unknown> = {}) => events.push({ event, fields });
  return { debug: push, info: push, warn: push, error: push };
}

describe("versions and the CURRENT pointer", () => {
  it("publishes each build as a version named by CURRENT, keeps one previous, and never renames the index folder", async () => {
    await buildIndex({ corpusDir: corpus, indexDir, embedder });
    const inode = (await stat(indexDir)).ino;
    const first = live(indexDir);
    await addArticle("two.md");
    const second = await buildIndex({ corpusDir: corpus, indexDir, embedder });
    expect(second.index.dir).toBe(live(indexDir));
    expect(versions(await readdir(indexDir))).toEqual(
      versions([first, second.index.dir].map((p) => p.split("/").pop() ?? "")),
    );
    await addArticle("three.md");
    const third = await buildIndex({ corpusDir: corpus, indexDir, embedder });
    // The oldest version is gone; the live one and the one before it (for rollback) stay.
    expect(third.cleanup.removed).toContain(first);
    expect((await readdir(indexDir)).sort()).toEqual(
      [CURRENT_FILE, ...versions([second.index.dir, third.index.dir].map((p) => p.split("/").pop() ?? ""))].sort(),
    );
    expect((await readFile(join(indexDir, CURRENT_FILE), "utf8")).trim()).toBe(third.index.dir.split("/").pop());
    expect((await stat(indexDir)).ino).toBe(inode);
    expect((await openIndex(indexDir, embedder)).manifest.articleCount).toBe(3);
  });

  it("rolls back by pointing CURRENT at the previous version", async () => {
    const first = await buildIndex({ corpusDir: corpus, indexDir, embedder });
    await addArticle("two.md");
    await buildIndex({ corpusDir: corpus, indexDir, embedder });
    await writeFile(join(indexDir, CURRENT_FILE), `${first.index.dir.split("/").pop()}\n`);
    expect((await openIndex(indexDir, embedder)).manifest.articleCount).toBe(1);
  });

  it("reads an index laid out before versions, and keeps it as the previous version after the next build", async () => {
    await buildIndex({ corpusDir: corpus, indexDir, embedder });
    const version = live(indexDir);
    for (const name of await readdir(version)) await rename(join(version, name), join(indexDir, name));
    await rm(version, { recursive: true });
    await rm(join(indexDir, CURRENT_FILE));
    expect(liveVersionDir(indexDir)).toBe(indexDir);
    expect((await openIndex(indexDir, embedder)).manifest.passageCount).toBe(31);
    await addArticle("two.md");
    await buildIndex({ corpusDir: corpus, indexDir, embedder });
    const entries = await readdir(indexDir);
    expect(entries).not.toContain(MANIFEST_FILE);
    expect(versions(entries)).toHaveLength(2);
    const retired = join(indexDir, versions(entries)[0] ?? "");
    await writeFile(join(indexDir, CURRENT_FILE), `${versions(entries)[0]}\n`);
    expect((await openIndex(indexDir, embedder)).manifest.passageCount).toBe(31);
    expect(await readdir(retired)).toContain(MANIFEST_FILE);
  });

  it("a CURRENT that names no version is a damaged index, and a start rebuilds it", async () => {
    await buildIndex({ corpusDir: corpus, indexDir, embedder });
    await writeFile(join(indexDir, CURRENT_FILE), "../../etc\n");
    await expect(openIndex(indexDir, embedder)).rejects.toMatchObject({ code: "INDEX_CORRUPT" });
    const events: { event: string; fields: Record<string, unknown> }[] = [];
    const manager = new IndexManager(corpus, indexDir, embedder, { logger: recordingLogger(events) });
    const opened = await manager.openOrServe();
    expect(opened.built?.index.manifest.passageCount).toBe(31);
    expect(events.map((e) => e.event)).toContain("index.damaged_rebuilding");
  });
});

describe("leftovers", () => {
  it("a start removes killed builds' folders (new and old layout), index.previous and old versions, keeping one previous", async () => {
    await buildIndex({ corpusDir: corpus, indexDir, embedder });
    await addArticle("two.md");
    await buildIndex({ corpusDir: corpus, indexDir, embedder });
    const kept = await readdir(indexDir);
    // What crashes leave: a build folder of a dead process inside, the old layout's beside,
    // an index.previous, an older version and a half-written pointer.
    const killed = join(indexDir, `.building-${DEAD_PID}-1700000000000`);
    await mkdir(killed);
    await writeFile(join(killed, "vectors.hnsw"), Buffer.alloc(64 * 1024, 1));
    const oldSibling = join(root, "data", `.index.building-${DEAD_PID}-1700000000000`);
    await mkdir(oldSibling);
    await mkdir(`${indexDir}.previous`);
    await writeFile(join(`${indexDir}.previous`, MANIFEST_FILE), "{}");
    const ancient = join(indexDir, "v-20200101T000000000Z-1");
    await mkdir(ancient);
    await writeFile(join(indexDir, `${CURRENT_FILE}.tmp-${DEAD_PID}`), "v-x");
    // A build another running process is writing is left alone.
    const running = join(indexDir, `.building-${process.ppid}-1700000000000`);
    await mkdir(running);

    const events: { event: string; fields: Record<string, unknown> }[] = [];
    const manager = new IndexManager(corpus, indexDir, embedder, { logger: recordingLogger(events) });
    const opened = await manager.openOrServe();
    expect(opened.built).toBeNull();
    expect((await readdir(indexDir)).sort()).toEqual([...kept, `.building-${process.ppid}-1700000000000`].sort());
    expect(await readdir(join(root, "data"))).toEqual(["index"]);
    const cleaned = events.find((e) => e.event === "index.cleaned")?.fields.removed;
    expect(cleaned).toEqual(expect.arrayContaining([killed, oldSibling, `${indexDir}.previous`, ancient]));
  });

  it("a build that fails removes its own folder and leaves the live version as it was", async () => {
    await buildIndex({ corpusDir: corpus, indexDir, embedder });
    const before = await readdir(indexDir);
    await writeFile(join(corpus, "blinken-china-visit.md"), "   ");
    await expect(buildIndex({ corpusDir: corpus, indexDir, embedder })).rejects.toMatchObject({ code: "CORPUS_EMPTY" });
    expect(await readdir(indexDir)).toEqual(before);
  });
});

describe("where people put the index folder", () => {
  it("an index folder that is a mount point builds and swaps", async (context) => {
    if (!mountable.ok) return context.skip(`mounting is not allowed here: ${mountable.why}`);
    const volume = join(root, "volume");
    await mkdir(volume);
    await mkdir(indexDir, { recursive: true });
    expect(mount(["--bind", volume], indexDir)).toBe(true);
    await buildIndex({ corpusDir: corpus, indexDir, embedder });
    await addArticle("two.md");
    const second = await buildIndex({ corpusDir: corpus, indexDir, embedder });
    expect(second.index.manifest.articleCount).toBe(2);
    expect((await openIndex(indexDir, embedder)).manifest.articleCount).toBe(2);
    // The files landed on the volume, not in a folder hidden under the mount.
    expect(await readdir(volume)).toContain(CURRENT_FILE);
  });

  it("cleanup that cannot remove an old version does not turn the swap into a failure", async (context) => {
    if (!mountable.ok) return context.skip(`mounting is not allowed here: ${mountable.why}`);
    await buildIndex({ corpusDir: corpus, indexDir, embedder });
    const oldest = live(indexDir);
    // A mount point inside the oldest version: removing it fails with EBUSY.
    const pinned = join(oldest, "pinned");
    await mkdir(pinned);
    expect(mount(["-t", "tmpfs", "-o", "size=64k", "tmpfs"], pinned)).toBe(true);
    await addArticle("two.md");
    await buildIndex({ corpusDir: corpus, indexDir, embedder });
    await addArticle("three.md");
    const third = await buildIndex({ corpusDir: corpus, indexDir, embedder });
    expect(third.cleanup.failed.map((f) => f.path)).toContain(oldest);
    expect((await openIndex(indexDir, embedder)).manifest.articleCount).toBe(3);
  });

  it("a read-only data folder is refused before the build, naming the read-only file system", async (context) => {
    if (!mountable.ok) return context.skip(`mounting is not allowed here: ${mountable.why}`);
    await buildIndex({ corpusDir: corpus, indexDir, embedder });
    const data = join(root, "data");
    expect(mount(["--bind", data], data)).toBe(true);
    expect(tryMount(["-o", "remount,bind,ro", data]).ok).toBe(true);
    await addArticle("two.md");
    await expect(buildIndex({ corpusDir: corpus, indexDir, embedder })).rejects.toMatchObject({
      code: "INDEX_NOT_WRITABLE",
      message: expect.stringMatching(/read-only file system \(EROFS\)/),
    });
    // The index in use still opens.
    expect((await openIndex(indexDir, embedder)).manifest.articleCount).toBe(1);
  });

  it("a full disk is refused before the build with how much is free and needed", async (context) => {
    if (!mountable.ok) return context.skip(`mounting is not allowed here: ${mountable.why}`);
    await mkdir(indexDir, { recursive: true });
    expect(mount(["-t", "tmpfs", "-o", "size=512k", "tmpfs"], indexDir)).toBe(true);
    await expect(buildIndex({ corpusDir: corpus, indexDir, embedder })).rejects.toMatchObject({
      code: "INDEX_NO_SPACE",
      message: expect.stringMatching(/has 0\.\d MB free; building the index needs about 4\.\d MB/),
    });
    expect(await readdir(indexDir)).toEqual([]);
  });
});
