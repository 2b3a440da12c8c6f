/**
 * Feedback, follow-ups and "Ask Passage" end to end: the real discord.js Client and our real
 * handlers, a real answer log in a SQLite file, against the loopback Discord. Only the network
 * peer is fake; the log's clock is injected so a "week" of questions can be scripted.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { type APIEmbed, MessageFlags, PermissionFlagsBits } from "discord.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  button,
  chatInput,
  DEFAULT_IDS,
  DEFAULT_MEMBER_PERMISSIONS,
  discordConfigFor,
  type FakeDiscord,
  messageCommand,
  modalSubmit,
  type RecordedCall,
  startFakeDiscord,
} from "../../scripts/lib/loopback-discord/index.js";
import { Services } from "../../src/commands/services.js";
import type { DiscordConfig } from "../../src/config.js";
import { Bot } from "../../src/discord/bot.js";
import { type AnswerEntry, AnswerLog, FEEDBACK_DB_FILE } from "../../src/feedback/answer-log.js";
import { makeStack, type TestStack } from "../helpers/services.js";

const OTHER_USER = "1310000000000000777";
const MANAGE_GUILD = DEFAULT_MEMBER_PERMISSIONS | PermissionFlagsBits.ManageGuild;

let fake: FakeDiscord;
let stack: TestStack;
let bot: Bot;
let log: AnswerLog;
let dataDir: string;
/** The answer log's clock: tests move it to script a week of questions. */
let clock: Date;

async function startBot(overrides: Partial<DiscordConfig> = {}): Promise<void> {
  stack = await makeStack();
  dataDir = join(stack.root, "data");
  clock = new Date();
  log = await AnswerLog.open(dataDir, { now: () => clock });
  const base = stack.services;
  const services = new Services(
    base.indexes,
    base.embedder,
    base.concepts,
    base.logger,
    base.version,
    null,
    new Date(),
    log,
  );
  bot = new Bot({ discord: discordConfigFor(fake, overrides), services, logger: base.logger });
  await bot.start();
}

beforeEach(async () => {
  fake = await startFakeDiscord();
  await startBot();
});

afterEach(async () => {
  await bot?.stop();
  log?.close();
  await fake.close();
  await stack?.cleanup();
});

interface Button {
  custom_id?: string;
  label?: string;
  emoji?: { name?: string };
}

interface MessageBody {
  content?: string;
  embeds?: APIEmbed[];
  components?: { components: Button[] }[];
  flags?: number;
  allowed_mentions?: { parse: string[]; replied_user?: boolean };
  custom_id?: string;
  title?: string;
}

function callbackOf(id: string): Promise<RecordedCall> {
  return fake.waitForCall((c) => c.method === "POST" && c.path.startsWith(`/interactions/${id}/`), 5000);
}

function bodyOf(call: RecordedCall): { type: number; data: MessageBody } {
  return call.body as { type: number; data: MessageBody };
}

function buttonsOf(message: MessageBody): Button[] {
  return message.components?.flatMap((r) => r.components) ?? [];
}

function customId(message: MessageBody, kind: string): string {
  const found = buttonsOf(message).find((b) => b.custom_id?.startsWith(`${kind}:`))?.custom_id;
  if (!found) throw new Error(`no ${kind} button in ${JSON.stringify(message.components)}`);
  return found;
}

async function ask(
  question: string,
  userId: string = DEFAULT_IDS.userId,
): Promise<{ id: string; message: MessageBody }> {
  const { id } = fake.pushInteraction(chatInput({ name: "ask", userId, options: { question } }));
  return { id, message: bodyOf(await callbackOf(id)).data };
}

async function press(customIdValue: string, userId: string = DEFAULT_IDS.userId, from?: string) {
  const message = from ? (fake.originalOf(from) ?? undefined) : undefined;
  const { id } = fake.pushInteraction(button({ customId: customIdValue, userId, message }));
  return { id, ...bodyOf(await callbackOf(id)) };
}

/** The logged answer id a button's custom id carries (its last part). */
function answerIdIn(custom: string): string {
  return custom.split(":").at(-1) ?? "";
}

