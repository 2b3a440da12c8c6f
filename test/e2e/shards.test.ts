import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  chatInput,
  DEFAULT_IDS,
  discordConfigFor,
  type FakeDiscord,
  type RecordedCall,
  shardOfGuild,
  startFakeDiscord,
} from "../../scripts/lib/loopback-discord/index.js";
import type { ShardPlan } from "../../src/config.js";
import { Bot } from "../../src/discord/bot.js";
import { createLogger } from "../../src/log.js";
import { newSubscription } from "../../src/schedule/new-subscription.js";
import type { Schedules } from "../../src/schedule/scheduler.js";
import { SqliteScheduleStore } from "../../src/store/sqlite/schedules.js";
import { startMain } from "../helpers/main-process.js";
import { makeStack, type TestStack } from "../helpers/services.js";

let fake: FakeDiscord;
let stack: TestStack;
const bots: Bot[] = [];
/** The default guild's shard of two, and a second guild on the other one. */
const DEFAULT_SHARD = shardOfGuild(DEFAULT_IDS.guildId, 2);
const OTHER_SHARD = 1 - DEFAULT_SHARD;
let other: { guildId: string; channelId: string };

beforeAll(async () => {
  stack = await makeStack();
}, 120_000);
afterAll(async () => {
  await stack?.cleanup();
});
beforeEach(async () => {
  fake = await startFakeDiscord();
  other = fake.addGuild({ shard: OTHER_SHARD, count: 2 });
});
afterEach(async () => {
  for (const bot of bots.splice(0)) await bot.stop();
  await fake.close();
});

/** A bot with `shards`, logging into its own array. */
async function startBot(
  shards: ShardPlan | null,
  schedules?: Schedules,
): Promise<{ bot: Bot; logs: Record<string, unknown>[] }> {
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger({ level: "info", write: (line) => void logs.push(JSON.parse(line)) });
  const bot = new Bot({
    discord: discordConfigFor(fake, { shards }),
    services: stack.services,
    logger,
    ...(schedules ? { schedules } : {}),
  });
  bots.push(bot);
  await bot.start();
  return { bot, logs };
}

function statusIn(guild?: { guildId: string; channelId: string }): { id: string; reply: Promise<RecordedCall> } {
  const { id } = fake.pushInteraction(chatInput({ name: "status", guild }));
  return { id, reply: fake.waitForCall((c) => c.path.startsWith(`/interactions/${id}/`), 5000) };
}

function gatewayField(call: RecordedCall): string | undefined {
  const body = call.body as { data: { embeds: { fields: { name: string; value: string }[] }[] } };
  return body.data.embeds[0]?.fields.find((f) => f.name === "Gateway")?.value;
}

