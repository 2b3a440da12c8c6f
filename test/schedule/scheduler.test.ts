/**
 * The scheduler with everything real but the clock, the timer and the network peer: a real
 * stack, a real SQLite store in a temporary folder, and the real Discord poster (discord.js
 * REST) talking to the loopback fake Discord.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type APIEmbed, REST } from "discord.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  DEFAULT_IDS,
  DISCORD_ERRORS,
  type FakeDiscord,
  startFakeDiscord,
} from "../../scripts/lib/loopback-discord/index.js";
import { discordPoster } from "../../src/discord/briefing-poster.js";
import { newSubscription } from "../../src/schedule/new-subscription.js";
import { BriefingScheduler } from "../../src/schedule/scheduler.js";
import { SCHEDULE_DB_FILE, SqliteScheduleStore } from "../../src/store/sqlite/schedules.js";
import { ManualTimer } from "../helpers/manual-timer.js";
import { makeStack, type TestStack } from "../helpers/services.js";

let stack: TestStack;
let fake: FakeDiscord;
let rest: REST;
let clock: Date;
let timer: ManualTimer;
let dbPath: string;
let store: SqliteScheduleStore;
let scheduler: BriefingScheduler | null = null;

const CHANNEL = DEFAULT_IDS.channelId;
const subscription = {
  guildId: DEFAULT_IDS.guildId,
  channelId: CHANNEL,
  topic: "Taiwan",
  points: 5,
  cadence: "daily",
  minuteOfDay: 9 * 60,
  createdBy: DEFAULT_IDS.userId,
} as const;

beforeEach(async () => {
  [stack, fake] = await Promise.all([makeStack(), startFakeDiscord()]);
  rest = new REST({ api: fake.apiBase }).setToken(fake.token);
  clock = new Date("2025-06-18T12:00:00Z"); // a Wednesday
  timer = new ManualTimer();
  dbPath = join(stack.root, "data", SCHEDULE_DB_FILE);
  store = SqliteScheduleStore.open(dbPath);
});

afterEach(async () => {
  await scheduler?.stop();
  scheduler = null;
  store.close();
  await fake.close();
  await stack.cleanup();
});

/** Starts a scheduler as the bot would after a (re)start. */
async function startScheduler(): Promise<BriefingScheduler> {
  scheduler = new BriefingScheduler({
    schedules: { store, now: () => clock, timer },
    services: stack.services,
    post: discordPoster(rest),
    logger: stack.services.logger,
  });
  await scheduler.start();
  return scheduler;
}

/** Simulates a restart: the scheduler stops, the database is closed and opened again. */
async function restart(): Promise<BriefingScheduler> {
  await scheduler?.stop();
  store.close();
  store = SqliteScheduleStore.open(dbPath);
  return startScheduler();
}

const posts = () => fake.channelMessages(CHANNEL);
const events = (name: string) => stack.logs.filter((l) => l.event === name);

