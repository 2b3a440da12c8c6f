/**
 * The corpus shared by replicas through PostgreSQL: the first replica seeds it, others write it
 * into their own folders; a change published by one reaches the others by NOTIFY and a pull,
 * and an index built from a pulled folder carries the shared corpus's checksum.
 */
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SharedCorpus } from "../../src/curation/shared-corpus.js";
import { LocalEmbeddings } from "../../src/embed/local-embeddings.js";
import { buildIndex } from "../../src/index/build-index.js";
import { silentLogger } from "../../src/log.js";
import { openPostgresStore } from "../../src/store/postgres/open-postgres-store.js";
import type { CorpusState, StateStore } from "../../src/store/types.js";
import { type EmbeddedServer, startPostgres } from "../helpers/postgres.js";

const CORPUS = new URL("../../corpus", import.meta.url).pathname;
let server: EmbeddedServer;
let root: string;
let stores: StateStore[] = [];

beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  await server?.stop();
});
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "passage-shared-"));
});
afterEach(async () => {
  await Promise.all(stores.map((s) => s.close()));
  stores = [];
  await rm(root, { recursive: true, force: true });
});

async function replica(url: string, name: string, seed: boolean): Promise<{ shared: SharedCorpus; dir: string }> {
  const store = await openPostgresStore(url, { logger: silentLogger });
  stores.push(store);
  const dir = join(root, name);
  if (seed) await cp(CORPUS, dir, { recursive: true });
  else await mkdir(dir, { recursive: true });
  if (!store.corpus) throw new Error("the PostgreSQL store has no corpus");
  return { shared: new SharedCorpus({ store: store.corpus, corpusDir: dir, logger: silentLogger }), dir };
}

describe("SharedCorpus", () => {
  it("seeds from the first replica, pulls into the others, and carries changes both ways", async () => {
    const url = await server.createDatabase();
    const a = await replica(url, "a", true);
    expect(await a.shared.attach()).toBe("seeded");
    const b = await replica(url, "b", false);
    expect(await b.shared.attach()).toBe("pulled");
    expect(await readdir(b.dir)).toEqual(await readdir(a.dir));
    expect(await readFile(join(b.dir, "blinken-china-visit.md"), "utf8")).toBe(
      await readFile(join(a.dir, "blinken-china-visit.md"), "utf8"),
    );

    // B hears about A's change as soon as it commits.
    const heard: CorpusState[] = [];
    const store = stores[1]?.corpus;
    const stop = await store?.listen((s) => heard.push(s));
    await writeFile(join(a.dir, "new.md"), "---\ntitle: New\n---\nThe new article says the talks were frank.\n");
    const published = await a.shared.publish(["new.md"]);
    await expect.poll(() => heard.map((s) => s.version)).toContain(published.version);
    expect(await b.shared.pull()).toBe(true);
    expect(await readFile(join(b.dir, "new.md"), "utf8")).toContain("frank");
    expect(b.shared.version).toBe(published.version);

    // An index built from the pulled folder has the shared corpus's checksum.
    const built = await buildIndex({
      corpusDir: b.dir,
      indexDir: join(root, "b-index"),
      embedder: new LocalEmbeddings(),
    });
    expect(built.index.manifest.corpusChecksum).toBe(published.checksum);

    // A removal travels too; pulling again changes nothing.
    await rm(join(b.dir, "new.md"));
    await b.shared.publish(["new.md"]);
    expect(await a.shared.pull()).toBe(true);
    expect(await readdir(a.dir)).not.toContain("new.md");
    expect(await a.shared.pull()).toBe(false);
    await stop?.();
  });

  it("publishing what is already shared bumps no version", async () => {
    const url = await server.createDatabase();
    const a = await replica(url, "a", true);
    const seeded = await (async () => {
      await a.shared.attach();
      return stores[0]?.corpus?.state();
    })();
    const again = await a.shared.publish(["blinken-china-visit.md"]);
    expect(again.version).toBe(seeded?.version);
  });

  it("never writes outside the corpus folder, whatever the shared corpus names", async () => {
    const url = await server.createDatabase();
    const a = await replica(url, "a", true);
    await a.shared.attach();
    await stores[0]?.corpus?.put({ source: "../escaped.md", markdown: "# Escaped\nText.\n", checksum: "x" });
    await stores[0]?.corpus?.put({ source: "sub/.hidden.md", markdown: "# Hidden\nText.\n", checksum: "y" });
    const b = await replica(url, "b", false);
    await b.shared.attach();
    expect(await readdir(root)).not.toContain("escaped.md");
    expect(await readdir(b.dir)).toEqual(["blinken-china-visit.md"]);
  });

  it("a reindex records a file edited on disk, unless the replica is behind (then it pulls first)", async () => {
    const url = await server.createDatabase();
    const a = await replica(url, "a", true);
    await a.shared.attach();
    const b = await replica(url, "b", false);
    await b.shared.attach();
    await writeFile(join(a.dir, "edited.md"), "# Edited\nWritten on disk, then reindexed.\n");
    const published = await a.shared.publishFolder();
    expect(published?.version).toBe(a.shared.version);
    // B is now behind: its folder lacks edited.md, and publishing it would remove A's article.
    expect(await b.shared.publishFolder()).toBeNull();
    expect((await stores[0]?.corpus?.list())?.map((r) => r.source)).toContain("edited.md");
    await b.shared.pull();
    expect(await readdir(b.dir)).toContain("edited.md");
  });

  it("a change never published (the process killed before it could) is undone at the next start, and never half-shared", async () => {
    const url = await server.createDatabase();
    const a = await replica(url, "a", true);
    await a.shared.attach();
    const before = await stores[0]?.corpus?.state();
    // The folder changed and the process died before publishing: nothing reached the database.
    await writeFile(join(a.dir, "half.md"), "# Half\nNever shared.\n");
    await rm(join(a.dir, "blinken-china-visit.md"));
    expect(await stores[0]?.corpus?.state()).toEqual(before);
    const store = stores[0]?.corpus;
    if (!store) throw new Error("the PostgreSQL store has no corpus");
    const restarted = new SharedCorpus({ store, corpusDir: a.dir, logger: silentLogger });
    expect(await restarted.attach()).toBe("pulled");
    expect(await readdir(a.dir)).toEqual(["blinken-china-visit.md"]);
  });
});
