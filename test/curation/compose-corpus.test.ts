import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { corpusManager } from "../../src/commands/corpus.js";
import { gaps } from "../../src/commands/feedback.js";
import { compose } from "../../src/compose.js";
import { FEEDBACK_DB_FILE } from "../../src/feedback/answer-log.js";
import { silentLogger } from "../../src/log.js";
import { AUDIT_DB_FILE } from "../../src/store/sqlite/audit.js";
import { SEED_CORPUS } from "../helpers/services.js";

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "passage-compose-corpus-"));
  await cp(SEED_CORPUS, join(root, "corpus"), { recursive: true });
});
afterEach(() => rm(root, { recursive: true, force: true }));

const paths = () => ({
  corpusDir: join(root, "corpus"),
  indexDir: join(root, "data", "index"),
  dataDir: join(root, "data"),
});

describe("compose and the corpus manager", () => {
  it("opens no audit log for a program that only reads, though it knows the data folder", async () => {
    const { services } = await compose({ paths: paths(), logger: silentLogger, index: "open-or-build" });
    expect(services.corpus).toBeNull();
    expect(existsSync(join(root, "data", AUDIT_DB_FILE))).toBe(false);
  });

  it("makes one for a program that changes the corpus", async () => {
    const { services } = await compose({ paths: paths(), logger: silentLogger, index: "open-or-build", corpus: {} });
    expect(services.corpus).not.toBeNull();
    expect(existsSync(join(root, "data", AUDIT_DB_FILE))).toBe(true);
    services.corpus?.close();
  });

  it("tells the moderator which damaged file keeps the corpus manager and the answer log off, and the fix", async () => {
    await mkdir(join(root, "data"), { recursive: true });
    // Not a database at all: what a file overwritten from its first page looks like.
    await writeFile(join(root, "data", AUDIT_DB_FILE), Buffer.alloc(8192, 0x41));
    await writeFile(join(root, "data", FEEDBACK_DB_FILE), Buffer.alloc(8192, 0x41));
    const { services, store } = await compose({
      paths: paths(),
      logger: silentLogger,
      index: "open-or-build",
      corpus: {},
      feedback: { retentionDays: 90 },
    });
    expect(services.corpus).toBeNull();
    expect(services.feedback).toBeNull();
    expect(() => corpusManager(services)).toThrow(/corpus-audit\.sqlite is damaged.*move the file aside/);
    await expect(gaps(services)).rejects.toThrow(/feedback\.sqlite is damaged.*move the file aside/);
    await store.close();
  });
});
