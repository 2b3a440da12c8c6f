/**
 * `npm start` (the real program, as a process) and the index folder: leftovers of killed builds
 * are gone after the next start, and a full disk stops it with one line naming the cause.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startMain } from "../helpers/main-process.js";
import { canMount, tryMount, unmount } from "../helpers/mounts.js";

const DEAD_PID = 4_194_999;
let dataDir: string;
let mounted: string | null = null;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "passage-store-proc-"));
});
afterEach(async () => {
  if (mounted) unmount(mounted);
  mounted = null;
  await rm(dataDir, { recursive: true, force: true });
});

/** Runs `npm start`'s command with no Discord token (the terminal chat), stdin closed at once. */
async function start(): Promise<{ code: number | null; stderr: string }> {
  const main = startMain({ PASSAGE_DATA_DIR: dataDir });
  return { code: await main.exited, stderr: main.stderr() };
}

describe("npm start and the index folder", () => {
  it("leftover build folders and versions older than the previous one are gone after the next start", async () => {
    expect((await start()).code).toBe(0);
    const indexDir = join(dataDir, "index");
    const built = await readdir(indexDir);
    const leftovers = [
      join(indexDir, `.building-${DEAD_PID}-1700000000000`),
      join(indexDir, "v-20190101T000000000Z-7"),
      join(dataDir, `.index.building-${DEAD_PID}-1700000000000`),
      join(dataDir, "index.previous"),
    ];
    for (const dir of leftovers) {
      await mkdir(dir);
      await writeFile(join(dir, "vectors.hnsw"), Buffer.alloc(4096, 1));
    }
    // The newest version besides the live one is kept for rollback; anything older goes.
    const rollback = join(indexDir, "v-20200101T000000000Z-7");
    await mkdir(rollback);
    const second = await start();
    expect(second.code).toBe(0);
    expect((await readdir(indexDir)).sort()).toEqual([...built, "v-20200101T000000000Z-7"].sort());
    expect((await readdir(dataDir)).filter((n) => n.includes("index"))).toEqual(["index"]);
    expect(second.stderr).toContain('"event":"index.cleaned"');
  }, 60_000);

  it("a full disk stops it with one line naming the cause and exit 1", async (context) => {
    const probe = join(dataDir, "probe");
    await mkdir(probe);
    const mountable = canMount(probe);
    if (!mountable.ok) return context.skip(`mounting is not allowed here: ${mountable.why}`);
    const indexDir = join(dataDir, "index");
    await mkdir(indexDir);
    expect(tryMount(["-t", "tmpfs", "-o", "size=256k", "tmpfs", indexDir]).ok).toBe(true);
    mounted = indexDir;
    const run = await start();
    expect(run.code).toBe(1);
    const lines = run.stderr.trim().split("\n");
    expect(lines.at(-1)).toMatch(/The disk holding .*index has 0\.\d MB free; building the index needs about/);
    expect(run.stderr).not.toMatch(/at .*\.ts:\d+/);
  }, 60_000);
});
