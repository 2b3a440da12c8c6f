/**
 * Exactly once across processes (issue 15): two bot processes whose shard ids overlap (both
 * serve shards 0 and 1 of 2) share one PostgreSQL; each guild's due briefing is claimed in one
 * statement, so it is posted once, by one of them.
 */
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_IDS, type FakeDiscord, startFakeDiscord } from "../../scripts/lib/loopback-discord/index.js";
import { silentLogger } from "../../src/log.js";
import { newSubscription } from "../../src/schedule/new-subscription.js";
import { openPostgresStore } from "../../src/store/postgres/open-postgres-store.js";
import { type MainProcess, startMain } from "../helpers/main-process.js";
import { type EmbeddedServer, startPostgres } from "../helpers/postgres.js";
import { SEED_CORPUS } from "../helpers/services.js";

let server: EmbeddedServer;
let fake: FakeDiscord;
let root: string;
const children: MainProcess[] = [];
let guilds: { guildId: string; channelId: string }[];

beforeAll(async () => {
  server = await startPostgres();
  const url = await server.createDatabase();
  fake = await startFakeDiscord();
  guilds = [
    { guildId: DEFAULT_IDS.guildId, channelId: DEFAULT_IDS.channelId },
    fake.addGuild({ shard: 0, count: 2 }),
    fake.addGuild({ shard: 1, count: 2 }),
  ];
  root = await mkdtemp(join(tmpdir(), "passage-overlap-"));
  const store = await openPostgresStore(url, { logger: silentLogger });
  const yesterday = new Date(Date.now() - 24 * 3600_000);
  for (const g of guilds)
    await store.schedules.add(
      newSubscription(
        {
          ...g,
          topic: "Taiwan",
          points: 3,
          cadence: "daily",
          minuteOfDay: yesterday.getUTCHours() * 60 + yesterday.getUTCMinutes(),
          createdBy: DEFAULT_IDS.userId,
        },
        new Date(yesterday.getTime() - 60_000),
      ),
    );
  await store.close();
  for (const name of ["p", "q"]) {
    await cp(SEED_CORPUS, join(root, name, "corpus"), { recursive: true });
    children.push(
      startMain({
        PASSAGE_CORPUS_DIR: join(root, name, "corpus"),
        PASSAGE_DATA_DIR: join(root, name, "data"),
        DISCORD_TOKEN: fake.token,
        DISCORD_API_URL: fake.apiBase,
        DATABASE_URL: url,
        SHARD_COUNT: "2",
        SHARD_IDS: "0-1",
      }),
    );
  }
}, 120_000);

afterAll(async () => {
  for (const { child } of children) if (child.exitCode === null) child.kill("SIGTERM");
  await Promise.all(children.map((c) => c.exited));
  await fake?.close();
  await server?.stop();
  await rm(root, { recursive: true, force: true });
}, 60_000);

describe("two processes serving the same shards", () => {
  it("post each guild's due briefing exactly once between them", async () => {
    for (const { stderr } of children)
      await expect.poll(() => stderr().includes('"event":"discord.ready"'), { timeout: 90_000 }).toBe(true);
    for (const g of guilds)
      await expect.poll(() => fake.channelMessages(g.channelId).length, { timeout: 30_000 }).toBeGreaterThan(0);
    // Both processes run their catch-up right after ready: give a second post every chance.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    for (const g of guilds) expect(fake.channelMessages(g.channelId)).toHaveLength(1);
    const posted = children.flatMap(({ stderr }) =>
      stderr()
        .split("\n")
        .filter((l) => l.includes('"schedule.posted"')),
    );
    expect(posted).toHaveLength(guilds.length);
  }, 150_000);
});