describe("feedback buttons on /ask", () => {
  it("puts 👍, 👎 and Follow up under every answer, abstentions included, after the passage buttons", async () => {
    for (const question of ["Where was the meeting held?", "Who is the prime minister of the UK?"]) {
      const { message } = await ask(question);
      const rows = message.components ?? [];
      const last = rows.at(-1)?.components ?? [];
      expect(last.map((b) => b.emoji?.name ?? b.label)).toEqual(["👍", "👎", "Follow up"]);
      expect(last[0]?.custom_id).toMatch(/^vote:up:[A-Za-z0-9_-]{6,}$/);
      const id = answerIdIn(last[0]?.custom_id ?? "");
      expect(last.map((b) => b.custom_id)).toEqual([`vote:up:${id}`, `vote:down:${id}`, `follow-up:${id}`]);
      expect((await log.get(id))?.question).toBe(question);
      expect(rows[0]?.components[0]?.label).toBe("Passage 1");
    }
  });

  it("records a vote once per person, says so privately, and changes it on a second press", async () => {
    const { message } = await ask("Where was the meeting held?");
    const up = customId(message, "vote:up");
    const down = customId(message, "vote:down");
    const first = await press(up);
    expect(first.type).toBe(4);
    expect(first.data.flags).toBe(MessageFlags.Ephemeral);
    expect(first.data.content).toMatch(/your 👍 is recorded/);
    expect((await log.usage()).votes).toEqual({ up: 1, down: 0 });

    const again = await press(up);
    expect(again.data.content).toMatch(/already voted 👍/);
    expect((await log.usage()).votes).toEqual({ up: 1, down: 0 });

    const changed = await press(down);
    expect(changed.data.content).toMatch(/from 👍 to 👎/);
    expect((await log.usage()).votes).toEqual({ up: 0, down: 1 });

    await press(up, OTHER_USER);
    expect((await log.usage()).votes).toEqual({ up: 1, down: 1 });
    for (const call of fake.calls.filter((c) => c.path.startsWith("/interactions/")))
      expect((call.body as { data?: MessageBody }).data?.allowed_mentions ?? { parse: [] }).toEqual({ parse: [] });
  });

  it("records a 👎 comment from the modal the 👎 acknowledgement offers", async () => {
    const { message } = await ask("Where was the meeting held?");
    const answerId = answerIdIn(customId(message, "vote:down"));
    const down = await press(customId(message, "vote:down"));
    expect(down.data.content).toMatch(/what was wrong/i);
    const open = await press(customId(down.data, "comment"));
    expect(open.type).toBe(9); // a modal
    expect(open.data.custom_id).toBe(`comment-modal:${answerId}`);
    const modal = fake.modalOf(open.id);
    const { id } = fake.pushInteraction(
      modalSubmit({ modal: modal ?? {}, values: { comment: "It quoted\nthe wrong paragraph" } }),
    );
    const thanks = bodyOf(await callbackOf(id));
    expect(thanks.data.flags).toBe(MessageFlags.Ephemeral);
    expect(thanks.data.content).toMatch(/recorded with your 👎/);
    const [row] = await log.gapRows(7);
    expect(row?.answerId).toBe(answerId);
    expect(row?.comments).toEqual(["It quoted the wrong paragraph"]);
  });

  it("refuses a comment longer than a question, privately, and stores nothing", async () => {
    const { message } = await ask("Where was the meeting held?");
    const down = await press(customId(message, "vote:down"));
    const open = await press(customId(down.data, "comment"));
    const { id } = fake.pushInteraction(
      modalSubmit({ modal: fake.modalOf(open.id) ?? {}, values: { comment: "x".repeat(501) } }),
    );
    const refused = bodyOf(await callbackOf(id));
    expect(refused.data.flags).toBe(MessageFlags.Ephemeral);
    expect(refused.data.content).toMatch(/501 characters long/);
    expect((await log.gapRows(7))[0]?.comments).toEqual([]);
  });

  it("says privately that an answer the log no longer holds cannot be voted on or followed up", async () => {
    const { message } = await ask("Where was the meeting held?");
    const up = customId(message, "vote:up");
    const follow = customId(message, "follow-up");
    expect(await log.forget(DEFAULT_IDS.userId)).toBe(1);
    for (const pressed of [await press(up), await press(follow)]) {
      expect(pressed.type).toBe(4);
      expect(pressed.data.flags).toBe(MessageFlags.Ephemeral);
      expect(pressed.data.content).toMatch(/no longer in the log/);
    }
  });

  it("counts votes on answers from before a restart", async () => {
    const { message } = await ask("Where was the meeting held?");
    await bot.stop();
    await log.close();
    log = await AnswerLog.open(dataDir, { now: () => clock });
    const base = stack.services;
    const services = new Services(
      base.indexes,
      base.embedder,
      base.concepts,
      base.logger,
      "test",
      null,
      new Date(),
      log,
    );
    bot = new Bot({ discord: discordConfigFor(fake), services, logger: base.logger });
    await bot.start();
    const pressed = await press(customId(message, "vote:up"));
    expect(pressed.data.content).toMatch(/recorded/);
    expect((await log.usage()).votes.up).toBe(1);
  });
});

