/**
 * /ask with a model, end to end: the real discord.js Client against the loopback fake Discord,
 * the real index and LangChain client against the loopback fake model server. What users see
 * while the model writes is only what verification passed.
 */
import type { APIEmbed } from "discord.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type ChatRequest, type FakeModelServer, startFakeModelServer } from "../../scripts/lib/fake-model/index.js";
import {
  chatInput,
  discordConfigFor,
  type FakeDiscord,
  type RecordedCall,
  startFakeDiscord,
} from "../../scripts/lib/loopback-discord/index.js";
import { Bot } from "../../src/discord/bot.js";
import { makeStack, type TestStack } from "../helpers/services.js";

const MEETING = "The meeting was held at Diaoyutai State Guest House";
const FABRICATED = "Blinken also signed a secret treaty on Mars";
const [FABRICATED_START, FABRICATED_REST] = ["Blinken also", " signed a secret treaty on Mars"];

let discord: FakeDiscord;
let model: FakeModelServer;
let stack: TestStack;
let bot: Bot;

beforeEach(async () => {
  discord = await startFakeDiscord();
  model = await startFakeModelServer();
  stack = await makeStack({
    llm: { provider: "openai", baseUrl: model.openaiBaseUrl, model: "fake-chat", apiKey: null, timeoutMs: 3000 },
  });
  bot = new Bot({ discord: discordConfigFor(discord), services: stack.services, logger: stack.services.logger });
  await bot.start();
});

afterEach(async () => {
  await bot?.stop();
  await discord.close();
  await model.close();
  await stack?.cleanup();
});

/** The number the prompt gave the passage containing `needle`. */
function numberOf(request: ChatRequest, needle: string): number {
  const user = request.messages.find((m) => m.role === "user")?.content ?? "";
  for (const m of user.matchAll(/<passage n="(\d+)"[^>]*>\n([\s\S]*?)\n<\/passage>/g))
    if ((m[2] ?? "").includes(needle)) return Number(m[1]);
  throw new Error(`no passage sent contains ${needle}`);
}

interface Body {
  type?: number;
  data?: Body;
  embeds?: APIEmbed[];
  content?: string;
  flags?: number;
  components?: { components: { label: string }[] }[];
  allowed_mentions?: { parse: string[] };
}
const bodyOf = (c: RecordedCall) => c.body as Body;
const isEdit = (token: string) => (c: RecordedCall) =>
  c.method === "PATCH" && c.path.includes(`/${token}/messages/@original`);

async function askBot(question: string) {
  const pushed = discord.pushInteraction(chatInput({ name: "ask", options: { question } }));
  const first = await discord.waitForCall(
    (c) => c.method === "POST" && c.path.startsWith(`/interactions/${pushed.id}/`),
    5000,
  );
  return { ...pushed, first: bodyOf(first) };
}

/** The final edit: the one whose footer no longer says the model is writing. */
async function finalEdit(token: string): Promise<Body> {
  const call = await discord.waitForCall(
    (c) => isEdit(token)(c) && !/is writing/.test(bodyOf(c).embeds?.[0]?.footer?.text ?? "is writing"),
    10_000,
  );
  return bodyOf(call);
}

describe("/ask with a model", () => {
  it("defers at once, shows verified sentences while the model writes, and ends with sources and buttons", async () => {
    // A sentence is complete once the next begins; the rest of the next comes 1.3 s later, so a
    // progress edit with the first sentence comes before the final edit.
    model.chat.push((request) => {
      const n = numberOf(request, "Diaoyutai");
      const first = `${MEETING} [${n}].`;
      return {
        text: `${first} ${FABRICATED} [${n}].`,
        chunks: [`${first} `, FABRICATED_START, `${FABRICATED_REST} [${n}].`],
        delayMs: 1300,
      };
    });
    const { token, first } = await askBot("Where was the meeting held?");
    expect(first.type).toBe(5); // deferred: the model takes seconds

    const progress = bodyOf(
      await discord.waitForCall(
        (c) => isEdit(token)(c) && /is writing/.test(bodyOf(c).embeds?.[0]?.footer?.text ?? ""),
        5000,
      ),
    );
    expect(progress.embeds?.[0]?.description).toMatch(/Diaoyutai State Guest House\.? \*\*\[1\]\*\* …$/);
    expect(progress.components ?? []).toEqual([]);

    const final = await finalEdit(token);
    const embed = final.embeds?.[0];
    expect(embed?.description).toMatch(/Diaoyutai State Guest House\.? \*\*\[1\]\*\*/);
    expect(embed?.footer?.text).toMatch(
      /^Written by fake-chat from the corpus.* · 1 unsupported sentence removed · generated/,
    );
    expect(embed?.fields?.[0]?.name).toMatch(/^Sources — \[1\]/);
    // Every row but the last (the feedback row: Follow up, as this stack has no answer log).
    expect(final.components?.at(-1)?.components.map((b) => b.label)).toEqual(["Follow up"]);
    expect(
      final.components
        ?.slice(0, -1)
        .flatMap((r) => r.components)
        .map((b) => b.label),
    ).toEqual(embed?.fields?.map((_, i) => `Passage ${i + 1}`));
    // The fabricated sentence reached no one, in any call; no call could ping.
    const calls = discord.calls.filter(isEdit(token));
    expect(calls.length).toBeGreaterThanOrEqual(2);
    for (const c of calls) {
      expect(JSON.stringify(c.body)).not.toContain("Mars");
      expect(bodyOf(c).allowed_mentions).toEqual({ parse: [] });
    }
  });

  it("answers by quoting when the model fails, and says so in the footer", async () => {
    model.chat.reply({ status: 500 });
    const { token } = await askBot("Where was the meeting held?");
    const embed = (await finalEdit(token)).embeds?.[0];
    expect(embed?.description).toContain("Diaoyutai State Guest House");
    expect(embed?.footer?.text).toMatch(/^Quoted from the corpus · fake-chat unavailable, so quoted instead/);
  });

  it("does not ask the model when the articles don't cover the question", async () => {
    const { token } = await askBot("Who is the prime minister of the UK?");
    const embed = (await finalEdit(token)).embeds?.[0];
    expect(embed?.description).toMatch(/^The article doesn't say\./);
    expect(model.chat.count).toBe(0);
  });

  it("refuses an empty question privately, before deferring", async () => {
    const { first } = await askBot("   ");
    expect(first.type).toBe(4);
    expect(first.data?.flags).toBe(64);
    expect(first.data?.content).toMatch(/Please ask a question/);
    expect(model.chat.count).toBe(0);
  });
});