describe("one process serving both shards of two (SHARD_COUNT=2 SHARD_IDS=0-1)", () => {
  it("connects one gateway session per shard, each with its own guild, and answers in both guilds", async () => {
    const { bot, logs } = await startBot({ count: 2, ids: [0, 1] });
    const connections = fake.gatewayConnections();
    expect(connections.map((c) => c.shard).sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect(connections.find((c) => c.shard?.[0] === OTHER_SHARD)?.guildIds).toEqual([other.guildId]);
    expect(connections.find((c) => c.shard?.[0] === DEFAULT_SHARD)?.guildIds).toEqual([DEFAULT_IDS.guildId]);

    const here = statusIn();
    const there = statusIn(other);
    const [a, b] = await Promise.all([here.reply, there.reply]);
    expect(a.status).toBe(204);
    expect(b.status).toBe(204);
    expect(fake.undelivered()).toEqual([]);
    expect(gatewayField(a)?.split("\n")).toEqual([
      expect.stringMatching(/^shard 0: ready since \S+, 1 guild$/),
      expect.stringMatching(/^shard 1: ready since \S+, 1 guild$/),
    ]);

    const ready = logs.find((l) => l.event === "discord.ready");
    expect(ready?.guilds).toBe(2);
    expect(ready?.shards).toEqual([
      expect.objectContaining({ shard: 0, phase: "ready", guilds: 1 }),
      expect.objectContaining({ shard: 1, phase: "ready", guilds: 1 }),
    ]);
    expect(bot.servesGuild(DEFAULT_IDS.guildId)).toBe(true);
    expect(bot.servesGuild(other.guildId)).toBe(true);
  }, 60_000);

  it("takes the count Discord recommends with SHARD_COUNT=auto", async () => {
    fake.recommendShards(2);
    const { bot } = await startBot({ count: "auto" });
    expect(fake.gatewayConnections().map((c) => c.shard?.[1])).toEqual([2, 2]);
    expect(bot.servesGuild(other.guildId)).toBe(true);
    expect(bot.connection.snapshot().map((s) => s.shard)).toEqual([0, 1]);
  }, 60_000);
});

describe("two processes' bots, SHARD_IDS=0 and SHARD_IDS=1 of SHARD_COUNT=2", () => {
  it("has each answer only its own guild's interactions", async () => {
    const zero = await startBot({ count: 2, ids: [0] });
    const one = await startBot({ count: 2, ids: [1] });
    const byShard = new Map(fake.gatewayConnections().map((c) => [c.shard?.[0], c]));
    expect(byShard.get(DEFAULT_SHARD)?.guildIds).toEqual([DEFAULT_IDS.guildId]);
    expect(byShard.get(OTHER_SHARD)?.guildIds).toEqual([other.guildId]);

    const here = statusIn();
    const there = statusIn(other);
    await Promise.all([here.reply, there.reply]);
    expect(fake.deliveryOf(here.id)).toEqual([byShard.get(DEFAULT_SHARD)?.connection]);
    expect(fake.deliveryOf(there.id)).toEqual([byShard.get(OTHER_SHARD)?.connection]);
    // Each interaction got exactly one answer: the one connection it went to answered it.
    for (const id of [here.id, there.id])
      expect(fake.calls.filter((c) => c.method === "POST" && c.path.startsWith(`/interactions/${id}/`))).toHaveLength(
        1,
      );

    const [defaultBot, otherBot] = DEFAULT_SHARD === 0 ? [zero, one] : [one, zero];
    expect(defaultBot.bot.servesGuild(DEFAULT_IDS.guildId)).toBe(true);
    expect(defaultBot.bot.servesGuild(other.guildId)).toBe(false);
    expect(otherBot.bot.servesGuild(other.guildId)).toBe(true);
    expect(otherBot.bot.servesGuild(DEFAULT_IDS.guildId)).toBe(false);
  }, 60_000);

  it("leaves an interaction unanswered when no process serves its guild's shard", async () => {
    await startBot({ count: 2, ids: [DEFAULT_SHARD] });
    const here = statusIn();
    await here.reply;
    const { id } = fake.pushInteraction(chatInput({ name: "status", guild: other }));
    expect(fake.deliveryOf(id)).toEqual([]);
    expect(fake.undelivered()).toEqual([id]);
  }, 60_000);
});

describe("scheduled briefings with shards", () => {
  it("are posted only for the guilds of the shards this process serves", async () => {
    const dir = await mkdtemp(join(tmpdir(), "passage-shard-schedules-"));
    const store = SqliteScheduleStore.open(join(dir, "schedules.sqlite"));
    try {
      const subscribed = new Date("2025-06-18T12:00:00Z");
      const base = {
        topic: "Taiwan",
        points: 3,
        cadence: "daily",
        minuteOfDay: 9 * 60,
        createdBy: DEFAULT_IDS.userId,
      } as const;
      await store.add(
        newSubscription({ ...base, guildId: DEFAULT_IDS.guildId, channelId: DEFAULT_IDS.channelId }, subscribed),
      );
      await store.add(newSubscription({ ...base, guildId: other.guildId, channelId: other.channelId }, subscribed));
      // A day later both are due; this process serves only the default guild's shard.
      const { logs } = await startBot(
        { count: 2, ids: [DEFAULT_SHARD] },
        { store, now: () => new Date("2025-06-19T09:30:00Z") },
      );
      expect(fake.channelMessages(DEFAULT_IDS.channelId)).toHaveLength(1);
      expect(fake.channelMessages(other.channelId)).toHaveLength(0);
      expect(logs.filter((l) => l.event === "schedule.posted").map((l) => l.guildId)).toEqual([DEFAULT_IDS.guildId]);
    } finally {
      for (const bot of bots.splice(0)) await bot.stop();
      store.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe("npm start with SHARD_COUNT=2 SHARD_IDS=0-1", () => {
  it("serves two guilds on different shards from one process, logging each shard at ready", async () => {
    const main = startMain({
      PASSAGE_CORPUS_DIR: stack.corpusDir,
      PASSAGE_DATA_DIR: join(stack.root, "data"),
      PASSAGE_INDEX_DIR: stack.indexDir,
      DISCORD_TOKEN: fake.token,
      DISCORD_API_URL: fake.apiBase,
      SHARD_COUNT: "2",
      SHARD_IDS: "0-1",
    });
    const { child } = main;
    try {
      await expect
        .poll(() => main.stderr().includes('"event":"discord.ready"'), { timeout: 60_000, interval: 50 })
        .toBe(true);
      const ready = main.logs().find((l) => l.event === "discord.ready");
      expect(ready?.shards).toEqual([
        expect.objectContaining({ shard: 0, phase: "ready", guilds: 1 }),
        expect.objectContaining({ shard: 1, phase: "ready", guilds: 1 }),
      ]);
      const here = statusIn();
      const there = statusIn(other);
      expect((await here.reply).status).toBe(204);
      expect((await there.reply).status).toBe(204);
      expect(new Set([...fake.deliveryOf(here.id), ...fake.deliveryOf(there.id)]).size).toBe(2);
      child.kill("SIGTERM");
      expect(await main.exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  }, 90_000);
});