describe("a log that cannot be written", () => {
  it("never stops an answer: it goes out without vote buttons, and /status says usage is not recorded", async () => {
    await log.close(); // every write and read now throws, as on a full disk or a broken file
    const { message } = await ask("Where was the meeting held?");
    expect(message.embeds?.[0]?.description).toContain("Diaoyutai State Guest House");
    expect(message.components?.at(-1)?.components.map((b) => [b.label, b.custom_id])).toEqual([
      ["Follow up", "follow-up:-"],
    ]);
    expect(stack.logs.some((l) => l.event === "feedback.record_failed")).toBe(true);
    const { id } = fake.pushInteraction(chatInput({ name: "status" }));
    const embed = bodyOf(await callbackOf(id)).data.embeds?.[0];
    expect(embed?.fields?.find((f) => f.name === "Usage")?.value).toBe("not recorded");
  });
});

describe("Follow up", () => {
  it("opens a modal and answers in the context of the previous question, showing the question as understood", async () => {
    const { message } = await ask("What did China say about fentanyl?");
    const previousId = answerIdIn(customId(message, "follow-up"));
    const open = await press(customId(message, "follow-up"), DEFAULT_IDS.userId);
    expect(open.type).toBe(9);
    expect(open.data.custom_id).toBe(`follow-up-modal:${previousId}`);
    expect(open.data.title).toBe("Follow up");
    const { id } = fake.pushInteraction(
      modalSubmit({ modal: fake.modalOf(open.id) ?? {}, values: { question: "and what about Taiwan?" } }),
    );
    const reply = bodyOf(await callbackOf(id));
    expect(reply.type).toBe(4);
    const embed = reply.data.embeds?.[0];
    expect(embed?.author?.name).toBe("Follow-up “and what about Taiwan?”, understood as:");
    expect(embed?.title).toBe("What did China say about Taiwan?");
    expect(embed?.description).toMatch(/Taiwan/);
    const followId = answerIdIn(customId(reply.data, "vote:up"));
    expect(await log.get(followId)).toMatchObject({
      question: "and what about Taiwan?",
      understoodAs: "What did China say about Taiwan?",
    });
    // A follow-up of the follow-up keeps the subject it was understood with.
    const second = await press(customId(reply.data, "follow-up"));
    expect(JSON.stringify(fake.modalOf(second.id))).toContain("After: What did China say about Taiwan?");
  });

  it("refuses an empty or over-long follow-up privately", async () => {
    const { message } = await ask("What did China say about fentanyl?");
    const open = await press(customId(message, "follow-up"));
    const { id } = fake.pushInteraction(
      modalSubmit({ modal: fake.modalOf(open.id) ?? {}, values: { question: "y".repeat(600) } }),
    );
    const reply = bodyOf(await callbackOf(id));
    expect(reply.data.flags).toBe(MessageFlags.Ephemeral);
    expect(reply.data.content).toMatch(/600 characters long/);
  });
});

