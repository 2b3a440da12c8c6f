/**
 * The state store's contract: one suite, run on every implementation (test/store/sqlite.test.ts,
 * test/store/postgres.test.ts). A case that fails on one store is a bug in that store.
 *
 * `open()` with no argument opens a new, empty store; `open(same)` opens a second handle on the
 * data of `same` (another process, as far as the store can tell). The suite closes every store
 * it opens; the caller removes what holds them (temp folders, databases) after the file.
 */
import { afterEach, describe, expect, it } from "vitest";
import { hasCode } from "../../src/errors.js";
import type { LoggedAnswer, NewAuditEntry, NewSubscription, SlotClaim, StateStore } from "../../src/store/types.js";

/** Opens a new empty store, or (given one) a second handle on that store's data. */
export type OpenStore = (sameAs?: StateStore) => Promise<StateStore>;

const DAY = 86_400_000;
const T0 = new Date("2025-06-18T12:00:00.000Z");
const at = (ms: number) => new Date(T0.getTime() + ms);

let seq = 0;
function answer(overrides: Partial<LoggedAnswer> = {}): LoggedAnswer {
  seq++;
  return {
    id: `answer-${seq}`,
    at: T0.toISOString(),
    source: "discord",
    guildId: "1310000000000000100",
    channelId: "1310000000000000200",
    askerHash: "hash-alice",
    question: `Where was meeting ${seq} held?`,
    understoodAs: null,
    kind: "answer",
    mode: "quoted",
    passageIds: ["p-2", "p-3"],
    corpusChecksum: "abc123",
    latencyMs: 12,
    ...overrides,
  };
}

const GUILD = "1310000000000000100";
function subscription(overrides: Partial<NewSubscription> = {}): NewSubscription {
  return {
    guildId: GUILD,
    channelId: "1310000000000000200",
    topic: "Taiwan",
    points: 5,
    timetable: { cadence: "daily", minuteOfDay: 540, weekday: null },
    createdBy: "1310000000000000300",
    createdAt: T0,
    nextDueAt: new Date("2025-06-19T09:00:00.000Z"),
    ...overrides,
  };
}
const SLOT = new Date("2025-06-19T09:00:00.000Z");
const claimBy = (owner: string, when = SLOT): SlotClaim => ({
  owner,
  at: when,
  staleBefore: new Date(when.getTime() - 600_000),
});

function change(overrides: Partial<NewAuditEntry> = {}): NewAuditEntry {
  return {
    at: T0.toISOString(),
    actor: { id: "1310000000000000301", name: "Mod" },
    action: "add",
    source: "shanghai-ports.md",
    title: "Shanghai's ports",
    origin: "shanghai-ports.md",
    checksum: "c1",
    snapshot: "snap-1",
    ...overrides,
  };
}

