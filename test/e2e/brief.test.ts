/**
 * /brief end to end: the real discord.js Client, our real handlers, index and embedder,
 * against the loopback fake Discord. Only the network peer is fake.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MessageFlags, type APIInteractionResponseCallbackData } from "discord.js";
import type { DiscordConfig } from "../../src/config.js";
import { Bot } from "../../src/discord/bot.js";
import { makeStack, type TestStack } from "../helpers/services.js";
import { button, chatInput, startFakeDiscord, type FakeDiscord, type RecordedCall } from "./fake-discord.js";


let fake: FakeDiscord;
let stack: TestStack;
let bot: Bot | null = null;

beforeEach(async () => {
  [fake, stack] = await Promise.all([startFakeDiscord(), makeStack()]);
});

afterEach(async () => {
  await bot?.stop();
  bot = null;
  await fake.close();
  await stack.cleanup();
});

async function startBot(): Promise<void> {
  const discord: DiscordConfig = { token: fake.token, applicationId: null, guildId: null, apiUrl: fake.apiBase, moderatorRoleIds: [], cooldownSeconds: 0 };
  bot = new Bot({ discord, services: stack.services, logger: stack.services.logger });
  await bot.start();
}

/** A response's message, as discord.js sends it; buttons read through `customIds`. */
type MessageBody = Omit<APIInteractionResponseCallbackData, "components"> & { components?: { components: { custom_id: string }[] }[] };

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
    expect(file?.text).toContain(`- Corpus version: ${checksum}, built ${stack.services.indexes.current.manifest.builtAt}`);
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
    const { message, call } = await run({ name: "brief", options: { topic: "@everyone <@&1310000000000000444> [Taiwan](https://evil.example)" } });
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