describe("Ask Passage (message command)", () => {
  it("answers a message's text privately, then posts the answer publicly as a reply to it, pinging no one", async () => {
    const target = fake.postMemberMessage({ content: "Where was the meeting held? @everyone", userId: OTHER_USER });
    const { id } = fake.pushInteraction(messageCommand({ name: "Ask Passage", target }));
    const reply = bodyOf(await callbackOf(id));
    expect(reply.type).toBe(4);
    expect(reply.data.flags).toBe(MessageFlags.Ephemeral);
    expect(reply.data.embeds?.[0]?.description).toContain("Diaoyutai State Guest House");
    const publish = customId(reply.data, "publish");
    expect(publish).toMatch(new RegExp(`^publish:[A-Za-z0-9_-]+:${target.id}$`));
    expect(buttonsOf(reply.data).map((b) => b.emoji?.name ?? b.label)).toContain("👍");

    const pressed = await press(publish, DEFAULT_IDS.userId, id);
    expect(pressed.type).toBe(7); // the private answer updated: the button is gone
    expect(buttonsOf(pressed.data).some((b) => b.custom_id?.startsWith("publish:"))).toBe(false);
    const post = await fake.waitForCall(
      (c) => c.method === "POST" && c.path === `/channels/${DEFAULT_IDS.channelId}/messages`,
    );
    expect(post.status).toBe(200);
    expect(post.body).toMatchObject({
      message_reference: { message_id: target.id, channel_id: DEFAULT_IDS.channelId },
      allowed_mentions: { parse: [], replied_user: false },
    });
    const posted = fake.channelMessages(DEFAULT_IDS.channelId).at(-1);
    expect(posted?.referenced_message?.id).toBe(target.id);
    expect(posted?.embeds[0]?.description).toContain("Diaoyutai State Guest House");
    expect(JSON.stringify(posted?.components)).toMatch(/vote:up:/);
    expect(JSON.stringify(posted?.components)).not.toMatch(/publish:/);
  });

  it("says so privately when the message has no text", async () => {
    const target = fake.postMemberMessage({ content: "   " });
    const { id } = fake.pushInteraction(messageCommand({ name: "Ask Passage", target }));
    const reply = bodyOf(await callbackOf(id));
    expect(reply.data.flags).toBe(MessageFlags.Ephemeral);
    expect(reply.data.content).toMatch(/no text to ask about/);
  });
});

/** A logged answer for the scripted week, asked by `userId`. */
function entry(question: string, kind: AnswerEntry["kind"], userId: string): AnswerEntry {
  return {
    source: "discord",
    guildId: DEFAULT_IDS.guildId,
    channelId: DEFAULT_IDS.channelId,
    userId,
    question,
    understoodAs: null,
    kind,
    mode: "quoted",
    passageIds: [],
    corpusChecksum: "test",
    latencyMs: 3,
  };
}

describe("/gaps", () => {
  it("is refused for a plain member", async () => {
    const { id } = fake.pushInteraction(chatInput({ name: "gaps" }));
    const reply = bodyOf(await callbackOf(id));
    expect(reply.data.flags).toBe(MessageFlags.Ephemeral);
    expect(reply.data.content).toMatch(/Only moderators/);
  });

  it("lists a scripted week's merged near-duplicates with counts, most frequent first, with a CSV", async () => {
    const start = Date.now() - 7 * 86_400_000;
    const week: [string, AnswerEntry["kind"]][] = [
      ["Who is the prime minister of the UK?", "abstained"],
      ["who is the UK prime minister", "abstained"],
      ["Who's the prime minister of the United Kingdom?", "abstained"],
      ["What is the capital of Australia?", "abstained"],
      ["What's the capital city of Australia?", "abstained"],
      ["How tall is Mount Everest?", "abstained"],
    ];
    for (const [i, [question, kind]] of week.entries()) {
      clock = new Date(start + (i + 1) * 86_400_000 - 3_600_000);
      await log.record(entry(question, kind, `13100000000000${20000 + i}`));
    }
    // Two 👎 on answers to paraphrases of one question, citing a real passage, one with a comment.
    const cited = stack.services.indexes.current.passages[1]?.metadata.id ?? "";
    for (const [i, question] of ["Where were the talks held?", "where were the talks held"].entries()) {
      clock = new Date(start + (i + 2) * 86_400_000);
      const answer = await log.record({
        ...entry(question, "answer", `13100000000000${30000 + i}`),
        passageIds: [cited],
      });
      await log.vote(answer.id, OTHER_USER, "down");
      if (i === 0) await log.comment(answer.id, OTHER_USER, "It never names the city");
    }
    // Older than the period: not listed.
    clock = new Date(start - 86_400_000);
    await log.record(entry("How tall is Mount Everest?", "abstained", "1310000000000039999"));
    clock = new Date();
    const { id } = fake.pushInteraction(
      chatInput({ name: "gaps", memberPermissions: MANAGE_GUILD, options: { days: 7 } }),
    );
    const call = await callbackOf(id);
    const reply = bodyOf(call);
    expect(reply.data.flags).toBe(MessageFlags.Ephemeral);
    const lines = reply.data.embeds?.[0]?.description?.split("\n") ?? [];
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^1\. \*\*3×\*\* .*prime minister.* \(abstained 3×\)$/i);
    expect(lines[1]).toMatch(/^2\. \*\*2×\*\* .*capital.*Australia/i);
    expect(lines[2]).toMatch(
      /^3\. \*\*2×\*\* [Ww]here were the talks held\?? \(👎 2×\) · cited Blinken’s visit to China — An Analysis, ¶ 2 · “It never names the city”$/,
    );
    expect(lines[3]).toMatch(/^4\. \*\*1×\*\* How tall is Mount Everest\? \(abstained 1×\)$/);
    expect(reply.data.embeds?.[0]?.footer?.text).toMatch(/^4 questions \(8 asked, near-duplicates merged\)/);
    const csv = call.files[0];
    expect(csv?.name).toMatch(/^passage-gaps-7d-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(csv?.text.split("\r\n")[0]).toMatch(/question/);
    expect(csv?.text).toMatch(/prime minister/);
  });
});

