import { readFileSync, statSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { hasCode } from "../../src/errors.js";
import { type AnswerEntry, AnswerLog, FEEDBACK_DB_FILE, FEEDBACK_SALT_FILE } from "../../src/feedback/answer-log.js";

/** The error `work` throws; fails the test when it succeeds. */
async function caught(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error("expected a failure");
}

let dir: string;
let clock: Date;
const now = () => clock;
const open = (retentionDays = 90) => AnswerLog.open(dir, { retentionDays, now });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "passage-feedback-"));
  clock = new Date("2025-06-18T12:00:00Z");
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const ALICE = "1310000000000000301";
const BOB = "1310000000000000302";

function entry(overrides: Partial<AnswerEntry> = {}): AnswerEntry {
  return {
    source: "discord",
    guildId: "1310000000000000100",
    channelId: "1310000000000000200",
    userId: ALICE,
    question: "Where was the meeting held?",
    understoodAs: null,
    kind: "answer",
    mode: "quoted",
    passageIds: ["p-2", "p-3"],
    corpusChecksum: "abc123",
    latencyMs: 12.4,
    ...overrides,
  };
}

describe("AnswerLog", () => {
  it("records an answer under a short random id that fits a button's custom id, and reads it back after a restart", async () => {
    const log = await open();
    const logged = await log.record(entry());
    expect(logged.id).toMatch(/^[\w-]{8,16}$/);
    expect(`vote:down:${logged.id}`.length).toBeLessThan(100);
    expect((await log.record(entry())).id).not.toBe(logged.id);
    await log.close();
    const reopened = await open();
    expect(await reopened.get(logged.id)).toEqual({
      ...logged,
      at: "2025-06-18T12:00:00.000Z",
      latencyMs: 12,
      passageIds: ["p-2", "p-3"],
    });
    expect(await reopened.get("nope")).toBeNull();
    await reopened.close();
  });

  it("records one vote per person per answer: a second press changes it and says what it was", async () => {
    const log = await open();
    const { id } = await log.record(entry());
    expect(await log.vote(id, BOB, "up")).toEqual({ previous: null });
    expect(await log.vote(id, BOB, "down")).toEqual({ previous: "up" });
    expect(await log.vote(id, BOB, "down")).toEqual({ previous: "down" });
    expect(await log.vote(id, ALICE, "up")).toEqual({ previous: null });
    expect((await log.usage()).votes).toEqual({ up: 1, down: 1 });
    await log.close();
  });

  it("stores a 👎 comment with that person's vote, and keeps it when they change their vote", async () => {
    const log = await open();
    const { id } = await log.record(entry());
    await log.vote(id, BOB, "down");
    await log.comment(id, BOB, "  It quoted the\nwrong   paragraph ");
    let [row] = await log.gapRows(7);
    expect(row).toMatchObject({
      answerId: id,
      reason: "voted-down",
      down: 1,
      comments: ["It quoted the wrong paragraph"],
    });
    // A comment with no vote yet (the modal submitted first) is a 👎 with that comment.
    await log.comment(id, ALICE, "Missing the date");
    [row] = await log.gapRows(7);
    expect(row).toMatchObject({ down: 2, up: 0 });
    expect([...(row?.comments ?? [])].sort()).toEqual(["It quoted the wrong paragraph", "Missing the date"]);
    await log.close();
  });

  it("refuses a vote or comment on an answer it no longer holds, with ANSWER_GONE", async () => {
    const log = await open();
    expect(hasCode(await caught(async () => await log.vote("gone", BOB, "up")), "ANSWER_GONE")).toBe(true);
    expect(hasCode(await caught(async () => await log.comment("gone", BOB, "x")), "ANSWER_GONE")).toBe(true);
    await log.close();
  });

  it("forgets exactly the caller's answers and votes, and says how many rows went", async () => {
    const log = await open();
    const a1 = await log.record(entry({ userId: ALICE }));
    const a2 = await log.record(entry({ userId: ALICE, kind: "abstained" }));
    const b1 = await log.record(entry({ userId: BOB, question: "Who met whom?" }));
    await log.vote(b1.id, ALICE, "down");
    await log.comment(b1.id, ALICE, "wrong person");
    await log.vote(b1.id, BOB, "up");
    await log.vote(a1.id, BOB, "up");
    expect(await log.forget(ALICE)).toBe(3); // two answers, one vote
    expect(await log.get(a1.id)).toBeNull();
    expect(await log.get(a2.id)).toBeNull();
    expect(await log.get(b1.id)).not.toBeNull();
    expect(await log.vote(b1.id, BOB, "up")).toEqual({ previous: "up" });
    expect((await log.usage()).votes).toEqual({ up: 1, down: 0 });
    expect(await log.forget(ALICE)).toBe(0);
    await log.close();
  });

  it("never writes a raw user id into the database file, only salted hashes", async () => {
    const log = await open();
    const { id } = await log.record(entry({ userId: ALICE }));
    await log.vote(id, BOB, "down");
    await log.comment(id, BOB, "not what I asked");
    await log.close();
    const bytes = Buffer.concat(
      [FEEDBACK_DB_FILE, `${FEEDBACK_DB_FILE}-wal`].flatMap((f) => {
        try {
          return [readFileSync(join(dir, f))];
        } catch {
          return [];
        }
      }),
    );
    expect(bytes.length).toBeGreaterThan(0);
    expect(bytes.includes(ALICE)).toBe(false);
    expect(bytes.includes(BOB)).toBe(false);
    expect(bytes.includes("Where was the meeting held?")).toBe(true);
  });

  it("makes the salt once, readable by its owner only, and hashes the same id the same way after a restart", async () => {
    const first = await open();
    const hash = first.hashUser(ALICE);
    await first.close();
    expect(statSync(join(dir, FEEDBACK_SALT_FILE)).mode & 0o777).toBe(0o600);
    const second = await open();
    expect(second.hashUser(ALICE)).toBe(hash);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(second.hashUser(BOB)).not.toBe(hash);
    await second.close();
  });

  it("prunes answers older than the retention at open and, while running, once a day", async () => {
    const log = await open(30);
    const old = await log.record(entry());
    clock = new Date("2025-07-10T12:00:00Z");
    const recent = await log.record(entry());
    clock = new Date("2025-07-18T12:00:01Z"); // `old` is now 30 days and 1 s old
    await log.usage();
    expect(await log.get(old.id)).toBeNull();
    expect(await log.get(recent.id)).not.toBeNull();
    await log.close();
    clock = new Date("2025-08-10T12:00:01Z");
    const reopened = await open(30);
    expect(await reopened.get(recent.id)).toBeNull();
    await reopened.close();
  });

  it("counts answered and abstained questions over 24 hours and 7 days", async () => {
    const log = await open();
    await log.record(entry({ kind: "answer" }));
    await log.record(entry({ kind: "abstained" }));
    clock = new Date("2025-06-21T12:00:00Z");
    await log.record(entry({ kind: "overview" }));
    await log.record(entry({ kind: "abstained" }));
    await log.record(entry({ kind: "answer" }));
    expect(await log.usage()).toMatchObject({
      day: { answered: 2, abstained: 1 },
      week: { answered: 3, abstained: 2 },
    });
    await log.close();
  });

  it("lists abstentions and voted-down answers in the period, as understood, with their cited passages", async () => {
    const log = await open();
    await log.record(entry({ question: "too old", kind: "abstained" }));
    clock = new Date("2025-06-28T12:00:00Z");
    const abstained = await log.record(
      entry({ question: "What about Taiwan?", kind: "abstained", passageIds: ["p-9"] }),
    );
    const liked = await log.record(entry({ question: "Who hosted?" }));
    await log.vote(liked.id, BOB, "up");
    const disliked = await log.record(
      entry({ question: "and the date?", understoodAs: "When was the meeting held?", passageIds: ["p-4"] }),
    );
    await log.vote(disliked.id, BOB, "down");
    const rows = await log.gapRows(7);
    expect(rows.map((r) => [r.answerId, r.reason, r.question, r.passageIds])).toEqual(
      expect.arrayContaining([
        [abstained.id, "abstained", "What about Taiwan?", ["p-9"]],
        [disliked.id, "voted-down", "When was the meeting held?", ["p-4"]],
      ]),
    );
    expect(rows).toHaveLength(2);
    await log.close();
  });

  it("opens a database written by a newer version only to refuse it with FEEDBACK_DB", async () => {
    await (await open()).close();
    const db = new Database(join(dir, FEEDBACK_DB_FILE));
    db.pragma("user_version = 99");
    db.close();
    const error = await caught(async () => open());
    expect(hasCode(error, "FEEDBACK_DB")).toBe(true);
    expect(String((error as Error).message)).toMatch(/newer/);
  });

  it("refuses a damaged salt rather than hashing with it", async () => {
    await (await open()).close();
    writeFileSync(join(dir, FEEDBACK_SALT_FILE), "not hex");
    expect(hasCode(await caught(async () => open()), "FEEDBACK_DB")).toBe(true);
  });
});
