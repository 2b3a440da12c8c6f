/**
 * Issue 15's done-when: two bot processes (`npm start`'s command), SHARD_COUNT=2 with one shard
 * each, against a loopback Discord that routes each guild to its shard, sharing one embedded
 * PostgreSQL. Each guild's interactions are answered by exactly one process; a scheduled
 * briefing is posted once per guild; an article added through one process is served by both;
 * after one process is killed the other still serves its shard.
 */
import { cp, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type APIEmbed, PermissionFlagsBits } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  chatInput,
  DEFAULT_IDS,
  DEFAULT_MEMBER_PERMISSIONS,
  type FakeDiscord,
  type RecordedCall,
  shardOfGuild,
  startFakeDiscord,
} from "../../scripts/lib/loopback-discord/index.js";
import { silentLogger } from "../../src/log.js";
import { newSubscription } from "../../src/schedule/new-subscription.js";
import { openPostgresStore } from "../../src/store/postgres/open-postgres-store.js";
import { type MainProcess, startMain } from "../helpers/main-process.js";
import { type EmbeddedServer, startPostgres } from "../helpers/postgres.js";
import { SEED_CORPUS } from "../helpers/services.js";

const MODERATOR = DEFAULT_MEMBER_PERMISSIONS | PermissionFlagsBits.ManageGuild;
const KELP_MD = `---
title: Kelp forests of the Pacific coast
author: Ada Marine
---
Kelp forests grow along the cold Pacific coast, where giant kelp can rise forty metres from the sea floor.

Sea otters keep the forests standing: they eat sea urchins, which would otherwise graze the kelp down to bare rock.
`;

interface Replica extends MainProcess {
  readonly name: string;
}

interface MessageBody {
  content?: string;
  embeds?: APIEmbed[];
}

let server: EmbeddedServer;
let fake: FakeDiscord;
let root: string;
let databaseUrl: string;
const replicas: Replica[] = [];
/** One guild on each shard of two. */
let guilds: { guildId: string; channelId: string }[];

function startReplica(name: string, shard: number): Replica {
  const replica = {
    name,
    ...startMain({
      PASSAGE_CORPUS_DIR: join(root, name, "corpus"),
      PASSAGE_DATA_DIR: join(root, name, "data"),
      DISCORD_TOKEN: fake.token,
      DISCORD_API_URL: fake.apiBase,
      DATABASE_URL: databaseUrl,
      SHARD_COUNT: "2",
      SHARD_IDS: String(shard),
      CORPUS_POLL_SECONDS: "5",
      // One test user asks in quick succession.
      ASK_COOLDOWN_SECONDS: "0",
      // Attachments come from the loopback Discord's CDN.
      CORPUS_FETCH_ALLOW_PRIVATE: "1",
    }),
  };
  replicas.push(replica);
  return replica;
}

