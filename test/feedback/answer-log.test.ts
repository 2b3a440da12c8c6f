import { readFileSync, statSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { hasCode } from "../../src/errors.js";
import { type AnswerEntry, AnswerLog, FEEDBACK_DB_FILE, FEEDBACK_SALT_FILE } from "../../src/feedback/answer-log.js";

/** The error `work` throws; fails the test when it succeeds. */
function caught(work: () => unknown): unknown {
  try {
    work();
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
  it("records an answer under a short random id that fits a button's custom id, and reads it back after a restart", () => {
    const log = open();
    const logged = log.record(entry());
    expect(logged.id).toMatch(/^[\w-]{8,16}$/);
    expect(`vote:down:${logged.id}`.length).toBeLessThan(100);
    expect(log.record(entry()).id).not.toBe(logged.id);
    log.close();
    const reopened = open();
    expect(reopened.get(logged.id)).toEqual({
      ...logged,
      at: "2025-06-18T12:00:00.000Z",
      latencyMs: 12,
      passageIds: ["p-2", "p-3"],
    });
    expect(reopened.get("nope")).toBeNull();
    reopened.close();
  });

  it("records one vote per person per answer: a second press changes it and says what it was", () => {
    const log = open();
    const { id } = log.record(entry());
    expect(log.vote(id, BOB, "up")).toEqual({ previous: null });
    expect(log.vote(id, BOB, "down")).toEqual({ previous: "up" });
    expect(log.vote(id, BOB, "down")).toEqual({ previous: "down" });
    expect(log.vote(id, ALICE, "up")).toEqual({ previous: null });
    expect(log.usage().votes).toEqual({ up: 1, down: 1 });
    log.close();
  });

  it("stores a 👎 comment with that person's vote, and keeps it when they change their vote", () => {
    const log = open();
    const { id } = log.record(entry());
    log.vote(id, BOB, "down");
    log.comment(id, BOB, "  It quoted the\nwrong   paragraph ");
    let [row] = log.gapRows(7);
    expect(row).toMatchObject({
      answerId: id,
      reason: "voted-down",
      down: 1,
      comments: ["It quoted the wrong paragraph"],
    });
    // A comment with no vote yet (the modal submitted first) is a 👎 with that comment.
    log.comment(id, ALICE, "Missing the date");
    [row] = log.gapRows(7);
    expect(row).toMatchObject({ down: 2, up: 0 });
    expect([...(row?.comments ?? [])].sort()).toEqual(["It quoted the wrong paragraph", "Missing the date"]);
    log.close();
  });

  it("refuses a vote or comment on an answer it no longer holds, with ANSWER_GONE", () => {
    const log = open();
    expect(
      hasCode(
        caught(() => log.vote("gone", BOB, "up")),
        "ANSWER_GONE",
      ),
    ).toBe(true);
    expect(
      hasCode(
        caught(() => log.comment("gone", BOB, "x")),
        "ANSWER_GONE",
      ),
    ).toBe(true);
    log.close();
  });

  it("forgets exactly the caller's answers and votes, and says how many rows went", () => {
    const log = open();
    const a1 = log.record(entry({ userId: ALICE }));
    const a2 = log.record(entry({ userId: ALICE, kind: "abstained" }));
    const b1 = log.record(entry({ userId: BOB, question: "Who met whom?" }));
    log.vote(b1.id, ALICE, "down");
    log.comment(b1.id, ALICE, "wrong person");
    log.vote(b1.id, BOB, "up");
    log.vote(a1.id, BOB, "up");
    expect(log.forget(ALICE)).toBe(3); // two answers, one vote
    expect(log.get(a1.id)).toBeNull();
    expect(log.get(a2.id)).toBeNull();
    expect(log.get(b1.id)).not.toBeNull();
    expect(log.vote(b1.id, BOB, "up")).toEqual({ previous: "up" });
    expect(log.usage().votes).toEqual({ up: 1, down: 0 });
    expect(log.forget(ALICE)).toBe(0);
    log.close();
  });

  it("never writes a raw user id into the database file, only salted hashes", () => {
    const log = open();
    const { id } = log.record(entry({ userId: ALICE }));
    log.vote(id, BOB, "down");
    log.comment(id, BOB, "not what I asked");
    log.close();
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

  it("makes the salt once, readable by its owner only, and hashes the same id the same way after a restart", () => {
    const first = open();
    const hash = first.hashUser(ALICE);
    first.close();
    expect(statSync(join(dir, FEEDBACK_SALT_FILE)).mode & 0o777).toBe(0o600);
    const second = open();
    expect(second.hashUser(ALICE)).toBe(hash);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(second.hashUser(BOB)).not.toBe(hash);
    second.close();
  });

  it("prunes answers older than the retention at open and, while running, once a day", () => {
    const log = open(30);
    const old = log.record(entry());
    clock = new Date("2025-07-10T12:00:00Z");
    const recent = log.record(entry());
    clock = new Date("2025-07-18T12:00:01Z"); // `old` is now 30 days and 1 s old
    log.usage();
    expect(log.get(old.id)).toBeNull();
    expect(log.get(recent.id)).not.toBeNull();
    log.close();
    clock = new Date("2025-08-10T12:00:01Z");
    const reopened = open(30);
    expect(reopened.get(recent.id)).toBeNull();
    reopened.close();
  });

  it("counts answered and abstained questions over 24 hours and 7 days", () => {
    const log = open();
    log.record(entry({ kind: "answer" }));
    log.record(entry({ kind: "abstained" }));
    clock = new Date("2025-06-21T12:00:00Z");
    log.record(entry({ kind: "overview" }));
    log.record(entry({ kind: "abstained" }));
    log.record(entry({ kind: "answer" }));
    expect(log.usage()).toMatchObject({ day: { answered: 2, abstained: 1 }, week: { answered: 3, abstained: 2 } });
    log.close();
  });

  it("lists abstentions and voted-down answers in the period, as understood, with their cited passages", () => {
    const log = open();
    log.record(entry({ question: "too old", kind: "abstained" }));
    clock = new Date("2025-06-28T12:00:00Z");
    const abstained = log.record(entry({ question: "What about Taiwan?", kind: "abstained", passageIds: ["p-9"] }));
    const liked = log.record(entry({ question: "Who hosted?" }));
    log.vote(liked.id, BOB, "up");
    const disliked = log.record(
      entry({ question: "and the date?", understoodAs: "When was the meeting held?", passageIds: ["p-4"] }),
    );
    log.vote(disliked.id, BOB, "down");
    const rows = log.gapRows(7);
    expect(rows.map((r) => [r.answerId, r.reason, r.question, r.passageIds])).toEqual(
      expect.arrayContaining([
        [abstained.id, "abstained", "What about Taiwan?", ["p-9"]],
        [disliked.id, "voted-down", "When was the meeting held?", ["p-4"]],
      ]),
    );
    expect(rows).toHaveLength(2);
    log.close();
  });

  it("opens a database written by a newer version only to refuse it with FEEDBACK_DB", () => {
    open().close();
    const db = new Database(join(dir, FEEDBACK_DB_FILE));
    db.pragma("user_version = 99");
    db.close();
    const error = caught(() => open());
    expect(hasCode(error, "FEEDBACK_DB")).toBe(true);
    expect(String((error as Error).message)).toMatch(/newer/);
  });

  it("refuses a damaged salt rather than hashing with it", () => {
    open().close();
    writeFileSync(join(dir, FEEDBACK_SALT_FILE), "not hex");
    expect(
      hasCode(
        caught(() => open()),
        "FEEDBACK_DB",
      ),
    ).toBe(true);
  });
});
