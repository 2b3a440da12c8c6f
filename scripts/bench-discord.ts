import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Client, Events, GatewayIntentBits, MessageFlags } from "discord.js";
import { Bot } from "../src/discord/bot.js";
import { silentLogger } from "../src/log.js";
import { fail, withTemporaryIndex } from "./cli.js";
import { mean, percentile } from "./lib/stats.js";

const SEED_CORPUS = fileURLToPath(new URL("../corpus", import.meta.url));

import { chatInput, discordConfigFor, type FakeDiscord, startFakeDiscord } from "./lib/loopback-discord/index.js";

const USAGE = `
Usage: npm run bench:discord -- [--n 200] [--json]

Measures the time from Discord sending INTERACTION_CREATE to the bot's reply call arriving,
for /ask, over N interactions against the loopback fake Discord, with the real discord.js
client, index and answerer. A baseline bot that replies "pong" runs in the same process,
so the ratio shows what answering costs over the transport itself.
`;

const args = (() => {
  try {
    return parseArgs({
      options: {
        n: { type: "string", default: "200" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }).values;
  } catch (error) {
    fail(`${(error as Error).message} (see --help)`);
  }
})();
if (args.help) {
  process.stdout.write(`${USAGE.trim()}\n`);
  process.exit(0);
}
const n = Number(args.n);
if (!Number.isInteger(n) || n < 10) fail("--n must be a whole number of at least 10");

const QUESTIONS = [
  "Where was the meeting held?",
  "What about fentanyl?",
  "Why was the February visit called off?",
  "What does China think of Taiwan?",
  "Who is the prime minister of the UK?",
];

/** Sends `n` /ask interactions one after another and returns each one's latency in ms. */
async function measure(fake: FakeDiscord): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    const { id } = fake.pushInteraction(
      chatInput({
        name: "ask",
        userId: `1310000000${String(100000000 + i)}`,
        options: { question: QUESTIONS[i % QUESTIONS.length] ?? "" },
      }),
    );
    await fake.waitForCall((c) => c.method === "POST" && c.path.startsWith(`/interactions/${id}/`), 5000);
    out.push(performance.now() - started);
  }
  return out;
}

function stats(xs: number[]): { p50: number; p95: number; mean: number } {
  return { p50: round(percentile(xs, 50)), p95: round(percentile(xs, 95)), mean: round(mean(xs)) };
}
const round = (x: number) => Math.round(x * 100) / 100;

// Baseline: the same transport, a handler that does no work.
const baselineFake = await startFakeDiscord();
const client = new Client({
  intents: [GatewayIntentBits.Guilds],
  allowedMentions: { parse: [] },
  rest: { api: baselineFake.apiBase },
});
client.on(Events.InteractionCreate, (i) => {
  if (i.isRepliable()) void i.reply({ content: "pong", flags: MessageFlags.Ephemeral });
});
await new Promise<void>((resolve) => {
  client.once(Events.ClientReady, () => resolve());
  void client.login(baselineFake.token);
});
await measure(baselineFake); // warm-up
const baseline = stats(await measure(baselineFake));
await client.destroy();
await baselineFake.close();

const fake = await startFakeDiscord();
const ask = await withTemporaryIndex(SEED_CORPUS, async (services) => {
  const bot = new Bot({
    discord: discordConfigFor(fake),
    services,
    logger: silentLogger,
  });
  await bot.start();
  await measure(fake); // warm-up: JIT, caches
  const figures = stats(await measure(fake));
  await bot.stop();
  return figures;
});
await fake.close();

const result = {
  interactions: n,
  askMs: ask,
  baselineMs: baseline,
  ratioP50: round(ask.p50 / baseline.p50),
  ratioP95: round(ask.p95 / baseline.p95),
};
if (args.json) process.stdout.write(`${JSON.stringify(result)}\n`);
else {
  process.stdout.write(`INTERACTION_CREATE → reply call, ${n} sequential interactions each:\n`);
  process.stdout.write(`  /ask      median ${ask.p50} ms   p95 ${ask.p95} ms   mean ${ask.mean} ms\n`);
  process.stdout.write(
    `  baseline  median ${baseline.p50} ms   p95 ${baseline.p95} ms   (a handler that only replies)\n`,
  );
  process.stdout.write(`  ratio     median ×${result.ratioP50}   p95 ×${result.ratioP95}\n`);
}
