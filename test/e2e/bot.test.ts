/**
 * The bot end to end: the real discord.js Client, our real command handlers, index and
 * embedder, against the loopback fake Discord. Only the network peer is fake.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type APIEmbed, embedLength, MessageFlags, PermissionFlagsBits } from "discord.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  button,
  chatInput,
  DEFAULT_IDS,
  DEFAULT_MEMBER_PERMISSIONS,
  DISCORD_ERRORS,
  discordConfigFor,
  type FakeDiscord,
  modalSubmit,
  type RecordedCall,
  startFakeDiscord,
} from "../../scripts/lib/loopback-discord/index.js";
import type { DiscordConfig } from "../../src/config.js";
import { Bot } from "../../src/discord/bot.js";
import { LocalEmbeddings } from "../../src/embed/local-embeddings.js";
import { live } from "../helpers/live-index.js";
import { makeStack, type TestStack } from "../helpers/services.js";

const MODERATOR_ROLE = "1310000000000000444";
const MANAGE_GUILD = DEFAULT_MEMBER_PERMISSIONS | PermissionFlagsBits.ManageGuild;

let fake: FakeDiscord;
let stack: TestStack;
let bot: Bot;

async function startBot(
  overrides: Partial<DiscordConfig> = {},
  stackOptions: Parameters<typeof makeStack>[0] = {},
): Promise<void> {
  stack = await makeStack(stackOptions);
  const discord = discordConfigFor(fake, { moderatorRoleIds: [MODERATOR_ROLE], ...overrides });
  bot = new Bot({ discord, services: stack.services, logger: stack.services.logger });
  await bot.start();
}

beforeEach(async () => {
  fake = await startFakeDiscord();
});

afterEach(async () => {
  await bot?.stop();
  await fake.close();
  await stack?.cleanup();
});

/** The first response to an interaction: its callback (type 4 reply, 5 defer, 7 update). */
function callbackOf(id: string): Promise<RecordedCall> {
  return fake.waitForCall((c) => c.method === "POST" && c.path.startsWith(`/interactions/${id}/`), 5000);
}

interface MessageBody {
  content?: string;
  embeds?: APIEmbed[];
  components?: { components: { custom_id: string; label: string }[] }[];
  flags?: number;
  allowed_mentions?: { parse: string[] };
}

function messageOf(call: RecordedCall): MessageBody {
  const body = call.body as { type?: number; data?: MessageBody } & MessageBody;
  return body.data ?? body;
}

async function askBot(
  question: string,
  extra: Parameters<typeof chatInput>[0] = { name: "ask" },
): Promise<{ call: RecordedCall; message: MessageBody }> {
  const { id } = fake.pushInteraction(
    chatInput({ ...extra, name: "ask", options: { question, ...(extra.options as object | undefined) } }),
  );
  const call = await callbackOf(id);
  return { call, message: messageOf(call) };
}

/** The passage buttons under an answer: every row but the last, which holds the feedback buttons. */
function passageButtons(message: MessageBody): { custom_id: string; label: string }[] {
  return message.components?.slice(0, -1).flatMap((r) => r.components) ?? [];
}

function everyBotMessage(): MessageBody[] {
  return fake.calls
    .filter((c) => c.method !== "GET" && (c.path.startsWith("/interactions/") || c.path.startsWith("/webhooks/")))
    .map(messageOf);
}

