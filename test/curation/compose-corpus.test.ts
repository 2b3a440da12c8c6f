import { existsSync } from "node:fs";
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { compose } from "../../src/compose.js";
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
});