/** Waits for the replica's `discord.ready` (a plain loop: beforeAll has no expect.poll). */
async function ready(replica: Replica): Promise<void> {
  const started = Date.now();
  while (!replica.logs().some((l) => l.event === "discord.ready")) {
    if (replica.child.exitCode !== null || Date.now() - started > 90_000)
      throw new Error(`${replica.name} did not get ready: ${JSON.stringify(replica.logs().slice(-5))}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The reply to an interaction: its callback's message, or the deferred reply's final edit. */
async function replyTo(id: string, done: (m: MessageBody) => boolean, timeoutMs = 15_000): Promise<MessageBody> {
  const callback = await fake.waitForCall(
    (c: RecordedCall) => c.method === "POST" && c.path.startsWith(`/interactions/${id}/`),
    timeoutMs,
  );
  const body = callback.body as { type: number; data: MessageBody };
  if (body.type !== 5) return body.data;
  const started = Date.now();
  for (;;) {
    const original = (fake.originalOf(id) ?? null) as MessageBody | null;
    if (original && done(original)) return original;
    if (Date.now() - started > timeoutMs) throw new Error(`no final reply to ${id}: ${JSON.stringify(original)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function ask(guild: { guildId: string; channelId: string }, question: string): string {
  return fake.pushInteraction(chatInput({ name: "ask", options: { question }, guild })).id;
}

const answered = (m: MessageBody) => (m.embeds?.length ?? 0) > 0;

beforeAll(async () => {
  server = await startPostgres();
  databaseUrl = await server.createDatabase();
  fake = await startFakeDiscord();
  const defaultGuild = { guildId: DEFAULT_IDS.guildId, channelId: DEFAULT_IDS.channelId };
  const other = fake.addGuild({ shard: 1 - shardOfGuild(DEFAULT_IDS.guildId, 2), count: 2 });
  guilds = shardOfGuild(DEFAULT_IDS.guildId, 2) === 0 ? [defaultGuild, other] : [other, defaultGuild];
  root = await mkdtemp(join(tmpdir(), "passage-replicas-"));
  // Replica 0 has the seed article and seeds the shared corpus; replica 1 starts with an empty
  // corpus folder and takes the shared one.
  await cp(SEED_CORPUS, join(root, "r0", "corpus"), { recursive: true });
  await mkdir(join(root, "r1", "corpus"), { recursive: true });
  // A daily briefing in each guild, due since yesterday: caught up once the replicas are ready.
  const store = await openPostgresStore(databaseUrl, { logger: silentLogger });
  const yesterday = new Date(Date.now() - 24 * 3600_000);
  const minuteOfDay = yesterday.getUTCHours() * 60 + yesterday.getUTCMinutes();
  for (const g of guilds)
    await store.schedules.add(
      newSubscription(
        { ...g, topic: "Taiwan", points: 3, cadence: "daily", minuteOfDay, createdBy: DEFAULT_IDS.userId },
        new Date(yesterday.getTime() - 60_000),
      ),
    );
  await store.close();
  const r0 = startReplica("r0", 0);
  await ready(r0);
  const r1 = startReplica("r1", 1);
  await ready(r1);
}, 180_000);

afterAll(async () => {
  for (const r of replicas) if (r.child.exitCode === null) r.child.kill("SIGKILL");
  await Promise.all(replicas.map((r) => r.exited));
  await fake?.close();
  await server?.stop();
  await rm(root, { recursive: true, force: true });
});

describe("two replicas, one shard each, sharing PostgreSQL", () => {
  it("answers each guild's interactions from exactly one process", async () => {
    const [g0, g1] = guilds as [(typeof guilds)[0], (typeof guilds)[0]];
    const ids = [ask(g0, "Where was the meeting held?"), ask(g1, "Where was the meeting held?")];
    for (const id of ids) {
      const reply = await replyTo(id, answered);
      expect(JSON.stringify(reply.embeds)).toMatch(/Diaoyutai/);
      expect(fake.deliveryOf(id)).toHaveLength(1);
      expect(fake.calls.filter((c) => c.method === "POST" && c.path.startsWith(`/interactions/${id}/`))).toHaveLength(
        1,
      );
    }
    // Delivered to two different connections: one process per shard.
    expect(new Set(ids.flatMap((id) => fake.deliveryOf(id))).size).toBe(2);
  }, 60_000);

  it("posts each guild's scheduled briefing exactly once", async () => {
    for (const g of guilds)
      await expect.poll(() => fake.channelMessages(g.channelId).length, { timeout: 30_000 }).toBeGreaterThan(0);
    // Give a second post every chance to happen (both processes poll the schedules).
    await new Promise((resolve) => setTimeout(resolve, 3000));
    for (const g of guilds) expect(fake.channelMessages(g.channelId)).toHaveLength(1);
    const posted = replicas.flatMap((r) =>
      r
        .logs()
        .filter((l) => l.event === "schedule.posted")
        .map((l) => l.guildId),
    );
    expect(posted.sort()).toEqual(guilds.map((g) => g.guildId).sort());
  }, 60_000);

  it("serves an article added through one process from both within a minute", async () => {
    const [g0, g1] = guilds as [(typeof guilds)[0], (typeof guilds)[0]];
    const file = fake.upload({ name: "kelp.md", data: KELP_MD, contentType: "text/markdown" });
    const started = Date.now();
    const add = fake.pushInteraction(
      chatInput({ name: "corpus", subcommand: "add", options: { file }, memberPermissions: MODERATOR, guild: g0 }),
    ).id;
    const added = await replyTo(
      add,
      (m) => answered(m) || ((m.content ?? "") !== "" && !(m.content ?? "").endsWith("…")),
      60_000,
    );
    expect(added.embeds?.[0]?.title ?? added.content).toMatch(/^Added Kelp forests/);
    // The other replica learns of it by NOTIFY, pulls it and reindexes.
    await expect
      .poll(() => replicas[1]?.logs().some((l) => l.event === "corpus.replica_updated"), {
        timeout: 60_000,
        interval: 100,
      })
      .toBe(true);
    const propagatedMs = Date.now() - started;
    for (const g of [g0, g1]) {
      const reply = await replyTo(ask(g, "What do sea otters eat?"), answered);
      expect(JSON.stringify(reply.embeds)).toMatch(/sea urchins/);
    }
    expect(propagatedMs).toBeLessThan(60_000);
    // Both serve the same corpus: /status shows the same checksum in each guild.
    const checksums: string[] = [];
    for (const g of [g0, g1]) {
      const reply = await replyTo(fake.pushInteraction(chatInput({ name: "status", guild: g })).id, answered);
      const corpus = reply.embeds?.[0]?.fields?.find((f) => f.name === "Corpus")?.value ?? "";
      expect(corpus).toMatch(/ · shared version \d+$/);
      checksums.push(corpus.match(/[0-9a-f]{12,}/)?.[0] ?? "");
    }
    expect(checksums[0]).not.toBe("");
    expect(checksums[0]).toBe(checksums[1]);
  }, 120_000);

  it("keeps answering while PostgreSQL is away, logging the failed writes, and records again once it is back", async () => {
    const [, g1] = guilds as [(typeof guilds)[0], (typeof guilds)[0]];
    const r1 = replicas[1];
    await server.halt();
    try {
      const reply = await replyTo(ask(g1, "Where was the meeting held?"), answered, 30_000);
      expect(JSON.stringify(reply.embeds)).toMatch(/Diaoyutai/);
      await expect
        .poll(() => r1?.logs().some((l) => l.event === "feedback.record_failed"), { timeout: 20_000 })
        .toBe(true);
    } finally {
      await server.resume();
    }
    await expect
      .poll(
        async () => {
          const reply = await replyTo(ask(g1, "Where was the meeting held?"), answered, 30_000);
          // Recorded again: the answer carries the vote buttons the log makes possible.
          return JSON.stringify(reply).includes("vote:up:");
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toBe(true);
  }, 120_000);

  it("keeps serving its own shard after the other process is killed", async () => {
    const [g0, g1] = guilds as [(typeof guilds)[0], (typeof guilds)[0]];
    replicas[0]?.child.kill("SIGKILL");
    await replicas[0]?.exited;
    const reply = await replyTo(ask(g1, "Where was the meeting held?"), answered);
    expect(JSON.stringify(reply.embeds)).toMatch(/Diaoyutai/);
    // The dead process's guild gets no answer from the survivor (it does not serve that shard).
    const orphan = ask(g0, "Where was the meeting held?");
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(fake.undelivered()).toContain(orphan);
  }, 60_000);
});
