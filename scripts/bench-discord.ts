import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Client, Events, GatewayIntentBits, MessageFlags } from "discord.js";
import { Bot } from "../src/discord/bot.js";
import { silentLogger } from "../src/log.js";
import { fail, withTemporaryIndex } from "./cli.js";
import { DEFAULT_HUGE_WORDS, measureHugeArticle, UNRELATED_QUESTION } from "./lib/bench/huge-article.js";
import { UsageError, wholeNumberFlag } from "./lib/command-line.js";
import { mean, percentile } from "./lib/stats.js";

const SEED_CORPUS = fileURLToPath(new URL("../corpus", import.meta.url));

import { chatInput, discordConfigFor, type FakeDiscord, startFakeDiscord } from "./lib/loopback-discord/index.js";

const USAGE = `
Usage: npm run bench:discord -- [--n 200] [--json]
       npm run bench:discord -- --huge-article [--rounds 20] [--huge-words ${DEFAULT_HUGE_WORDS}] [--json]

Measures the time from Discord sending INTERACTION_CREATE to the bot's reply call arriving,
for /ask, over N interactions against the loopback fake Discord, with the real discord.js
client, index and answerer. A baseline bot that replies "pong" runs in the same process,
so the ratio shows what answering costs over the transport itself.

--huge-article  Indexes the seed corpus plus one unpunctuated article (${DEFAULT_HUGE_WORDS.toLocaleString("en")} words,
                about 4.6 MB, unless --huge-words says otherwise) in a temporary folder. Each of
                --rounds rounds pushes a question about it together with "${UNRELATED_QUESTION}"
                from another member, and asks that question alone too (alternating, after one
                warm-up round). Prints medians and p95 of each, from INTERACTION_CREATE to the
                call carrying the answer, their ratio, and the longest event-loop block.
--json          Prints one JSON object instead of the summary.
`;

const args = (() => {
  try {
    return parseArgs({
      options: {
        n: { type: "string", default: "200" },
        "huge-article": { type: "boolean" },
        rounds: { type: "string" },
        "huge-words": { type: "string" },
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
if (args["huge-article"]) {
  await hugeArticle();
  process.exit(0);
}
if (args.rounds !== undefined || args["huge-words"] !== undefined)
  fail("--rounds and --huge-words go with --huge-article (see --help)");
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

/** `--huge-article`: an unrelated question's latency while one about a 4.6 MB run-on article is answered (issue 14). */
async function hugeArticle(): Promise<void> {
  let rounds: number;
  let words: number;
  try {
    rounds = wholeNumberFlag("rounds", args.rounds, 1, 10_000) ?? 20;
    words = wholeNumberFlag("huge-words", args["huge-words"], 1000, 10_000_000) ?? DEFAULT_HUGE_WORDS;
  } catch (error) {
    if (error instanceof UsageError) fail(error.message);
    throw error;
  }
  const r = await measureHugeArticle({
    words,
    rounds,
    seedCorpus: SEED_CORPUS,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  if (args.json) {
    process.stdout.write(`${JSON.stringify(r)}\n`);
    return;
  }
  const line = (what: string, s: { p50Ms: number; p95Ms: number }) =>
    `  ${what.padEnd(34)} median ${s.p50Ms} ms   p95 ${s.p95Ms} ms\n`;
  process.stdout.write(
    `One unpunctuated article of ${r.article.words} words (${(r.article.bytes / 1e6).toFixed(2)} MB, ${r.article.passages} passages), indexed in ${r.buildSeconds} s.\n` +
      `INTERACTION_CREATE → the call carrying the answer, ${r.rounds} rounds of each:\n` +
      line("unrelated question, alone", r.unrelatedAloneMs) +
      line("unrelated, while huge is answered", r.unrelatedLoadedMs) +
      line("question about the huge article", r.hugeMs) +
      `  ratio loaded / alone               median ×${r.ratio.p50}   p95 ×${r.ratio.p95}\n` +
      `  longest event-loop block           ${r.eventLoopMaxMs.loaded} ms in the loaded rounds (${r.eventLoopMaxMs.alone} ms alone)\n` +
      `  answered                           ${r.answered.unrelatedAlone}, ${r.answered.unrelatedLoaded} and ${r.answered.huge} of ${r.answered.asked} each; deferred ${r.deferred.unrelatedLoaded} unrelated and ${r.deferred.huge} huge\n`,
  );
}
