/**
 * The bot's gateway connection when Discord misbehaves, with the real discord.js client against
 * the loopback Discord: an unreachable gateway or API is retried with logged backoff and then
 * given up on in one line; a gateway that never sends READY is given up on in one line; a
 * connection lost mid-run is logged, reconnected, shown in /status, and does not hold up a stop.
 */
import type { ChildProcess } from "node:child_process";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  chatInput,
  discordConfigFor,
  type FakeDiscord,
  startFakeDiscord,
} from "../../scripts/lib/loopback-discord/index.js";
import type { DiscordConfig } from "../../src/config.js";
import { Bot } from "../../src/discord/bot.js";
import { PassageError } from "../../src/errors.js";
import { closedPort, startMain } from "../helpers/main-process.js";
import { makeStack, type TestStack } from "../helpers/services.js";

let fake: FakeDiscord;
let stack: TestStack;
let bot: Bot | null = null;
const children: ChildProcess[] = [];

beforeAll(async () => {
  stack = await makeStack();
}, 120_000);
afterAll(async () => {
  await stack?.cleanup();
});
beforeEach(async () => {
  fake = await startFakeDiscord();
  stack.logs.length = 0;
});
afterEach(async () => {
  await bot?.stop();
  bot = null;
  // A test that failed half-way must not leave a bot running into the next one.
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  await fake.close();
});

function newBot(overrides: Partial<DiscordConfig> = {}): Bot {
  bot = new Bot({
    discord: discordConfigFor(fake, overrides),
    services: stack.services,
    logger: stack.services.logger,
  });
  return bot;
}

function events(name: string): Record<string, unknown>[] {
  return stack.logs.filter((l) => l.event === name);
}

async function startError(b: Bot): Promise<PassageError> {
  const error = await b.start().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PassageError);
  return error as PassageError;
}

describe("Discord unreachable at start", () => {
  it("retries a refused gateway with doubling waits, logging each, then gives up in one line", async () => {
    fake.refuseGateway();
    const error = await startError(newBot({ connectAttempts: 3, connectBackoffMs: 20 }));
    expect(error.code).toBe("DISCORD_UNREACHABLE");
    expect(error.message).toMatch(/^Could not connect to Discord in 3 attempts \(DISCORD_CONNECT_ATTEMPTS\)/);
    expect(error.message).not.toContain("\n");
    const retries = events("discord.connect_retry");
    expect(retries.map((r) => [r.attempt, r.delayMs])).toEqual([
      [1, 20],
      [2, 40],
    ]);
    expect(String(retries[0]?.error)).toMatch(/gateway/);
    // Three tries at the gateway, each after the REST call that names it.
    expect(fake.calls.filter((c) => c.path === "/gateway/bot").length).toBe(3);
  }, 30_000);

  it("retries an API nothing listens on the same way", async () => {
    const port = await closedPort();
    const error = await startError(
      newBot({ connectAttempts: 2, connectBackoffMs: 10, apiUrl: `http://127.0.0.1:${port}/api` }),
    );
    expect(error.code).toBe("DISCORD_UNREACHABLE");
    expect(error.message).toMatch(/ECONNREFUSED|connect/);
    expect(events("discord.connect_retry").map((r) => r.attempt)).toEqual([1]);
  }, 60_000);

  it("connects when the gateway comes back before the attempts run out", async () => {
    fake.refuseGateway();
    const b = newBot({ connectAttempts: 5, connectBackoffMs: 50 });
    const starting = b.start();
    await waitFor(() => events("discord.connect_retry").length >= 1);
    fake.refuseGateway(false);
    await starting;
    expect(events("discord.ready")).toHaveLength(1);
    expect(b.connection.snapshot()).toMatchObject([{ shard: 0, phase: "ready", attempts: 0 }]);
  }, 30_000);

  it("stops at once when asked to while waiting between attempts", async () => {
    fake.refuseGateway();
    const b = newBot({ connectAttempts: 5, connectBackoffMs: 60_000 });
    const starting = b.start().catch((e: unknown) => e);
    await waitFor(() => events("discord.connect_retry").length >= 1);
    await b.stop();
    bot = null;
    expect(await starting).toBeInstanceOf(PassageError);
  }, 30_000);
});

