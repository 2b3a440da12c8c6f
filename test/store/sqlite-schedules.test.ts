import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { newSubscription } from "../../src/schedule/new-subscription.js";
import { SqliteScheduleStore as ScheduleStore } from "../../src/store/sqlite/schedules.js";

const CLAIM = { owner: "local", at: new Date("2025-06-19T09:00:00Z"), staleBefore: new Date(0) };

let dir: string;
let path: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "passage-schedules-"));
  path = join(dir, "data", "schedules.sqlite");
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const taiwan = {
  guildId: "1310000000000000100",
  channelId: "1310000000000000200",
  topic: "Taiwan",
  points: 5,
  cadence: "daily",
  minuteOfDay: 540,
  createdBy: "1310000000000000300",
} as const;

describe("ScheduleStore", () => {
  it("keeps subscriptions and their last post across a restart (close and reopen)", async () => {
    const first = ScheduleStore.open(path);
    const a = await first.add(newSubscription(taiwan, new Date("2025-06-18T12:00:00Z")));
    const b = await first.add(
      newSubscription(
        { ...taiwan, topic: "fentanyl", cadence: "weekly", minuteOfDay: 0 },
        new Date("2025-06-18T12:00:00Z"),
      ),
    );
    await first.claim(a.id, new Date("2025-06-19T09:00:00Z"), CLAIM);
    await first.recordPost(
      a.id,
      {
        at: "2025-06-19T09:00:02.000Z",
        slot: "2025-06-19T09:00:00.000Z",
        messageId: "42",
        corpusChecksum: "abc",
        passageIds: ["p1", "p2"],
      },
      new Date("2025-06-20T09:00:00Z"),
    );
    first.close();

    const second = ScheduleStore.open(path);
    const [ra, rb] = await second.list();
    expect(ra).toMatchObject({
      id: a.id,
      topic: "Taiwan",
      nextDueAt: "2025-06-20T09:00:00.000Z",
      pendingSlot: null,
      timetable: { cadence: "daily", minuteOfDay: 540, weekday: null },
    });
    expect(ra?.lastPost).toEqual({
      at: "2025-06-19T09:00:02.000Z",
      slot: "2025-06-19T09:00:00.000Z",
      messageId: "42",
      corpusChecksum: "abc",
      passageIds: ["p1", "p2"],
    });
    expect(rb).toMatchObject({
      id: b.id,
      topic: "fentanyl",
      nextDueAt: "2025-06-25T00:00:00.000Z",
      lastPost: null,
      timetable: { cadence: "weekly", weekday: 3 },
    });
    second.close();
  });

  it("remembers a post that was begun but not recorded, so the next run can finish it", async () => {
    const store = ScheduleStore.open(path);
    const s = await store.add(newSubscription(taiwan, new Date("2025-06-18T12:00:00Z")));
    await store.claim(s.id, new Date("2025-06-19T09:00:00Z"), CLAIM);
    store.close();
    const reopened = ScheduleStore.open(path);
    expect((await reopened.get(s.id))?.pendingSlot).toBe("2025-06-19T09:00:00.000Z");
    await reopened.skip(s.id, new Date("2025-06-20T09:00:00Z"));
    expect(await reopened.get(s.id)).toMatchObject({
      pendingSlot: null,
      nextDueAt: "2025-06-20T09:00:00.000Z",
      lastPost: null,
    });
    reopened.close();
  });

  it("lists and removes only a guild's own subscriptions, and never reuses an id", async () => {
    const store = ScheduleStore.open(path);
    const mine = await store.add(newSubscription(taiwan, new Date()));
    const theirs = await store.add(newSubscription({ ...taiwan, guildId: "1310000000000000999" }, new Date()));
    expect((await store.list(taiwan.guildId)).map((s) => s.id)).toEqual([mine.id]);
    expect(await store.remove(theirs.id, taiwan.guildId)).toBe(false);
    expect(await store.remove(mine.id, taiwan.guildId)).toBe(true);
    expect(await store.remove(mine.id, taiwan.guildId)).toBe(false);
    expect((await store.add(newSubscription(taiwan, new Date()))).id).toBeGreaterThan(theirs.id);
    store.close();
  });

  it("reads damaged passage ids of a last post as none, and refuses a row edited out of shape", async () => {
    const store = ScheduleStore.open(path);
    const s = await store.add(newSubscription(taiwan, new Date("2025-06-18T12:00:00Z")));
    const post = { at: "2025-06-19T09:00:02.000Z", slot: "2025-06-19T09:00:00.000Z", messageId: "42" };
    await store.recordPost(
      s.id,
      { ...post, corpusChecksum: "abc", passageIds: ["p1"] },
      new Date("2025-06-20T09:00:00Z"),
    );
    store.close();

    // The file edited by another program, as an operator might.
    const edit = (sql: string) => {
      const db = new Database(path);
      db.prepare(sql).run();
      db.close();
    };
    edit(`UPDATE subscriptions SET last_passage_ids = '[1, "p2", null]'`);
    let reopened = ScheduleStore.open(path);
    expect((await reopened.get(s.id))?.lastPost?.passageIds).toEqual(["p2"]);
    reopened.close();
    edit(`UPDATE subscriptions SET last_passage_ids = '{broken'`);
    reopened = ScheduleStore.open(path);
    expect((await reopened.get(s.id))?.lastPost).toMatchObject({ messageId: "42", passageIds: [] });
    reopened.close();

    edit(`UPDATE subscriptions SET points = 'many'`);
    reopened = ScheduleStore.open(path);
    await expect(reopened.list()).rejects.toThrow(
      expect.objectContaining({ code: "SCHEDULE_DB", message: expect.stringMatching(/malformed \(points: /) }),
    );
    reopened.close();
  });

  it("says in one line when the database cannot be opened", async () => {
    const { writeFile, mkdir } = await import("node:fs/promises");
    await mkdir(join(dir, "data"), { recursive: true });
    await writeFile(path, "this is not a database, just text that is long enough to have a header");
    expect(() => ScheduleStore.open(path)).toThrow(
      expect.objectContaining({
        code: "STORE_DAMAGED",
        message: expect.stringMatching(
          /^The schedule database file .*schedules\.sqlite is damaged \(SQLITE_NOTADB\)\. Stop the bot, move the file aside/,
        ),
      }),
    );
  });
});