describe("/forget-me and the database file", () => {
  it("deletes exactly the caller's answers and votes and says how many", async () => {
    const mine = await ask("Where was the meeting held?");
    const theirs = await ask("What did China say about fentanyl?", OTHER_USER);
    await press(customId(theirs.message, "vote:up")); // my vote on their answer
    await press(customId(mine.message, "vote:down"), OTHER_USER); // their vote on my answer (goes with my answer)
    const theirId = answerIdIn(customId(theirs.message, "vote:up"));
    const myId = answerIdIn(customId(mine.message, "vote:up"));
    const { id } = fake.pushInteraction(chatInput({ name: "forget-me" }));
    const reply = bodyOf(await callbackOf(id));
    expect(reply.data.flags).toBe(MessageFlags.Ephemeral);
    expect(reply.data.content).toMatch(/^Deleted 2 records of yours/);
    expect(await log.get(myId)).toBeNull();
    expect(await log.get(theirId)).not.toBeNull();
    expect((await log.usage()).votes).toEqual({ up: 0, down: 0 });
    const again = bodyOf(await callbackOf(fake.pushInteraction(chatInput({ name: "forget-me" })).id));
    expect(again.data.content).toMatch(/held nothing of yours/);
  });

  it("never writes a raw user id into the database files", async () => {
    const { message } = await ask("Where was the meeting held?");
    await press(customId(message, "vote:up"), OTHER_USER);
    const down = await press(customId(message, "vote:down"));
    const open = await press(customId(down.data, "comment"));
    const submitted = fake.pushInteraction(
      modalSubmit({ modal: fake.modalOf(open.id) ?? {}, values: { comment: "wrong place" } }),
    );
    await callbackOf(submitted.id);
    const files = (await readdir(dataDir)).filter((f) => f.startsWith(FEEDBACK_DB_FILE));
    expect(files).toContain(FEEDBACK_DB_FILE);
    for (const file of files) {
      const bytes = await readFile(join(dataDir, file));
      expect(bytes.includes(DEFAULT_IDS.userId)).toBe(false);
      expect(bytes.includes(OTHER_USER)).toBe(false);
    }
    for (const line of stack.logs) expect(JSON.stringify(line)).not.toContain(DEFAULT_IDS.userId);
  });
});

describe("/status usage", () => {
  it("shows questions answered and abstained in 24 h and 7 days, and the share of 👍", async () => {
    const { message } = await ask("Where was the meeting held?");
    await ask("Who is the prime minister of the UK?", OTHER_USER);
    await press(customId(message, "vote:up"));
    const { id } = fake.pushInteraction(chatInput({ name: "status" }));
    const embed = bodyOf(await callbackOf(id)).data.embeds?.[0];
    expect(embed?.fields?.find((f) => f.name === "Usage")?.value).toBe(
      "24 h: 1 answered, 1 abstained · 7 d: 1 answered, 1 abstained · 👍 100 % of 1 vote",
    );
  });
});

describe("rate limits", () => {
  it("limits votes per user like /ask", async () => {
    await bot.stop();
    await log.close();
    await stack.cleanup();
    await startBot({ cooldownSeconds: 30 });
    const { message } = await ask("Where was the meeting held?");
    await press(customId(message, "vote:up"));
    const second = await press(customId(message, "vote:down"));
    expect(second.data.flags).toBe(MessageFlags.Ephemeral);
    expect(second.data.content).toMatch(/please wait (29|30) s/);
    expect((await log.usage()).votes).toEqual({ up: 1, down: 0 });
  });
});
