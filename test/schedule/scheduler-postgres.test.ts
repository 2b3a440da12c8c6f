/**
 * Scheduled briefings with their subscriptions in PostgreSQL, when PostgreSQL goes away: the
 * scheduler logs the failed reads and posts nothing, keeps time, and catches up with one post
 * once the database is back (issue 15).
 */
import { REST } from "discord.js";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_IDS, type FakeDiscord, startFakeDiscord } from "../../scripts/lib/loopback-discord/index.js";
import { discordPoster } from "../../src/discord/briefing-poster.js";
import { newSubscription } from "../../src/schedule/new-subscription.js";
import { BriefingScheduler } from "../../src/schedule/scheduler.js";
import { openPostgresStore } from "../../src/store/postgres/open-postgres-store.js";
import type { StateStore } from "../../src/store/types.js";
import { ManualTimer } from "../helpers/manual-timer.js";
import { type EmbeddedServer, startPostgres } from "../helpers/postgres.js";
import { makeStack, type TestStack } from "../helpers/services.js";

let server: EmbeddedServer;
let stack: TestStack;
let fake: FakeDiscord;
let store: StateStore;
let scheduler: BriefingScheduler | null = null;

beforeAll(async () => {
  [server, stack] = await Promise.all([startPostgres(), makeStack()]);
}, 120_000);
afterAll(async () => {
  await stack?.cleanup();
  await server?.stop();
});
beforeEach(async () => {
  fake = await startFakeDiscord();
  store = await openPostgresStore(await server.createDatabase(), {
    logger: stack.services.logger,
    timeouts: { connectTimeoutMs: 1000, queryTimeoutMs: 2000 },
  });
});
afterEach(async () => {
  await scheduler?.stop();
  scheduler = null;
  await server.resume();
  await store.close();
  await fake.close();
});

describe("the scheduler while PostgreSQL is away", () => {
  it("logs the failed reads, posts nothing, and catches up with one post once it is back", async () => {
    let clock = new Date("2025-06-18T12:00:00Z");
    const timer = new ManualTimer();
    await store.schedules.add(
      newSubscription(
        {
          guildId: DEFAULT_IDS.guildId,
          channelId: DEFAULT_IDS.channelId,
          topic: "Taiwan",
          points: 3,
          cadence: "daily",
          minuteOfDay: 9 * 60,
          createdBy: DEFAULT_IDS.userId,
        },
        clock,
      ),
    );
    scheduler = new BriefingScheduler({
      schedules: { store: store.schedules, now: () => clock, timer, owner: "test" },
      services: stack.services,
      post: discordPoster(new REST({ api: fake.apiBase }).setToken(fake.token)),
      logger: stack.services.logger,
    });
    await scheduler.start();
    expect(fake.channelMessages(DEFAULT_IDS.channelId)).toHaveLength(0);

    await server.halt();
    const failedBefore = stack.logs.filter((l) => l.event === "schedule.read_failed").length;
    clock = new Date("2025-06-19T09:30:00Z");
    await scheduler.tick();
    expect(stack.logs.filter((l) => l.event === "schedule.read_failed").length).toBeGreaterThan(failedBefore);
    expect(fake.channelMessages(DEFAULT_IDS.channelId)).toHaveLength(0);
    // It keeps time: the next tick is armed.
    expect(timer.pending).not.toBeNull();

    await server.resume();
    clock = new Date("2025-06-19T09:40:00Z");
    await expect
      .poll(
        async () => {
          await scheduler?.tick();
          return fake.channelMessages(DEFAULT_IDS.channelId).length;
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBe(1);
    const [subscription] = await store.schedules.list();
    expect(subscription?.lastPost?.slot).toBe("2025-06-19T09:00:00.000Z");
  }, 90_000);
});