describe("/ask", () => {
  beforeEach(() => startBot());

  it("replies in one call with the cited answer, its sources and passage buttons", async () => {
    const { call, message } = await askBot("Whom did Blinken meet first?");
    expect((call.body as { type: number }).type).toBe(4); // a reply, not a deferral
    expect(message.allowed_mentions).toEqual({ parse: [] });
    expect(message.flags ?? 0).toBe(0);
    const embed = message.embeds?.[0];
    expect(embed?.description).toContain("met his Chinese counterpart");
    expect(embed?.description).toMatch(/\*\*\[1\]\*\*/);
    expect(embed?.fields?.[0]?.name).toMatch(/Sources — \[1\] Blinken’s visit to China — An Analysis · ¶ 1/);
    expect(embed?.fields?.[0]?.value).toContain("met his Chinese counterpart");
    expect(embed?.footer?.text).toMatch(/Quoted from the corpus · extractive/);
    const buttons = passageButtons(message);
    expect(buttons.map((b) => b.label)).toEqual(embed?.fields?.map((_, i) => `Passage ${i + 1}`));
    expect(buttons[0]?.custom_id).toMatch(/^passage:[0-9a-f]{16}$/);
    // This stack runs without an answer log: no vote buttons, and Follow up reads the answer's title.
    expect(message.components?.at(-1)?.components.map((b) => [b.label, b.custom_id])).toEqual([
      ["Follow up", "follow-up:-"],
    ]);
  });

  it("shows the full cited passage, only to whoever presses its button", async () => {
    const { message } = await askBot("What did China ban in response to the chip restrictions?");
    const customId = message.components?.[0]?.components[0]?.custom_id ?? "";
    const { id } = fake.pushInteraction(button({ customId, userId: "1310000000000000777" }));
    const reply = messageOf(await callbackOf(id));
    expect(reply.flags).toBe(MessageFlags.Ephemeral);
    expect(reply.embeds?.[0]?.description).toContain(
      "China responded by enacting its own ban on computer memory chips sold by Micron, the largest US manufacturer.",
    );
    expect(reply.embeds?.[0]?.title).toMatch(/¶ 22/);
  });

  it("follows up an answer the log did not record, from the answer's own title", async () => {
    const { call } = await askBot("What did China say about fentanyl?");
    const askId = call.path.split("/")[2] ?? "";
    const original = fake.originalOf(askId) ?? undefined;
    const pressed = fake.pushInteraction(button({ customId: "follow-up:-", message: original }));
    const modal = await callbackOf(pressed.id);
    expect((modal.body as { type: number }).type).toBe(9);
    const { id } = fake.pushInteraction(
      modalSubmit({
        modal: fake.modalOf(pressed.id) ?? {},
        values: { question: "and what about Taiwan?" },
        message: original,
      }),
    );
    const reply = messageOf(await callbackOf(id));
    expect(reply.embeds?.[0]?.title).toBe("What did China say about Taiwan?");
    expect(reply.flags ?? 0).toBe(0); // as public as the answer it follows
  });

  it("keeps a private answer ephemeral", async () => {
    const { message } = await askBot("What is the rate of overdose deaths?", {
      name: "ask",
      options: { private: true },
    });
    expect(message.flags).toBe(MessageFlags.Ephemeral);
    expect(message.embeds?.[0]?.description).toContain("tripled");
  });

  it("answers “what is this article about?” with an overview: three bulleted points, cited, with their sources", async () => {
    const { message } = await askBot("what is this article about?");
    const embed = message.embeds?.[0];
    expect(embed?.description).toMatch(/^An overview of the article, in 3 key points:\n/);
    expect(embed?.description?.match(/^• .+ \*\*\[\d\]\*\*$/gm)).toHaveLength(3);
    expect(embed?.fields?.[0]?.name).toMatch(/^Sources — \[1\] Blinken’s visit to China — An Analysis · ¶ \d+/);
    expect(embed?.footer?.text).toMatch(/^Overview of the corpus, quoted from it · extractive briefing/);
    const buttons = passageButtons(message);
    expect(buttons.map((b) => b.label)).toEqual(embed?.fields?.map((_, i) => `Passage ${i + 1}`));
  });

  it("says plainly when the article does not answer, and still shows the closest passages", async () => {
    const { message } = await askBot("Who is the prime minister of the UK?");
    const embed = message.embeds?.[0];
    expect(embed?.description).toMatch(/^The article doesn't say\./);
    expect(embed?.fields?.[0]?.name).toMatch(/^Closest passages — \[1\]/);
    expect(embed?.footer?.text).toMatch(/No answer in the corpus/);
    expect(message.components?.[0]?.components.length).toBeGreaterThan(0);
  });

  it("explains an empty question privately instead of answering", async () => {
    const { message } = await askBot("   \u0000 ");
    expect(message.flags).toBe(MessageFlags.Ephemeral);
    expect(message.content).toMatch(/Please ask a question/);
    expect(stack.logs.some((l) => l.event === "interaction.refused" && l.code === "EMPTY_QUESTION")).toBe(true);
  });

  it("turns hostile questions into harmless text: no mention, no masked link, no crash", async () => {
    const hostile = [
      "@everyone what about Taiwan?",
      `<@&${MODERATOR_ROLE}> <@${DEFAULT_IDS.userId}> @here tariffs?`,
      "[click me](https://evil.example) **fentanyl** # heading",
      "\u0007\u001b[31mTaiwan\u0000 strait\u202e?",
      "x".repeat(10_000),
    ];
    for (const q of hostile) await askBot(q);
    const messages = everyBotMessage();
    expect(messages).toHaveLength(hostile.length);
    for (const m of messages) {
      expect(m.allowed_mentions).toEqual({ parse: [] });
      const text = JSON.stringify(m);
      expect(text).not.toMatch(/(?<!\\u200b)@everyone|(?<!\\u200b)@here/);
      expect(text).not.toMatch(/<@&?\d/);
      expect(text).not.toContain("](https://evil.example)");
    }
    expect(messages[4]?.content).toMatch(/10000 characters long/);
    expect(messages[4]?.flags).toBe(MessageFlags.Ephemeral);
  });

  it("answers 50 concurrent questions, each in one reply with its own answer", async () => {
    // How fast is bench-discord's to measure; this is about 50 in flight not mixing up.
    const questions = [
      "What is Taiwan to China?",
      "Why did the February visit get called off?",
      "What are the main issues?",
      "Where was the meeting held?",
      "What about fentanyl?",
    ];
    const pushed = Array.from({ length: 50 }, (_, i) => {
      const question = questions[i % questions.length] ?? "";
      const { id } = fake.pushInteraction(
        chatInput({ name: "ask", userId: `13100000000000${String(10000 + i)}`, options: { question } }),
      );
      return { id, question };
    });
    const calls = await Promise.all(pushed.map((p) => callbackOf(p.id)));
    calls.forEach((call, i) => {
      expect((call.body as { type: number }).type).toBe(4);
      expect(messageOf(call).embeds?.map((e) => e.title)).toEqual([pushed[i]?.question]);
    });
  });

  it("tells an over-eager user how long to wait", async () => {
    await bot.stop();
    await stack.cleanup();
    await startBot({ cooldownSeconds: 30 });
    await askBot("What about Taiwan?");
    const { message } = await askBot("And fentanyl?");
    expect(message.flags).toBe(MessageFlags.Ephemeral);
    expect(message.content).toMatch(/please wait (29|30) s/);
  });

  it("answers a button it does not know privately instead of leaving it to fail silently", async () => {
    for (const customId of ["retired-kind:123", "no-colon-at-all"]) {
      const { id } = fake.pushInteraction(button({ customId }));
      const reply = messageOf(await callbackOf(id));
      expect(reply.flags).toBe(MessageFlags.Ephemeral);
      expect(reply.content).toMatch(/doesn't do anything any more/);
    }
  });

  it("answers about an unpunctuated 1 MB article, and another member's question alongside it", async () => {
    const words = Array.from({ length: 150_000 }, (_, i) => `lanthanum${i % 89} shipments`);
    await writeFile(join(stack.corpusDir, "run-on.txt"), `${words.join(" ")}\n`);
    await stack.services.indexes.rebuild();
    const passages = stack.services.indexes.current.passages.filter((p) => p.metadata.source === "run-on.txt");
    expect(passages.length).toBeGreaterThan(250);
    for (const p of passages) expect(p.pageContent.length).toBeLessThanOrEqual(4000);

    const about = fake.pushInteraction(
      chatInput({ name: "ask", options: { question: "What about lanthanum7 shipments?" } }),
    );
    const other = fake.pushInteraction(
      chatInput({ name: "ask", userId: "1310000000000000777", options: { question: "Where was the meeting held?" } }),
    );
    const [aboutReply, otherReply] = await Promise.all([callbackOf(about.id), callbackOf(other.id)]);
    expect(messageOf(otherReply).embeds?.[0]?.description).toContain("Diaoyutai State Guest House");
    const embed = messageOf(aboutReply).embeds?.[0];
    expect(embedLength(embed ?? {})).toBeLessThanOrEqual(6000);
    // Its sources quote the run-on article, cut to an excerpt.
    expect(embed?.fields?.some((f) => f.value.includes("lanthanum7"))).toBe(true);
    const passage = fake.pushInteraction(
      button({ customId: messageOf(aboutReply).components?.[0]?.components[0]?.custom_id ?? "" }),
    );
    expect(messageOf(await callbackOf(passage.id)).embeds?.[0]?.description?.length).toBeLessThanOrEqual(4096);
  });

  it("logs an expired interaction instead of crashing, and keeps serving", async () => {
    fake.failNext(/^POST \/interactions\//, 404, DISCORD_ERRORS.unknownInteraction, { times: 2 });
    const { id } = fake.pushInteraction(chatInput({ name: "ask", options: { question: "What about Taiwan?" } }));
    await fake.waitForCall((c) => c.path.startsWith(`/interactions/${id}/`) && c.status === 404, 5000);
    await expect
      .poll(() => stack.logs.some((l) => l.event === "interaction.reply_failed" && l.interactionId === id), {
        timeout: 5000,
      })
      .toBe(true);
    expect(stack.logs.some((l) => l.event === "interaction.failed" && l.interactionId === id)).toBe(true);
    const { message } = await askBot("What about Taiwan?");
    expect(message.embeds?.[0]?.description).toContain("Taiwan");
  });
});

describe("/status", () => {
  beforeEach(() => startBot());

  it("reports the index, embedder, uptime and version", async () => {
    const { id } = fake.pushInteraction(chatInput({ name: "status" }));
    const embed = messageOf(await callbackOf(id)).embeds?.[0];
    const field = (name: string) => embed?.fields?.find((f) => f.name === name)?.value;
    expect(field("Articles")).toBe("1");
    expect(field("Passages")).toBe("31");
    expect(field("Embedder")).toMatch(/local-v1/);
    expect(field("Version")).toBe("test");
    expect(field("Uptime")).toMatch(/\d+ s/);
  });
});

/** An embedder whose document embedding waits for the test to open the gate: a reindex in slow motion. */
class GatedEmbeddings extends LocalEmbeddings {
  private release: (() => void) | null = null;
  gate: Promise<void> | null = null;
  fail = false;
  close(): void {
    this.gate = new Promise((resolve) => (this.release = resolve));
  }
  open(): void {
    this.release?.();
    this.gate = null;
  }
  override async embedDocuments(documents: string[]): Promise<number[][]> {
    if (this.gate) await this.gate;
    if (this.fail) throw new Error("the embedder broke mid-build");
    return super.embedDocuments(documents);
  }
}

describe("/reindex", () => {
  const embedder = new GatedEmbeddings();
  beforeEach(() => startBot({}, { embedding: { embedder, concepts: null } }));

  async function reindexAs(
    member: Parameters<typeof chatInput>[0],
  ): Promise<{ id: string; token: string; first: MessageBody }> {
    const pushed = fake.pushInteraction(chatInput({ ...member, name: "reindex" }));
    return { ...pushed, first: messageOf(await callbackOf(pushed.id)) };
  }

  /** The last edit of the interaction's original reply. */
  async function finalEdit(token: string, pattern: RegExp): Promise<string> {
    const call = await fake.waitForCall(
      (c) =>
        c.method === "PATCH" &&
        c.path.includes(`/${token}/messages/@original`) &&
        pattern.test(messageOf(c).content ?? ""),
      10_000,
    );
    return messageOf(call).content ?? "";
  }

  it("is registered for Manage Server and refused at run time to a plain member", async () => {
    const { first } = await reindexAs({ name: "reindex", memberPermissions: DEFAULT_MEMBER_PERMISSIONS });
    expect(first.flags).toBe(MessageFlags.Ephemeral);
    expect(first.content).toMatch(/Only moderators/);
    expect(stack.services.indexes.rebuilding).toBe(false);
  });

  it("runs for a member with a moderator role, answering from the old index meanwhile and the new one after", async () => {
    const added =
      "---\ntitle: Panda diplomacy\n---\nThe zoo in Washington returned its giant pandas to China in November.\n";
    await writeFile(join(stack.corpusDir, "pandas.md"), added);
    const before = await askBot("What happened to the giant pandas?");
    expect(before.message.embeds?.[0]?.description).toMatch(/doesn't say/);

    embedder.close();
    const { token, first } = await reindexAs({
      name: "reindex",
      memberPermissions: DEFAULT_MEMBER_PERMISSIONS,
      roles: [MODERATOR_ROLE],
    });
    expect(first.content).toMatch(/Reindexing/);
    await expect.poll(() => stack.services.indexes.rebuilding).toBe(true);
    // Progress shows by editing the reply while the build waits.
    expect(await finalEdit(token, /^Reindexing… Read 2 articles/)).toMatch(/Read 2 articles/);

    // While the rebuild waits, questions are answered from the current index.
    const during = await askBot("Where was the meeting held?");
    expect(during.message.embeds?.[0]?.description).toContain("Diaoyutai State Guest House");
    // And a second reindex is told one is running.
    const second = await reindexAs({ name: "reindex", memberPermissions: MANAGE_GUILD });
    expect(second.first.content).toMatch(/already running/);

    embedder.open();
    const done = await finalEdit(token, /finished/);
    expect(done).toMatch(/Indexed 2 articles into 32 passages/);
    expect(done).toMatch(/articles added: pandas\.md/);
    expect(done).toMatch(/passages \+1 \/ −0/);
    const after = await askBot("What happened to the giant pandas?");
    expect(after.message.embeds?.[0]?.description).toContain("returned its giant pandas to China");

    // The edits carry the client's allowedMentions too, though no call sets it.
    const edits = fake.calls.filter((c) => c.method === "PATCH" && c.path.includes(`/${token}/`)).map(messageOf);
    expect(edits.length).toBeGreaterThanOrEqual(2);
    for (const edit of edits) expect(edit.allowed_mentions).toEqual({ parse: [] });
  });

  it("lets only one of two /reindex at once start: the other is told one is already running", async () => {
    await writeFile(
      join(stack.corpusDir, "pandas.md"),
      "---\ntitle: Panda diplomacy\n---\nThe zoo returned its giant pandas.\n",
    );
    embedder.close();
    try {
      // Both arrive before either reply is sent: the check and the claim must be one step.
      const first = fake.pushInteraction(chatInput({ name: "reindex", memberPermissions: MANAGE_GUILD }));
      const second = fake.pushInteraction(chatInput({ name: "reindex", memberPermissions: MANAGE_GUILD }));
      const replies = [messageOf(await callbackOf(first.id)), messageOf(await callbackOf(second.id))];
      expect(replies.filter((r) => /^Reindexing the corpus/.test(r.content ?? ""))).toHaveLength(1);
      const refused = replies.find((r) => /already running/.test(r.content ?? ""));
      expect(refused).toMatchObject({ flags: MessageFlags.Ephemeral, allowed_mentions: { parse: [] } });
      expect(stack.services.indexes.rebuilding).toBe(true);
    } finally {
      embedder.open();
    }
    await fake.waitForCall((c) => c.method === "PATCH" && /Reindex finished/.test(messageOf(c).content ?? ""), 10_000);
  });

  it("escapes hostile file names in its summary: no mention, no formatting", async () => {
    await writeFile(
      join(stack.corpusDir, "@everyone **loud** <@1310000000000000777>.md"),
      "---\ntitle: Panda diplomacy\n---\nThe zoo returned its giant pandas.\n",
    );
    const { token } = await reindexAs({ name: "reindex", memberPermissions: MANAGE_GUILD });
    const done = await finalEdit(token, /finished/);
    expect(done).toMatch(/articles added: @\u200beveryone \\\*\\\*loud\\\*\\\* <\u200b@1310000000000000777>\.md/);
    expect(done).not.toMatch(/@everyone|<@\d/);
  });

  it("keeps serving the old index when a rebuild fails, and reports the error", async () => {
    // A new article, so the (incremental) rebuild has something to embed.
    await writeFile(
      join(stack.corpusDir, "pandas.md"),
      "---\ntitle: Panda diplomacy\n---\nThe zoo returned its giant pandas.\n",
    );
    embedder.fail = true;
    const { token } = await reindexAs({ name: "reindex", memberPermissions: MANAGE_GUILD });
    const report = await finalEdit(token, /failed/);
    expect(report).toMatch(/the embedder broke mid-build/);
    expect(report).toMatch(/previous index is still serving/);
    embedder.fail = false;
    const { message } = await askBot("Where was the meeting held?");
    expect(message.embeds?.[0]?.description).toContain("Diaoyutai");
    expect(JSON.parse(await readFile(join(live(stack.indexDir), "manifest.json"), "utf8")).passageCount).toBe(31);
  });
});
