/**
 * /brief, /brief-schedule and scheduled posts end to end: the real discord.js Client, our real
 * handlers, index, embedder and SQLite store, against the loopback fake Discord. Only the
 * network peer, the wall clock and the scheduler's timer are fake.
 */
import { join } from "node:path";
import { type APIInteractionResponseCallbackData, MessageFlags, PermissionFlagsBits } from "discord.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  button,
  chatInput,
  DEFAULT_IDS,
  DEFAULT_MEMBER_PERMISSIONS,
  discordConfigFor,
  type FakeDiscord,
  type RecordedCall,
  startFakeDiscord,
} from "../../scripts/lib/loopback-discord/index.js";
import { Bot } from "../../src/discord/bot.js";
import { newSubscription } from "../../src/schedule/new-subscription.js";
import type { Timer } from "../../src/schedule/scheduler.js";
import { SCHEDULE_DB_FILE, SqliteScheduleStore } from "../../src/store/sqlite/schedules.js";
import { makeStack, type TestStack } from "../helpers/services.js";

const MANAGE_GUILD = DEFAULT_MEMBER_PERMISSIONS | PermissionFlagsBits.ManageGuild;
/** Never fires: these tests move the clock and restart instead of waiting. */
const idleTimer: Timer = { set: () => null, clear: () => undefined };

let fake: FakeDiscord;
let stack: TestStack;
let store: SqliteScheduleStore;
let bot: Bot | null = null;
let clock: Date;

beforeEach(async () => {
  [fake, stack] = await Promise.all([startFakeDiscord(), makeStack()]);
  store = SqliteScheduleStore.open(join(stack.root, "data", SCHEDULE_DB_FILE));
  clock = new Date("2025-06-18T12:00:00Z");
});

afterEach(async () => {
  await bot?.stop();
  bot = null;
  store.close();
  await fake.close();
  await stack.cleanup();
});

async function startBot(): Promise<void> {
  bot = new Bot({
    discord: discordConfigFor(fake),
    services: stack.services,
    logger: stack.services.logger,
    schedules: { store, now: () => clock, timer: idleTimer },
  });
  await bot.start();
}

/** A response's message, as discord.js sends it; buttons read through `customIds`. */
type MessageBody = Omit<APIInteractionResponseCallbackData, "components"> & {
  components?: { components: { custom_id: string }[] }[];
};

/** Pushes a slash command and resolves with the first response to it. */
async function run(options: Parameters<typeof chatInput>[0]): Promise<{ call: RecordedCall; message: MessageBody }> {
  const { id } = fake.pushInteraction(chatInput(options));
  const call = await fake.waitForCall((c) => c.method === "POST" && c.path.startsWith(`/interactions/${id}/`), 5000);
  const body = call.body as { data?: MessageBody };
  return { call, message: body.data ?? {} };
}