describe("the briefing scheduler", () => {
  it("sleeps until the slot, then posts the briefing to the channel with its document attached", async () => {
    await store.add(newSubscription(subscription, clock));
    await startScheduler();
    expect(posts()).toHaveLength(0);
    expect(timer.pending?.ms).toBe(60_000); // 21 h to go: it wakes at least once a minute

    clock = new Date("2025-06-19T09:00:00Z");
    await scheduler?.tick();
    expect(posts()).toHaveLength(1);
    const call = fake.calls.find((c) => c.method === "POST" && c.path === `/channels/${CHANNEL}/messages`);
    const body = call?.body as {
      content: string;
      embeds: APIEmbed[];
      allowed_mentions: unknown;
      nonce: string;
      enforce_nonce: boolean;
    };
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.content).toMatch(/^Scheduled briefing #1 \(daily at 09:00 UTC\)\.$/);
    expect(body.embeds[0]?.title).toBe("Briefing: Taiwan");
    expect(body.embeds[0]?.description).toContain("Taiwan");
    expect(body.enforce_nonce).toBe(true);
    expect(call?.files[0]?.name).toBe("briefing-taiwan-2025-06-19.md");
    expect(call?.files[0]?.text).toMatch(/^# Briefing: Taiwan\n\n- Date: 2025-06-19 09:00 UTC/);
    expect(posts()[0]?.attachments[0]?.filename).toBe("briefing-taiwan-2025-06-19.md");
    expect(await store.get(1)).toMatchObject({
      nextDueAt: "2025-06-20T09:00:00.000Z",
      pendingSlot: null,
      lastPost: { slot: "2025-06-19T09:00:00.000Z" },
    });
    expect(events("schedule.posted")).toHaveLength(1);
  });

  it("wakes by its timer when the slot comes", async () => {
    await store.add(newSubscription({ ...subscription, minuteOfDay: 12 * 60 + 1 }, clock));
    await startScheduler();
    expect(timer.pending?.ms).toBe(60_000);
    clock = new Date("2025-06-18T12:01:00Z");
    timer.pending?.callback();
    await expect.poll(() => posts().length).toBe(1);
  });

  it("catches up once after days offline, logs it, and does not post again after another restart", async () => {
    await store.add(newSubscription(subscription, clock));
    await startScheduler();
    await scheduler?.stop();

    // The bot was down from Wednesday to Saturday afternoon: three 09:00 slots went by.
    clock = new Date("2025-06-21T15:00:00Z");
    await restart();
    expect(posts()).toHaveLength(1);
    expect(posts()[0]?.content).toMatch(/stands for the 3 briefings due while the bot was offline/);
    expect(events("schedule.catch_up")).toEqual([
      expect.objectContaining({
        subscriptionId: 1,
        missedSlots: 3,
        firstMissed: "2025-06-19T09:00:00.000Z",
        postingFor: "2025-06-21T09:00:00.000Z",
      }),
    ]);

    // Restarting again the same afternoon posts nothing: Saturday's briefing is done.
    clock = new Date("2025-06-21T15:05:00Z");
    await restart();
    expect(posts()).toHaveLength(1);
    // Sunday's comes as usual.
    clock = new Date("2025-06-22T09:00:30Z");
    await scheduler?.tick();
    expect(posts()).toHaveLength(2);
    expect(events("schedule.catch_up")).toHaveLength(1);
  });

  it("finishes a post begun before a crash with the same nonce, so Discord can drop a repeat", async () => {
    const s = await store.add(newSubscription(subscription, clock));
    clock = new Date("2025-06-19T09:00:00Z");
    await startScheduler();
    const firstNonce = (
      fake.calls.find((c) => c.path === `/channels/${CHANNEL}/messages`)?.body as { nonce?: string } | undefined
    )?.nonce;
    // The process died after Discord took the post but before it was recorded: the slot is still
    // due and claimed by this process (put back with the store's own writes).
    await store.skip(s.id, new Date("2025-06-19T09:00:00Z"));
    await store.claim(s.id, new Date("2025-06-19T09:00:00Z"), {
      owner: "local",
      at: clock,
      staleBefore: new Date(0),
    });
    clock = new Date("2025-06-19T09:02:00Z");
    await restart();
    const nonces = fake.calls
      .filter((c) => c.path === `/channels/${CHANNEL}/messages`)
      .map((c) => (c.body as { nonce: string }).nonce);
    expect(nonces).toEqual([firstNonce, firstNonce]);
    expect(events("schedule.unconfirmed_retry")).toHaveLength(1);
    expect(await store.get(s.id)).toMatchObject({ pendingSlot: null, nextDueAt: "2025-06-20T09:00:00.000Z" });
  });

  it("marks what is new since the last post when the corpus changed", async () => {
    await store.add(newSubscription({ ...subscription, topic: "pandas" }, clock));
    await writeFile(
      join(stack.corpusDir, "pandas.md"),
      "---\ntitle: Panda diplomacy\n---\nThe zoo in Washington returned its giant pandas to China.\n",
    );
    await stack.services.indexes.rebuild();
    clock = new Date("2025-06-19T09:00:00Z");
    await startScheduler();
    expect(posts()[0]?.embeds[0]?.description).not.toContain("🆕");

    await writeFile(
      join(stack.corpusDir, "pandas-2.md"),
      "---\ntitle: More pandas\n---\nTwo young pandas arrived in San Diego from China on loan.\n",
    );
    await stack.services.indexes.rebuild();
    clock = new Date("2025-06-20T09:00:00Z");
    await scheduler?.tick();
    const second = posts()[1]?.embeds[0]?.description ?? "";
    expect(second).toMatch(
      /The corpus changed since the briefing of 2025-06-19 09:00 UTC: 1 new passage; new points are marked 🆕/,
    );
    expect(second).toMatch(/🆕 Two young pandas arrived in San Diego/);
    expect(second).not.toMatch(/🆕 The zoo in Washington/);
    const doc = fake.calls.filter((c) => c.path === `/channels/${CHANNEL}/messages`)[1]?.files[0]?.text ?? "";
    expect(doc).toContain("- 🆕 Two young pandas arrived in San Diego from China on loan. [");
  });

  it("skips, and says so in the log, a slot for a channel the bot may not post in", async () => {
    await store.add(newSubscription(subscription, clock));
    clock = new Date("2025-06-19T09:00:00Z");
    fake.failNext(/^POST \/channels\//, 403, DISCORD_ERRORS.missingAccess);
    await startScheduler();
    expect(posts()).toHaveLength(0);
    expect(events("schedule.skipped")).toEqual([
      expect.objectContaining({
        subscriptionId: 1,
        slot: "2025-06-19T09:00:00.000Z",
        nextDueAt: "2025-06-20T09:00:00.000Z",
      }),
    ]);
    expect(await store.get(1)).toMatchObject({ pendingSlot: null, nextDueAt: "2025-06-20T09:00:00.000Z" });
  });

  it("retries a post Discord failed to take, later, without losing the slot", async () => {
    await store.add(newSubscription(subscription, clock));
    clock = new Date("2025-06-19T09:00:00Z");
    // @discordjs/rest retries a 5xx three times itself; the fourth failure reaches the scheduler.
    fake.failNext(/^POST \/channels\//, 500, undefined, { times: 4 });
    await startScheduler();
    expect(posts()).toHaveLength(0);
    expect(events("schedule.post_failed")).toHaveLength(1);
    // It keeps waking each minute but leaves the post alone until five minutes have passed.
    clock = new Date("2025-06-19T09:01:00Z");
    await scheduler?.tick();
    expect(posts()).toHaveLength(0);
    clock = new Date("2025-06-19T09:05:00Z");
    await scheduler?.tick();
    expect(posts()).toHaveLength(1);
    expect((await store.get(1))?.lastPost?.slot).toBe("2025-06-19T09:00:00.000Z");
  });
});
