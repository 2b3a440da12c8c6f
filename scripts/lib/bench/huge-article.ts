import { cp, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { Bot } from "../../../src/discord/bot.js";
import { silentLogger } from "../../../src/log.js";
import { withTemporaryIndex } from "../../cli.js";
import {
  chatInput,
  discordConfigFor,
  type FakeDiscord,
  type RecordedCall,
  startFakeDiscord,
} from "../loopback-discord/index.js";
import { percentile } from "../stats.js";

/** Words of the huge article when --huge-words is not given: about 4.6 MB, as issue 14 has it. */
export const DEFAULT_HUGE_WORDS = 720_000;

/** The question about the seed article that another member asks while the huge one is answered. */
export const UNRELATED_QUESTION = "Where was the meeting held?";

/** What `npm run bench:discord -- --huge-article` measures. */
export interface HugeArticleOptions {
  /** Words in the unpunctuated article (rounded up to a whole phrase of eight). */
  readonly words: number;
  /** Measured rounds of each kind, after one warm-up round of each. */
  readonly rounds: number;
  /** The seed corpus, copied beside the huge article. */
  readonly seedCorpus: string;
  /** Progress lines (to stderr). */
  readonly log: (line: string) => void;
}

/** Median and 95th percentile, in milliseconds. */
export interface Spread {
  readonly p50Ms: number;
  readonly p95Ms: number;
}

/** The figures `npm run bench:discord -- --huge-article --json` prints. */
export interface HugeArticleResult {
  readonly article: { readonly words: number; readonly bytes: number; readonly passages: number };
  /** Copying the corpus and building its index, before the bot starts. */
  readonly buildSeconds: number;
  readonly rounds: number;
  /** INTERACTION_CREATE → the call that carries the answer (the reply, or the edit after a deferral). */
  readonly unrelatedAloneMs: Spread;
  readonly unrelatedLoadedMs: Spread;
  readonly hugeMs: Spread;
  /** unrelatedLoadedMs over unrelatedAloneMs. */
  readonly ratio: { readonly p50: number; readonly p95: number };
  /** Longest event-loop block (perf_hooks monitorEventLoopDelay), in each kind of round. */
  readonly eventLoopMaxMs: { readonly loaded: number; readonly alone: number };
  /** Questions that got an answer with an embed, of those asked, in the measured rounds. */
  readonly answered: {
    readonly unrelatedAlone: number;
    readonly unrelatedLoaded: number;
    readonly huge: number;
    readonly asked: number;
  };
  /** Questions the bot deferred (answer not ready within its deferral delay) instead of replying at once. */
  readonly deferred: { readonly unrelatedLoaded: number; readonly huge: number };
}

/** One question's outcome. */
interface Timed {
  readonly ms: number;
  readonly answered: boolean;
  readonly deferred: boolean;
}

/**
 * Writes the seed corpus and one unpunctuated article of `words` words into a temporary folder,
 * builds the index, starts the real bot against the loopback Discord, and alternates rounds of
 * the unrelated question alone with rounds where it is pushed together with a question about the
 * huge article, so the machine's noise falls on both. The folders are removed afterwards.
 */
export async function measureHugeArticle(options: HugeArticleOptions): Promise<HugeArticleResult> {
  const { log } = options;
  const dir = await mkdtemp(join(tmpdir(), "passage-bench-huge-"));
  const fake = await startFakeDiscord();
  try {
    const corpusDir = join(dir, "corpus");
    await cp(options.seedCorpus, corpusDir, { recursive: true });
    const file = join(corpusDir, "run-on.txt");
    const words = await writeRunOnArticle(file, options.words);
    const bytes = (await stat(file)).size;
    log(`wrote an unpunctuated article of ${words} words (${(bytes / 1e6).toFixed(2)} MB)`);
    const started = performance.now();
    return await withTemporaryIndex(corpusDir, async (services) => {
      const buildSeconds = (performance.now() - started) / 1000;
      const passages = services.indexes.current.passages.filter((p) => p.metadata.source === "run-on.txt").length;
      log(`indexed in ${buildSeconds.toFixed(1)} s: ${passages} passages of the run-on article`);
      const bot = new Bot({ discord: discordConfigFor(fake), services, logger: silentLogger });
      await bot.start();
      try {
        const figures = await measureRounds(fake, options);
        return { article: { words, bytes, passages }, buildSeconds: round(buildSeconds), ...figures };
      } finally {
        await bot.stop();
      }
    });
  } finally {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Writes phrases of eight words with no sentence-ending punctuation; returns the words written. */
async function writeRunOnArticle(file: string, words: number): Promise<number> {
  const phrases = Math.ceil(words / 8);
  const text = Array.from({ length: phrases }, (_, i) => `lanthanum${i % 89} shipments left the harbour at dawn and`);
  await writeFile(file, `${text.join(" ")}\n`);
  return phrases * 8;
}

async function measureRounds(fake: FakeDiscord, options: HugeArticleOptions) {
  const alone: Timed[] = [];
  const loaded: Timed[] = [];
  const huge: Timed[] = [];
  const aloneDelay = monitorEventLoopDelay({ resolution: 1 });
  const loadedDelay = monitorEventLoopDelay({ resolution: 1 });
  let user = 0;
  const ask = (question: string): Promise<Timed> => askOnce(fake, question, `1310000000${String(200000000 + user++)}`);
  // Round 0 warms up the JIT and the caches and is not counted.
  for (let r = 0; r <= options.rounds; r++) {
    const measured = r > 0;
    // Alone then loaded in even rounds, loaded then alone in odd ones: neither always follows the other.
    for (const kind of r % 2 === 0 ? (["alone", "loaded"] as const) : (["loaded", "alone"] as const)) {
      if (kind === "alone") {
        if (measured) aloneDelay.enable();
        const t = await ask(UNRELATED_QUESTION);
        aloneDelay.disable();
        if (measured) alone.push(t);
      } else {
        if (measured) loadedDelay.enable();
        // Pushed in this order in the same tick: the unrelated question arrives while the huge one is taken up.
        const [h, u] = await Promise.all([
          ask(`What about lanthanum${(7 + r * 13) % 89} shipments?`),
          ask(UNRELATED_QUESTION),
        ]);
        loadedDelay.disable();
        if (measured) {
          huge.push(h);
          loaded.push(u);
        }
      }
    }
    if (measured)
      options.log(
        `round ${r}/${options.rounds}: alone ${last(alone).toFixed(1)} ms, while huge ${last(loaded).toFixed(1)} ms, huge ${last(huge).toFixed(1)} ms`,
      );
  }
  const unrelatedAloneMs = spread(alone);
  const unrelatedLoadedMs = spread(loaded);
  return {
    rounds: options.rounds,
    unrelatedAloneMs,
    unrelatedLoadedMs,
    hugeMs: spread(huge),
    ratio: {
      p50: round(unrelatedLoadedMs.p50Ms / unrelatedAloneMs.p50Ms),
      p95: round(unrelatedLoadedMs.p95Ms / unrelatedAloneMs.p95Ms),
    },
    eventLoopMaxMs: { loaded: round(loadedDelay.max / 1e6), alone: round(aloneDelay.max / 1e6) },
    answered: {
      unrelatedAlone: alone.filter((t) => t.answered).length,
      unrelatedLoaded: loaded.filter((t) => t.answered).length,
      huge: huge.filter((t) => t.answered).length,
      asked: options.rounds,
    },
    deferred: {
      unrelatedLoaded: loaded.filter((t) => t.deferred).length,
      huge: huge.filter((t) => t.deferred).length,
    },
  };
}

/**
 * Pushes one /ask and waits for the call that carries its answer: the reply, or, when the bot
 * deferred, the edit of the original response. A minute is a hang guard, not a target.
 */
async function askOnce(fake: FakeDiscord, question: string, userId: string): Promise<Timed> {
  const started = performance.now();
  const { id, token } = fake.pushInteraction(chatInput({ name: "ask", userId, options: { question } }));
  const reply = await fake.waitForCall((c) => c.method === "POST" && c.path.startsWith(`/interactions/${id}/`), 60_000);
  const deferred = (reply.body as { type?: number }).type === 5;
  const answer = deferred
    ? await fake.waitForCall((c) => c.method === "PATCH" && c.path.includes(`/${token}/messages/@original`), 60_000)
    : reply;
  return { ms: performance.now() - started, answered: hasEmbed(answer), deferred };
}

function hasEmbed(call: RecordedCall): boolean {
  const body = call.body as { data?: { embeds?: unknown[] }; embeds?: unknown[] };
  return ((body.data ?? body).embeds?.length ?? 0) > 0;
}

function spread(times: readonly Timed[]): Spread {
  const ms = times.map((t) => t.ms);
  return { p50Ms: round(percentile(ms, 50)), p95Ms: round(percentile(ms, 95)) };
}

const last = (times: readonly Timed[]): number => times[times.length - 1]?.ms ?? Number.NaN;
const round = (x: number): number => Math.round(x * 100) / 100;