describe("npm start against an unreachable or stuck Discord", () => {
  it("exits 1 with one line after DISCORD_CONNECT_ATTEMPTS tries at an API nothing listens on, logging each", async () => {
    const port = await closedPort();
    const run = await runMain({
      DISCORD_API_URL: `http://127.0.0.1:${port}/api`,
      DISCORD_CONNECT_ATTEMPTS: "3",
      DISCORD_CONNECT_BACKOFF_MS: "20",
    });
    expect(run.code).toBe(1);
    const retries = run.logs.filter((l) => l.event === "discord.connect_retry");
    expect(retries.map((r) => [r.attempt, r.delayMs])).toEqual([
      [1, 20],
      [2, 40],
    ]);
    expect(run.plain).toHaveLength(1);
    expect(run.plain[0]).toMatch(
      /^Could not connect to Discord in 3 attempts \(DISCORD_CONNECT_ATTEMPTS\), last: .+; check/,
    );
  }, 60_000);

  it("exits 1 with one line when the gateway never sends READY within DISCORD_READY_TIMEOUT_MS", async () => {
    fake.withholdReady();
    const run = await runMain({ DISCORD_READY_TIMEOUT_MS: "1000" });
    expect(run.code).toBe(1);
    expect(run.plain).toEqual([
      "Discord sent no READY within 1000 ms (DISCORD_READY_TIMEOUT_MS); check DISCORD_API_URL and the network, or raise the limit",
    ]);
    // It got as far as identifying: the limit, not a refusal, ended it.
    expect(fake.gatewayReceived.some((g) => g.op === 2)).toBe(true);
  }, 60_000);
});

describe("connection lost mid-run", () => {
  it("logs the loss and each reconnect, shows it in /status, and stops promptly afterwards", async () => {
    const b = newBot();
    await b.start();
    fake.dropGateway();
    await waitFor(() => events("discord.resumed").length + events("discord.ready").length >= 2);
    expect(events("discord.disconnect")[0]).toMatchObject({ shard: 0, code: 1006 });
    expect(events("discord.reconnecting")[0]).toMatchObject({ shard: 0, attempt: 1 });
    const phases = events("discord.connection").map((l) => l.to);
    expect(phases).toEqual(["connecting", "ready", "reconnecting", "ready"]);

    const { id } = fake.pushInteraction(chatInput({ name: "status" }));
    const reply = await fake.waitForCall((c) => c.path.startsWith(`/interactions/${id}/`), 5000);
    const embed = (reply.body as { data: { embeds: { fields: { name: string; value: string }[] }[] } }).data.embeds[0];
    const gateway = embed?.fields.find((f) => f.name === "Gateway")?.value;
    expect(gateway).toMatch(/^shard 0: ready since \S+, 1 guild$/);
    expect(embed?.fields.find((f) => f.name === "Corpus")?.value).toMatch(/^checksum [0-9a-f]{12}$/);

    // Its own disconnect at stop is no loss, and is not logged as one.
    const losses = events("discord.disconnect").length;
    await b.stop();
    bot = null;
    expect(events("discord.disconnect")).toHaveLength(losses);
  }, 30_000);

  it("stops while Discord is gone and reconnecting", async () => {
    const b = newBot();
    await b.start();
    fake.refuseGateway();
    fake.dropGateway();
    await waitFor(() => events("discord.reconnecting").length >= 1);
    await b.stop();
    bot = null;
    expect(events("discord.stopped")).toHaveLength(1);
  }, 30_000);
});

/**
 * Runs `npm start`'s program (src/main.ts) on the stack's corpus and index against the fake,
 * with `env` added; resolves on exit with its log events and the lines that are not JSON.
 */
async function runMain(
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; logs: Record<string, unknown>[]; plain: string[] }> {
  const main = startMain({
    PASSAGE_CORPUS_DIR: stack.corpusDir,
    PASSAGE_DATA_DIR: join(stack.root, "data"),
    PASSAGE_INDEX_DIR: stack.indexDir,
    DISCORD_TOKEN: fake.token,
    DISCORD_API_URL: fake.apiBase,
    ...env,
  });
  children.push(main.child);
  const code = await main.exited;
  const lines = main
    .stderr()
    .split("\n")
    .filter((l) => l.trim() !== "");
  const logs = lines.filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code, logs, plain: lines.filter((l) => !l.startsWith("{")) };
}

async function waitFor(probe: () => boolean, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > until) throw new Error(`timed out; logs: ${JSON.stringify(stack.logs.map((l) => l.event))}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
