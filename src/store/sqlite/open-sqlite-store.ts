import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { errorMessage, PassageError } from "../../errors.js";
import type { StateStore } from "../types.js";
import { FEEDBACK_DB_FILE, SqliteAnswerStore } from "./answers.js";
import { AUDIT_DB_FILE, SqliteAuditStore } from "./audit.js";
import { FEEDBACK_SALT_FILE, readOrMakeSalt } from "./salt.js";
import { SCHEDULE_DB_FILE, SqliteScheduleStore } from "./schedules.js";

/**
 * The SQLite state store: three files in the data folder (feedback.sqlite, schedules.sqlite,
 * corpus-audit.sqlite) and the feedback.salt file, as Passage has always kept them. Each file is
 * opened the first time its part is used, so a tool that only reads (ask, brief) creates none it
 * does not need; an open that fails throws from that first use (`STORE_DAMAGED`, `FEEDBACK_DB`,
 * `SCHEDULE_DB`, `CORPUS_AUDIT_DB`), and the next use tries again.
 */
export class SqliteStateStore implements StateStore {
  readonly kind = "sqlite";
  private answerStore: SqliteAnswerStore | null = null;
  private scheduleStore: SqliteScheduleStore | null = null;
  private auditStore: SqliteAuditStore | null = null;
  private saltBytes: Buffer | null = null;

  constructor(readonly dataDir: string) {}

  get answers(): SqliteAnswerStore {
    this.answerStore ??= SqliteAnswerStore.open(this.file(FEEDBACK_DB_FILE));
    return this.answerStore;
  }

  get schedules(): SqliteScheduleStore {
    this.scheduleStore ??= SqliteScheduleStore.open(join(this.dataDir, SCHEDULE_DB_FILE));
    return this.scheduleStore;
  }

  get audit(): SqliteAuditStore {
    this.auditStore ??= SqliteAuditStore.open(join(this.dataDir, AUDIT_DB_FILE));
    return this.auditStore;
  }

  async salt(): Promise<Buffer> {
    if (this.saltBytes) return this.saltBytes;
    const path = this.file(FEEDBACK_SALT_FILE);
    try {
      this.saltBytes = readOrMakeSalt(path);
    } catch (cause) {
      if (cause instanceof PassageError) throw cause;
      throw new PassageError("FEEDBACK_DB", `Cannot read or make the salt file ${path}: ${errorMessage(cause)}`, {
        cause,
      });
    }
    return this.saltBytes;
  }

  async close(): Promise<void> {
    this.answerStore?.close();
    this.scheduleStore?.close();
    this.auditStore?.close();
    this.answerStore = this.scheduleStore = this.auditStore = null;
  }

  /** A file in the data folder, making the folder first (a fresh install has none). */
  private file(name: string): string {
    try {
      mkdirSync(this.dataDir, { recursive: true });
    } catch (cause) {
      throw new PassageError("FEEDBACK_DB", `Cannot make the data folder ${this.dataDir}: ${errorMessage(cause)}`, {
        cause,
      });
    }
    return join(this.dataDir, name);
  }
}

/** Opens the SQLite state store in `dataDir` (its files are opened on first use). */
export async function openSqliteStore(dataDir: string): Promise<SqliteStateStore> {
  return new SqliteStateStore(dataDir);
}
