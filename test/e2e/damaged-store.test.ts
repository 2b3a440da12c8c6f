/**
 * A damaged answer log end to end: the real discord.js Client and our handlers over a real
 * feedback.sqlite with garbage written over its last page, against the loopback Discord. Answers
 * keep flowing (without vote buttons); a moderator's /gaps and the log both name the file and
 * the fix instead of "Something went wrong".
 */
import { closeSync, openSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { PermissionFlagsBits } from "discord.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  chatInput,
  DEFAULT_MEMBER_PERMISSIONS,
  discordConfigFor,
  type FakeDiscord,
  type RecordedCall,
  startFakeDiscord,
} from "../../scripts/lib/loopback-discord/index.js";
import { Services } from "../../src/commands/services.js";
import { Bot } from "../../src/discord/bot.js";
import { AnswerLog, FEEDBACK_DB_FILE } from "../../src/feedback/answer-log.js";
import { openSqliteStore } from "../../src/store/sqlite/open-sqlite-store.js";
import type { StateStore } from "../../src/store/types.js";
import { fillAnswerLog } from "../helpers/fill-answer-log.js";
import { makeStack, type TestStack } from "../helpers/services.js";

const MANAGE_GUILD = DEFAULT_MEMBER_PERMISSIONS | PermissionFlagsBits.ManageGuild;
const PAGE = 4096;

let fake: FakeDiscord;
let stack: TestStack;
let bot: Bot | null = null;
let store: StateStore | null = null;

beforeEach(async () => {
  [fake, stack] = await Promise.all([startFakeDiscord(), makeStack()]);
});

afterEach(async () => {
  await bot?.stop();
  bot = null;
  await store?.close();
  store = null;
  await fake.close();
  await stack.cleanup();
});

function callbackOf(id: string): Promise<RecordedCall> {
  return fake.waitForCall((c) => c.method === "POST" && c.path.startsWith(`/interactions/${id}/`), 5000);
}

interface Reply {
  content?: string;
  embeds?: unknown[];
  components?: { components: { custom_id?: string }[] }[];
}

describe("a damaged answer log", () => {
  it("still answers, and tells the moderator and the log which file is damaged and how to fix it", async () => {
    const dataDir = join(stack.root, "data");
    // A log with enough rows to span many pages, as after weeks of use.
    const filling = await AnswerLog.open(dataDir);
    await fillAnswerLog(filling, "abstained");
    await filling.close();
    // A failing disk: the table's last page is garbage, the header and the indexes are intact.
    const path = join(dataDir, FEEDBACK_DB_FILE);
    const pages = statSync(path).size / PAGE;
    const fd = openSync(path, "r+");
    writeSync(fd, Buffer.alloc(PAGE, 0xa5), 0, PAGE, (pages - 1) * PAGE);
    closeSync(fd);

    store = await openSqliteStore(dataDir);
    const log = await AnswerLog.open(store);
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
    bot = new Bot({ discord: discordConfigFor(fake), services, logger: base.logger });
    await bot.start();

    const asked = fake.pushInteraction(
      chatInput({ name: "ask", options: { question: "Where was the meeting held?" } }),
    );
    const answer = (await callbackOf(asked.id)).body as { data: Reply };
    expect(answer.data.embeds?.length ?? 0).toBeGreaterThan(0);
    const ids = answer.data.components?.flatMap((r) => r.components.map((c) => c.custom_id ?? "")) ?? [];
    expect(ids.some((id) => id.startsWith("vote:"))).toBe(false);
    const failed = stack.logs.find((l) => l.event === "feedback.record_failed") as
      | { error: { code: string; message: string } }
      | undefined;
    expect(failed?.error.code).toBe("STORE_DAMAGED");
    expect(failed?.error.message).toContain(path);

    const gaps = fake.pushInteraction(chatInput({ name: "gaps", memberPermissions: MANAGE_GUILD }));
    const reply = (await callbackOf(gaps.id)).body as { data: Reply };
    expect(reply.data.content).toContain(`The answer log file ${path} is damaged (SQLITE_CORRUPT`);
    expect(reply.data.content).toContain("Stop the bot, move the file aside (or restore it from a backup)");
    expect(reply.data.content).not.toMatch(/Something went wrong/);
  });
});