describe("/brief", () => {
  beforeEach(() => startBot());

  it("replies with the cited points, passage buttons and the briefing as a Markdown file", async () => {
    const { call, message } = await run({ name: "brief", options: { topic: "Taiwan", points: 4 } });
    expect((call.body as { type: number }).type).toBe(4);
    expect(message.allowed_mentions).toEqual({ parse: [] });
    const embed = message.embeds?.[0];
    expect(embed?.title).toBe("Briefing: Taiwan");
    expect(embed?.description).toMatch(/Taiwan.* \*\*\[1\]\*\*/);
    expect(embed?.fields?.[0]?.name).toBe("Sources");
    const checksum = stack.services.indexes.current.manifest.corpusChecksum.slice(0, 12);
    expect(embed?.footer?.text).toContain(`corpus ${checksum}`);
    const buttons = message.components?.flatMap((r) => r.components) ?? [];
    expect(buttons.length).toBeGreaterThan(0);
    expect(buttons.every((b) => /^passage:[0-9a-f]{16}$/.test(b.custom_id))).toBe(true);

    expect(call.files).toHaveLength(1);
    const file = call.files[0];
    expect(file?.name).toMatch(/^briefing-taiwan-\d{4}-\d{2}-\d{2}\.md$/);
    expect(file?.text).toMatch(/^# Briefing: Taiwan\n/);
    expect(file?.text).toContain(
      `- Corpus version: ${checksum}, built ${stack.services.indexes.current.manifest.builtAt}`,
    );
    expect(file?.text).toContain("  > China sees self-ruled Taiwan as a breakaway province");
    expect(file?.text).toMatch(/## Sources\n\n1\. Blinken’s visit to China — An Analysis, ¶ \d+/);

    // The buttons are /ask's: the full passage, privately.
    const { id } = fake.pushInteraction(button({ customId: buttons[0]?.custom_id ?? "" }));
    const shown = await fake.waitForCall((c) => c.path.startsWith(`/interactions/${id}/`), 5000);
    expect((shown.body as { data: MessageBody }).data.flags).toBe(MessageFlags.Ephemeral);
    expect(JSON.stringify(shown.body)).toContain("Taiwan");
  });

  it("briefs on the whole corpus without a topic", async () => {
    const { message, call } = await run({ name: "brief" });
    expect(message.embeds?.[0]?.title).toBe("Briefing: the whole corpus");
    expect(message.embeds?.[0]?.description).toMatch(/^6 key points from 1 article/);
    expect(call.files[0]?.name).toMatch(/^briefing-whole-corpus-/);
  });

  it("says plainly when the corpus does not cover the topic", async () => {
    const { message } = await run({ name: "brief", options: { topic: "cricket" } });
    expect(message.embeds?.[0]?.description).toMatch(/^The corpus does not cover “cricket”\./);
    expect(message.embeds?.[0]?.description).toContain("**Nearest passages**");
    expect(message.embeds?.[0]?.footer?.text).toMatch(/^Not covered by the corpus/);
  });

  it("turns a hostile topic into harmless text, and refuses one too long privately", async () => {
    const { message, call } = await run({
      name: "brief",
      options: { topic: "@everyone <@&1310000000000000444> [Taiwan](https://evil.example)" },
    });
    const text = JSON.stringify(message);
    expect(text).not.toMatch(/(?<!\\u200b)@everyone/);
    expect(text).not.toMatch(/<@&\d/);
    expect(text).not.toContain("](https://evil.example)");
    expect(call.files[0]?.name).toMatch(/^briefing-everyone-1310000000000000444-taiwan/);
    const long = await run({ name: "brief", options: { topic: "Taiwan ".repeat(60) } });
    expect(long.message.flags).toBe(MessageFlags.Ephemeral);
    expect(long.message.content).toMatch(/keep it under 200/);
  });
});

describe("/brief-schedule", () => {
  beforeEach(() => startBot());

  it("is registered for Manage Server and refused at run time to a plain member", async () => {
    const { message } = await run({
      name: "brief-schedule",
      subcommand: "add",
      memberPermissions: DEFAULT_MEMBER_PERMISSIONS,
      options: { topic: "Taiwan", every: "daily" },
    });
    expect(message.flags).toBe(MessageFlags.Ephemeral);
    expect(message.content).toMatch(/Only moderators/);
    expect(await store.list()).toHaveLength(0);
  });

  it("adds, lists and removes a channel's scheduled briefing", async () => {
    const added = await run({
      name: "brief-schedule",
      subcommand: "add",
      memberPermissions: MANAGE_GUILD,
      options: { topic: "fentanyl", every: "weekly", at: "17:30" },
    });
    expect(added.message.flags).toBe(MessageFlags.Ephemeral);
    expect(added.message.content).toMatch(
      /^Scheduled briefing #1: “fentanyl” in <#1310000000000000200>, weekly on Wednesday at 17:30 UTC\. The first is due <t:1750267800:F>/,
    );
    expect(await store.list()).toEqual([
      expect.objectContaining({
        id: 1,
        guildId: DEFAULT_IDS.guildId,
        channelId: DEFAULT_IDS.channelId,
        topic: "fentanyl",
        nextDueAt: "2025-06-18T17:30:00.000Z",
      }),
    ]);

    const listed = await run({ name: "brief-schedule", subcommand: "list", memberPermissions: MANAGE_GUILD });
    expect(listed.message.embeds?.[0]?.description).toMatch(
      /^\*\*#1\*\* “fentanyl” in <#1310000000000000200> · weekly on Wednesday at 17:30 UTC · next <t:1750267800:R> · not posted yet$/,
    );

    const bad = await run({
      name: "brief-schedule",
      subcommand: "add",
      memberPermissions: MANAGE_GUILD,
      options: { topic: "Taiwan", every: "daily", at: "25:00" },
    });
    expect(bad.message.content).toMatch(/not a time of day/);

    const removed = await run({
      name: "brief-schedule",
      subcommand: "remove",
      memberPermissions: MANAGE_GUILD,
      options: { id: 1 },
    });
    expect(removed.message.content).toBe("Removed scheduled briefing #1.");
    expect(await store.list()).toHaveLength(0);
    const again = await run({
      name: "brief-schedule",
      subcommand: "remove",
      memberPermissions: MANAGE_GUILD,
      options: { id: 1 },
    });
    expect(again.message.content).toMatch(/There is no scheduled briefing #1 in this server/);
  });
});

describe("a scheduled briefing", () => {
  it("arrives in its channel when the bot starts after its slot, once, with no mentions", async () => {
    await store.add(
      newSubscription(
        {
          guildId: DEFAULT_IDS.guildId,
          channelId: DEFAULT_IDS.channelId,
          topic: "Russia",
          points: 4,
          cadence: "daily",
          minuteOfDay: 9 * 60,
          createdBy: DEFAULT_IDS.userId,
        },
        clock,
      ),
    );
    clock = new Date("2025-06-19T09:00:05Z");
    await startBot();
    const posted = fake.channelMessages(DEFAULT_IDS.channelId);
    expect(posted).toHaveLength(1);
    expect(posted[0]?.content).toBe("Scheduled briefing #1 (daily at 09:00 UTC).");
    expect(posted[0]?.embeds[0]?.title).toBe("Briefing: Russia");
    expect(posted[0]?.embeds[0]?.description).toMatch(/Russia/);
    expect(posted[0]?.attachments[0]?.filename).toBe("briefing-russia-2025-06-19.md");
    const call = fake.calls.find(
      (c) => c.method === "POST" && c.path === `/channels/${DEFAULT_IDS.channelId}/messages`,
    );
    expect((call?.body as { allowed_mentions?: unknown } | undefined)?.allowed_mentions).toEqual({ parse: [] });

    // A restart later that day posts nothing more.
    await bot?.stop();
    clock = new Date("2025-06-19T10:00:00Z");
    await startBot();
    expect(fake.channelMessages(DEFAULT_IDS.channelId)).toHaveLength(1);
  });
});
