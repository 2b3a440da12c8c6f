/**
 * `npm start` with DATABASE_URL when PostgreSQL is not there: each attempt logged with its
 * wait, then exit 1 with one line that names the server and never the password.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { closedPort, startMain } from "../helpers/main-process.js";

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "passage-db-start-"));
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

async function start(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const main = startMain({ PASSAGE_DATA_DIR: dataDir, ...env });
  return { code: await main.exited, stderr: main.stderr() };
}

describe("npm start with DATABASE_URL", () => {
  it("retries an unreachable PostgreSQL with logged backoff, then exits 1 with one line and no password", async () => {
    const port = await closedPort();
    const run = await start({
      DATABASE_URL: `postgres://passage:hunter2-secret@127.0.0.1:${port}/passage`,
      DATABASE_CONNECT_ATTEMPTS: "3",
    });
    expect(run.code).toBe(1);
    const lines = run.stderr.trim().split("\n");
    const retries = lines
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.event === "store.connect_retry");
    expect(retries).toHaveLength(2);
    expect(Number(retries[1]?.delayMs)).toBeGreaterThan(Number(retries[0]?.delayMs));
    expect(lines.at(-1)).toMatch(new RegExp(`127\\.0\\.0\\.1:${port}/passage`));
    expect(lines.at(-1)?.startsWith("{")).toBe(false);
    expect(run.stderr).not.toContain("hunter2-secret");
  }, 60_000);

  it("refuses SHARD_IDS outside SHARD_COUNT in one line before connecting to anything", async () => {
    const token = `${"M".repeat(24)}.${"G".repeat(6)}.${"x".repeat(38)}`;
    const run = await start({ DISCORD_TOKEN: token, SHARD_COUNT: "2", SHARD_IDS: "0-2" });
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(/^SHARD_IDS/);
  }, 30_000);
});
