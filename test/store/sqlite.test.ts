import { closeSync, openSync, statSync, writeSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { hasCode } from "../../src/errors.js";
import { AnswerLog } from "../../src/feedback/answer-log.js";
import { FEEDBACK_DB_FILE } from "../../src/store/sqlite/answers.js";
import { AUDIT_DB_FILE } from "../../src/store/sqlite/audit.js";
import { openSqliteStore, type SqliteStateStore } from "../../src/store/sqlite/open-sqlite-store.js";
import { SCHEDULE_DB_FILE } from "../../src/store/sqlite/schedules.js";
import type { StateStore } from "../../src/store/types.js";
import { fillAnswerLog } from "../helpers/fill-answer-log.js";
import { describeStoreContract } from "./contract.js";

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "passage-store-"));
  dirs.push(dir);
  return dir;
}

describeStoreContract("SQLite", async (sameAs?: StateStore) => {
  if (sameAs) return openSqliteStore((sameAs as SqliteStateStore).dataDir);
  return openSqliteStore(join(await tempDir(), "data"));
});

/** Overwrites one page of a SQLite file with bytes that mean nothing, as a failing disk might. */
function damagePage(path: string, page: number, pageSize = 4096): void {
  const fd = openSync(path, "r+");
  try {
    const garbage = Buffer.alloc(pageSize);
    for (let i = 0; i < pageSize; i++) garbage[i] = (i * 131 + 7) % 251;
    writeSync(fd, garbage, 0, pageSize, page * pageSize);
  } finally {
    closeSync(fd);
  }
}

const FIX =
  /Stop the bot, move the file aside \(or restore it from a backup\) and start it again: a new empty one is made at start\.$/;

describe("a damaged SQLite file", () => {
  let store: StateStore | null = null;
  afterEach(async () => {
    await store?.close();
    store = null;
  });

  it("names the file and the fix when a query meets a damaged page, and the answer log refuses only its write", async () => {
    const dataDir = join(await tempDir(), "data");
    store = await openSqliteStore(dataDir);
    let clock = new Date("2025-06-18T12:00:00Z");
    const log = await AnswerLog.open(store, { now: () => clock });
    await fillAnswerLog(log, "answer");
    await store.close();
    const path = join(dataDir, FEEDBACK_DB_FILE);
    expect(statSync(path).size).toBeGreaterThan(4 * 4096);
    damagePage(path, 2);

    store = await openSqliteStore(dataDir);
    clock = new Date("2025-06-18T13:00:00Z");
    const error = await AnswerLog.open(store, { now: () => clock })
      .then((reopened) => reopened.gapRows(7))
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(hasCode(error, "STORE_DAMAGED")).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain(path);
    expect(message).toMatch(/^The answer log file .* is damaged \(SQLITE_CORRUPT[A-Z_]*\)\. /);
    expect(message).toMatch(FIX);
    expect(message).not.toContain("\n");
  });

  it("names the file and the fix when the file is not a database at all (SQLITE_NOTADB at open)", async () => {
    const dataDir = join(await tempDir(), "data");
    store = await openSqliteStore(dataDir);
    await store.audit.record({
      at: "2025-06-18T12:00:00.000Z",
      actor: { id: "1", name: "Mod" },
      action: "add",
      source: "a.md",
      title: "A",
      origin: "a.md",
      checksum: "c",
      snapshot: null,
    });
    await store.schedules.list();
    await store.close();
    damagePage(join(dataDir, AUDIT_DB_FILE), 0);
    damagePage(join(dataDir, SCHEDULE_DB_FILE), 0);

    store = await openSqliteStore(dataDir);
    const opened = store;
    for (const [open, file, what] of [
      [() => opened.audit, AUDIT_DB_FILE, "corpus audit log"],
      [() => opened.schedules, SCHEDULE_DB_FILE, "schedule database"],
    ] as const) {
      let error: unknown = null;
      try {
        open();
      } catch (e) {
        error = e;
      }
      expect(hasCode(error, "STORE_DAMAGED")).toBe(true);
      expect((error as Error).message).toMatch(
        new RegExp(
          `^The ${what} file ${join(dataDir, file).replace(/[.]/g, "\\.")} is damaged \\(SQLITE_NOTADB\\)\\. `,
        ),
      );
      expect((error as Error).message).toMatch(FIX);
    }
  });

  it("works again once the damaged file is moved aside: a new one is made at start", async () => {
    const dataDir = join(await tempDir(), "data");
    store = await openSqliteStore(dataDir);
    await store.schedules.list();
    await store.close();
    const path = join(dataDir, SCHEDULE_DB_FILE);
    damagePage(path, 0);
    const { rename } = await import("node:fs/promises");
    await rename(path, `${path}.damaged`);
    store = await openSqliteStore(dataDir);
    expect(await store.schedules.list()).toEqual([]);
  });
});