/** The rejection of `work`; fails the test when it resolves. */
async function rejection(work: Promise<unknown>): Promise<unknown> {
  try {
    await work;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

/** Runs the store contract on the store `open` makes. */
export function describeStoreContract(name: string, open: OpenStore): void {
  describe(`state store contract: ${name}`, () => {
    const opened: StateStore[] = [];
    const fresh = async (sameAs?: StateStore) => {
      const store = await open(sameAs);
      opened.push(store);
      return store;
    };
    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close();
    });

    describe("answers", () => {
      it("records an answer and reads it back whole from another handle; an unknown id is null", async () => {
        const store = await fresh();
        const a = answer({ understoodAs: "When was it?", kind: "abstained", mode: "generated", guildId: null });
        await store.answers.record(a);
        const other = await fresh(store);
        expect(await other.answers.get(a.id)).toEqual(a);
        expect(await store.answers.get("nope")).toBeNull();
      });

      it("keeps one vote per voter per answer: a second vote replaces the first and says what it was", async () => {
        const { answers } = await fresh();
        const a = answer();
        await answers.record(a);
        expect(await answers.vote(a.id, "hash-bob", "up", at(1))).toEqual({ previous: null });
        expect(await answers.vote(a.id, "hash-bob", "down", at(2))).toEqual({ previous: "up" });
        expect(await answers.vote(a.id, "hash-bob", "down", at(3))).toEqual({ previous: "down" });
        expect(await answers.vote(a.id, "hash-carol", "up", at(4))).toEqual({ previous: null });
        expect((await answers.usage(at(5))).votes).toEqual({ up: 1, down: 1 });
      });

      it("refuses a vote or a comment on an answer it does not hold with ANSWER_GONE", async () => {
        const { answers } = await fresh();
        expect(hasCode(await rejection(answers.vote("gone", "hash-bob", "up", T0)), "ANSWER_GONE")).toBe(true);
        expect(hasCode(await rejection(answers.comment("gone", "hash-bob", "x", T0)), "ANSWER_GONE")).toBe(true);
      });

      it("stores a comment with the voter's vote (a 👎 when they had none), keeps it across a vote change, clears it with null", async () => {
        const { answers } = await fresh();
        const a = answer();
        await answers.record(a);
        await answers.comment(a.id, "hash-bob", "It quoted the wrong paragraph", at(1));
        let [row] = await answers.gapRows(at(-DAY));
        expect(row).toMatchObject({ answerId: a.id, down: 1, up: 0, comments: ["It quoted the wrong paragraph"] });
        await answers.vote(a.id, "hash-carol", "down", at(2));
        await answers.comment(a.id, "hash-carol", "Missing the date", at(3));
        [row] = await answers.gapRows(at(-DAY));
        expect(row).toMatchObject({ down: 2, comments: ["It quoted the wrong paragraph", "Missing the date"] });
        // Bob changes his mind: his vote turns 👍, his comment stays with it (and /gaps no longer lists it as a 👎).
        await answers.vote(a.id, "hash-bob", "up", at(4));
        [row] = await answers.gapRows(at(-DAY));
        expect(row).toMatchObject({ up: 1, down: 1 });
        await answers.comment(a.id, "hash-carol", null, at(5));
        [row] = await answers.gapRows(at(-DAY));
        expect(row?.comments).toEqual(["It quoted the wrong paragraph"]);
      });

      it("forgets only the caller's answers (with every vote on them) and the caller's own votes", async () => {
        const { answers } = await fresh();
        const a1 = answer({ askerHash: "hash-alice" });
        const a2 = answer({ askerHash: "hash-alice", kind: "abstained" });
        const b1 = answer({ askerHash: "hash-bob" });
        for (const a of [a1, a2, b1]) await answers.record(a);
        await answers.vote(b1.id, "hash-alice", "down", at(1));
        await answers.comment(b1.id, "hash-alice", "wrong person", at(1));
        await answers.vote(b1.id, "hash-bob", "up", at(2));
        await answers.vote(a1.id, "hash-bob", "up", at(3));
        expect(await answers.forget("hash-alice")).toBe(3); // two answers and one vote
        expect(await answers.get(a1.id)).toBeNull();
        expect(await answers.get(a2.id)).toBeNull();
        expect(await answers.get(b1.id)).not.toBeNull();
        expect(await answers.vote(b1.id, "hash-bob", "up", at(4))).toEqual({ previous: "up" });
        expect((await answers.usage(at(5))).votes).toEqual({ up: 1, down: 0 });
        expect(await answers.forget("hash-alice")).toBe(0);
      });

      it("prunes answers answered before the cutoff, with their votes", async () => {
        const { answers } = await fresh();
        const old = answer({ at: T0.toISOString() });
        const recent = answer({ at: at(10 * DAY).toISOString() });
        await answers.record(old);
        await answers.record(recent);
        await answers.vote(old.id, "hash-bob", "down", at(1));
        expect(await answers.prune(at(5 * DAY))).toBe(1);
        expect(await answers.get(old.id)).toBeNull();
        expect(await answers.get(recent.id)).not.toBeNull();
        expect((await answers.usage(at(10 * DAY))).votes).toEqual({ up: 0, down: 0 });
        expect(await answers.prune(at(5 * DAY))).toBe(0);
      });

      it("counts answered and abstained questions over the 24 hours and 7 days up to now", async () => {
        const { answers } = await fresh();
        const when = (ms: number, kind: LoggedAnswer["kind"]) => answer({ at: at(ms).toISOString(), kind });
        for (const a of [
          when(0, "answer"),
          when(0, "abstained"),
          when(3 * DAY, "overview"),
          when(3 * DAY, "abstained"),
          when(3 * DAY + 60_000, "answer"),
          when(-8 * DAY, "answer"),
        ])
          await answers.record(a);
        expect(await answers.usage(at(3 * DAY + 3_600_000))).toEqual({
          day: { answered: 2, abstained: 1 },
          week: { answered: 3, abstained: 2 },
          votes: { up: 0, down: 0 },
        });
      });

      it("lists since a time the abstentions and the answers with a 👎, newest first, as understood, with their passages", async () => {
        const { answers } = await fresh();
        await answers.record(answer({ question: "too old", kind: "abstained", at: at(-10 * DAY).toISOString() }));
        const abstained = answer({
          question: "What about Taiwan?",
          kind: "abstained",
          passageIds: ["p-9"],
          at: at(1000).toISOString(),
        });
        const liked = answer({ question: "Who hosted?", at: at(2000).toISOString() });
        const disliked = answer({
          question: "and the date?",
          understoodAs: "When was the meeting held?",
          passageIds: ["p-4"],
          at: at(3000).toISOString(),
        });
        for (const a of [abstained, liked, disliked]) await answers.record(a);
        await answers.vote(liked.id, "hash-bob", "up", at(4000));
        await answers.vote(disliked.id, "hash-bob", "down", at(4000));
        await answers.vote(disliked.id, "hash-carol", "up", at(5000));
        const rows = await answers.gapRows(at(-7 * DAY));
        expect(rows).toEqual([
          {
            answerId: disliked.id,
            at: disliked.at,
            reason: "voted-down",
            question: "When was the meeting held?",
            kind: "answer",
            passageIds: ["p-4"],
            up: 1,
            down: 1,
            comments: [],
          },
          {
            answerId: abstained.id,
            at: abstained.at,
            reason: "abstained",
            question: "What about Taiwan?",
            kind: "abstained",
            passageIds: ["p-9"],
            up: 0,
            down: 0,
            comments: [],
          },
        ]);
      });

      it("keeps text as given (quotes, emoji, accents, a long question) and an empty passage list", async () => {
        const store = await fresh();
        const a = answer({
          question: `Qu'a dit "Blinken" 🇺🇸 à Pékin ? ${"ü".repeat(2000)}`,
          understoodAs: "SELECT * FROM answers; -- not a query",
          passageIds: [],
          guildId: null,
          channelId: null,
          source: "terminal",
        });
        await store.answers.record(a);
        expect(await (await fresh(store)).answers.get(a.id)).toEqual(a);
      });
    });

    describe("schedules", () => {
      it("adds subscriptions with growing ids and reads them back whole from another handle", async () => {
        const store = await fresh();
        const a = await store.schedules.add(subscription());
        const b = await store.schedules.add(
          subscription({ topic: "fentanyl", timetable: { cadence: "weekly", minuteOfDay: 0, weekday: 3 } }),
        );
        expect(b.id).toBeGreaterThan(a.id);
        expect(a).toEqual({
          id: a.id,
          guildId: GUILD,
          channelId: "1310000000000000200",
          topic: "Taiwan",
          points: 5,
          timetable: { cadence: "daily", minuteOfDay: 540, weekday: null },
          createdBy: "1310000000000000300",
          createdAt: T0.toISOString(),
          nextDueAt: "2025-06-19T09:00:00.000Z",
          pendingSlot: null,
          claimOwner: null,
          claimedAt: null,
          lastPost: null,
        });
        const other = await fresh(store);
        expect(await other.schedules.list()).toEqual([a, b]);
        expect(await other.schedules.get(b.id)).toEqual(b);
        expect(await other.schedules.get(b.id + 1000)).toBeNull();
      });

      it("lists and removes only a guild's own subscriptions, and never reuses an id", async () => {
        const { schedules } = await fresh();
        const mine = await schedules.add(subscription());
        const theirs = await schedules.add(subscription({ guildId: "1310000000000000999" }));
        expect((await schedules.list(GUILD)).map((s) => s.id)).toEqual([mine.id]);
        expect(await schedules.remove(theirs.id, GUILD)).toBe(false);
        expect(await schedules.remove(mine.id, GUILD)).toBe(true);
        expect(await schedules.remove(mine.id, GUILD)).toBe(false);
        expect((await schedules.add(subscription())).id).toBeGreaterThan(theirs.id);
        expect((await schedules.list()).map((s) => s.guildId)).toEqual(["1310000000000000999", GUILD]);
      });

      it("claims a due slot once: not before it is due, not while another owner holds it, again for the same owner", async () => {
        const { schedules } = await fresh();
        const s = await schedules.add(subscription());
        expect(await schedules.claim(s.id, new Date("2025-06-18T09:00:00.000Z"), claimBy("a"))).toBe(false);
        expect(await schedules.claim(s.id, SLOT, claimBy("a"))).toBe(true);
        expect(await schedules.get(s.id)).toMatchObject({
          pendingSlot: SLOT.toISOString(),
          claimOwner: "a",
          claimedAt: SLOT.toISOString(),
        });
        expect(await schedules.claim(s.id, SLOT, claimBy("b", new Date(SLOT.getTime() + 60_000)))).toBe(false);
        expect(await schedules.claim(s.id, SLOT, claimBy("a", new Date(SLOT.getTime() + 60_000)))).toBe(true);
        expect(await schedules.claim(s.id + 1000, SLOT, claimBy("a"))).toBe(false);
      });

      it("lets another owner take over a claim older than staleBefore (its process died mid-post)", async () => {
        const { schedules } = await fresh();
        const s = await schedules.add(subscription());
        expect(await schedules.claim(s.id, SLOT, claimBy("a"))).toBe(true);
        const later = new Date(SLOT.getTime() + 11 * 60_000);
        expect(await schedules.claim(s.id, SLOT, claimBy("b", later))).toBe(true);
        expect((await schedules.get(s.id))?.claimOwner).toBe("b");
      });

      it("gives a slot to exactly one of many concurrent claimers on separate handles", async () => {
        const first = await fresh();
        const s = await first.schedules.add(subscription());
        const handles = [first, ...(await Promise.all([1, 2, 3].map(() => fresh(first))))];
        const results = await Promise.all(
          handles.flatMap((h, i) => [0, 1].map((j) => h.schedules.claim(s.id, SLOT, claimBy(`owner-${i}-${j}`)))),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
      });

      it("records a post with the next slot and clears the claim, so the posted slot cannot be claimed again", async () => {
        const { schedules } = await fresh();
        const s = await schedules.add(subscription());
        await schedules.claim(s.id, SLOT, claimBy("a"));
        const post = {
          at: "2025-06-19T09:00:02.000Z",
          slot: SLOT.toISOString(),
          messageId: "42",
          corpusChecksum: "abc",
          passageIds: ["p1", "p2"],
        };
        await schedules.recordPost(s.id, post, new Date("2025-06-20T09:00:00.000Z"));
        expect(await schedules.get(s.id)).toMatchObject({
          nextDueAt: "2025-06-20T09:00:00.000Z",
          pendingSlot: null,
          claimOwner: null,
          claimedAt: null,
          lastPost: post,
        });
        expect(await schedules.claim(s.id, SLOT, claimBy("a"))).toBe(false);
        expect(await schedules.claim(s.id, SLOT, claimBy("b"))).toBe(false);
      });

      it("skips a slot: clears the claim and waits for the next, keeping the last post", async () => {
        const { schedules } = await fresh();
        const s = await schedules.add(subscription());
        await schedules.claim(s.id, SLOT, claimBy("a"));
        await schedules.skip(s.id, new Date("2025-06-20T09:00:00.000Z"));
        expect(await schedules.get(s.id)).toMatchObject({
          nextDueAt: "2025-06-20T09:00:00.000Z",
          pendingSlot: null,
          claimOwner: null,
          lastPost: null,
        });
        expect(await schedules.claim(s.id, SLOT, claimBy("b"))).toBe(false);
      });
    });

    describe("audit", () => {
      it("records changes with growing ids and lists the most recent first", async () => {
        const store = await fresh();
        const first = await store.audit.record(change());
        const second = await store.audit.record(
          change({ action: "remove", source: "old.md", title: "Old", at: at(1000).toISOString(), snapshot: "snap-2" }),
        );
        expect(second).toBeGreaterThan(first);
        const other = await fresh(store);
        expect(await other.audit.recent(1)).toEqual([
          {
            id: second,
            at: at(1000).toISOString(),
            actor: { id: "1310000000000000301", name: "Mod" },
            action: "remove",
            source: "old.md",
            title: "Old",
            origin: "shanghai-ports.md",
            checksum: "c1",
            undone: false,
          },
        ]);
        expect((await other.audit.recent(10)).map((e) => e.id)).toEqual([second, first]);
      });

      it("undoes the last change: marks it undone, drops its snapshot, logs the undo, and offers the change before it", async () => {
        const { audit } = await fresh();
        expect(await audit.lastUndoable()).toBeNull();
        const first = await audit.record(change());
        const second = await audit.record(change({ action: "replace", checksum: "c2", snapshot: "snap-2" }));
        const last = await audit.lastUndoable();
        expect(last).toMatchObject({ id: second, action: "replace", snapshot: "snap-2", undone: false });
        if (!last) throw new Error("no undoable change");
        const undo = await audit.recordUndo(last, {
          at: at(1).toISOString(),
          actor: { id: "os:alice", name: "alice" },
          source: last.source,
          title: last.title,
          origin: `#${last.id}`,
          checksum: last.checksum,
        });
        expect(undo).toBeGreaterThan(second);
        const [u, s] = await audit.recent(2);
        expect(u).toMatchObject({ id: undo, action: "undo", undone: false, origin: `#${second}` });
        expect(s).toMatchObject({ id: second, undone: true });
        expect(await audit.lastUndoable()).toMatchObject({ id: first, snapshot: "snap-1" });
        expect((await audit.currentVersions()).get("shanghai-ports.md")).toMatchObject({ id: first, checksum: "c1" });
      });

      it("forgets snapshots no longer kept, and tells each article's current version", async () => {
        const { audit } = await fresh();
        await audit.record(change({ snapshot: "snap-1" }));
        await audit.record(change({ source: "b.md", title: "B", checksum: "b1", snapshot: "snap-2" }));
        const replaced = await audit.record(change({ action: "replace", checksum: "c2", snapshot: "snap-3" }));
        await audit.dropSnapshots(new Set(["snap-3"]));
        expect(await audit.lastUndoable()).toMatchObject({ id: replaced, snapshot: "snap-3" });
        const versions = await audit.currentVersions();
        expect([...versions.keys()].sort()).toEqual(["b.md", "shanghai-ports.md"]);
        expect(versions.get("shanghai-ports.md")).toMatchObject({ id: replaced, action: "replace", checksum: "c2" });
        await audit.dropSnapshots(new Set());
        expect((await audit.lastUndoable())?.snapshot).toBeNull();
      });
    });

    describe("the store", () => {
      it("makes the salt once and gives every handle the same one", async () => {
        const store = await fresh();
        const salt = await store.salt();
        expect(salt.length).toBeGreaterThanOrEqual(32);
        expect((await store.salt()).equals(salt)).toBe(true);
        const other = await fresh(store);
        expect((await other.salt()).equals(salt)).toBe(true);
        const another = await fresh();
        expect((await another.salt()).equals(salt)).toBe(false);
      });

      it("opens the same data twice (migrations run once), keeping what the first handle wrote", async () => {
        const store = await fresh();
        const a = answer();
        await store.answers.record(a);
        const s = await store.schedules.add(subscription());
        const c = await store.audit.record(change());
        await store.close();
        const again = await fresh(store);
        const third = await fresh(store);
        expect(await third.answers.get(a.id)).toEqual(a);
        expect(await again.schedules.get(s.id)).toEqual(s);
        expect((await again.audit.recent(1))[0]?.id).toBe(c);
      });

      it("can be closed twice", async () => {
        const store = await open();
        await store.answers.get("x");
        await store.close();
        await store.close();
      });
    });
  });
}
