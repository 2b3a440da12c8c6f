import { fileURLToPath } from "node:url";
import { ChatOpenAI } from "@langchain/openai";
import { cutSentences } from "../../../src/answer/generate/generated-sentences.js";
import { ANSWER_PROMPT, promptValues } from "../../../src/answer/generate/prompt.js";
import { verificationContext, verifySentence } from "../../../src/answer/generate/verify.js";
import type { Services } from "../../../src/commands/services.js";
import { Bot } from "../../../src/discord/bot.js";
import { silentLogger } from "../../../src/log.js";
import { withTemporaryIndex } from "../../cli.js";
import { type FakeModelServer, startFakeModelServer } from "../fake-model/index.js";
import { quotingReply } from "../fake-model/quoting-reply.js";
import { chatInput, discordConfigFor, startFakeDiscord } from "../loopback-discord/index.js";
import { percentile } from "../stats.js";
import { syntheticQuestions } from "./questions.js";

const SEED_CORPUS = fileURLToPath(new URL("../../../corpus", import.meta.url));

/** Median and 95th percentile, ms. */
export interface Spread {
  readonly p50Ms: number;
  readonly p95Ms: number;
}

/** What `npm run bench` measures of answering with a model. */
export interface GenerationBench {
  /** Questions whose generated reply was verified (those the quoted pipeline answers). */
  readonly answers: number;
  /** Sentences per reply verified (the quoted answer's sentences plus one fabricated). */
  readonly sentencesPerAnswer: number;
  /** Verifying one whole reply: preparing its passages, then checking every sentence. */
  readonly verification: Spread;
  /** The baseline in the same process: retrieval and the quoted decision for the same questions. */
  readonly quotedAnswer: Spread;
  /** Over Discord, against the fake model streaming `tokens` tokens `tokenDelayMs` apart. */
  readonly discord: {
    readonly interactions: number;
    readonly tokenDelayMs: number;
    /** INTERACTION_CREATE → the deferral; → the first edit showing a verified sentence; → the final edit. */
    readonly defer: Spread;
    readonly firstVisibleEdit: Spread;
    readonly finalEdit: Spread;
    /** The baseline: the same model stream read directly with ChatOpenAI, up to its first complete sentence. */
    readonly modelFirstSentence: Spread;
  };
}

const spread = (xs: readonly number[]): Spread => ({
  p50Ms: round(percentile([...xs], 50)),
  p95Ms: round(percentile([...xs], 95)),
});
const round = (x: number) => Math.round(x * 1000) / 1000;

/** A sentence no passage supports, verified with every reply so the rejecting path is timed too. */
const FABRICATED = "Officials also announced a joint mission to mine helium on the Moon";

/**
 * Verification's cost per answer: for each question the quoted pipeline answers, a reply made
 * of its quoted sentences (each citing the passage it is from) and one fabricated sentence is
 * verified as a model's would be; the quoted decision for the same question is the baseline.
 */
async function measureVerification(services: Services, questions: readonly string[]) {
  const answerer = services.answerer();
  const verifyMs: number[] = [];
  const quotedMs: number[] = [];
  let sentences = 0;
  for (const question of questions) {
    const started = performance.now();
    const decision = await answerer.decide(question);
    quotedMs.push(performance.now() - started);
    if (decision.answer.abstained) continue;
    const number = (id: string) => decision.passages.findIndex((r) => r.passage.id === id) + 1;
    const reply = decision.answer.sentences.map((s) => {
      const id = decision.answer.citations.find((c) => c.n === s.n)?.id ?? "";
      return `${s.text} [${Math.max(1, number(id))}]`;
    });
    reply.push(`${FABRICATED} [1].`);
    sentences += reply.length;
    const t = performance.now();
    const context = verificationContext(
      decision.passages.map((r) => ({ text: r.passage.pageContent, title: r.passage.metadata.title })),
      answerer.matcher.conceptSource,
    );
    for (const s of reply) verifySentence(s, context);
    verifyMs.push(performance.now() - t);
  }
  return { verifyMs, quotedMs, answers: verifyMs.length, sentencesPerAnswer: sentences / (verifyMs.length || 1) };
}

const QUESTIONS = [
  "Where was the meeting held?",
  "Why was the February visit called off?",
  "What did China ban in response to the chip restrictions?",
  "What is the rate of overdose deaths?",
];

/**
 * INTERACTION_CREATE to the deferral, the first edit that shows a verified sentence and the
 * final edit, for `n` sequential /ask against the fake model streaming word by word; and, as
 * the baseline, the same stream read straight from the model up to its first complete sentence.
 */
async function measureDiscord(services: Services, model: FakeModelServer, n: number, tokenDelayMs: number) {
  const discord = await startFakeDiscord();
  const bot = new Bot({ discord: discordConfigFor(discord), services, logger: silentLogger });
  await bot.start();
  const defer: number[] = [];
  const firstEdit: number[] = [];
  const finalEdit: number[] = [];
  const direct: number[] = [];
  const chat = new ChatOpenAI({
    model: "fake-chat",
    apiKey: "none",
    streaming: true,
    configuration: { baseURL: model.openaiBaseUrl },
  });
  try {
    for (let i = 0; i < n + 2; i++) {
      const question = QUESTIONS[i % QUESTIONS.length] ?? "";
      const started = performance.now();
      const { id, token } = discord.pushInteraction(
        chatInput({ name: "ask", userId: `1310000000${String(100000000 + i)}`, options: { question } }),
      );
      await discord.waitForCall((c) => c.method === "POST" && c.path.startsWith(`/interactions/${id}/`), 5000);
      const deferred = performance.now() - started;
      const isEdit = (c: { method: string; path: string }) =>
        c.method === "PATCH" && c.path.includes(`/${token}/messages/@original`);
      await discord.waitForCall(isEdit, 10_000);
      const shown = performance.now() - started;
      await discord.waitForCall((c) => isEdit(c) && !JSON.stringify(c.body).includes("is writing"), 10_000);
      const done = performance.now() - started;

      // The baseline: the same prompt streamed straight from the model, to its first whole sentence.
      const decision = await services.answerer().decide(question);
      const messages = await ANSWER_PROMPT.formatMessages(promptValues(question, decision.passages));
      const t = performance.now();
      let text = "";
      let firstSentence = Number.NaN;
      for await (const chunk of await chat.stream(messages)) {
        text += typeof chunk.content === "string" ? chunk.content : "";
        if (Number.isNaN(firstSentence) && cutSentences(text, false).length > 0) firstSentence = performance.now() - t;
      }
      if (Number.isNaN(firstSentence)) firstSentence = performance.now() - t;
      if (i < 2) continue; // warm-up: JIT, connections
      defer.push(deferred);
      firstEdit.push(shown);
      finalEdit.push(done);
      direct.push(firstSentence);
    }
  } finally {
    await bot.stop();
    await discord.close();
  }
  return {
    interactions: n,
    tokenDelayMs,
    defer: spread(defer),
    firstVisibleEdit: spread(firstEdit),
    finalEdit: spread(finalEdit),
    modelFirstSentence: spread(direct),
  };
}

/**
 * Measures answering with a model over the seed article: verification's cost per answer
 * beside the quoted answer's, and the time to the first visible edit in Discord beside the
 * model's own time to its first sentence. The model is the loopback fake; the rest is real.
 */
export async function measureGeneration(
  options: { questions?: number; interactions?: number; tokenDelayMs?: number; seed?: number } = {},
): Promise<GenerationBench> {
  const tokenDelayMs = options.tokenDelayMs ?? 10;
  const model = await startFakeModelServer({ chat: quotingReply({ delayMs: tokenDelayMs }) });
  try {
    return await withTemporaryIndex(
      SEED_CORPUS,
      async (services) => {
        const questions = syntheticQuestions(
          services.indexes.current.passages,
          options.questions ?? 300,
          options.seed ?? 1,
        );
        await measureVerification(services, questions.slice(0, 20)); // warm-up: JIT, caches, WordNet
        const v = await measureVerification(services, questions);
        const discord = await measureDiscord(services, model, options.interactions ?? 30, tokenDelayMs);
        return {
          answers: v.answers,
          sentencesPerAnswer: round(v.sentencesPerAnswer),
          verification: spread(v.verifyMs),
          quotedAnswer: spread(v.quotedMs),
          discord,
        };
      },
      {
        // The bot defers and streams only with a model; the fake stands in for one.
        llm: { provider: "openai", baseUrl: model.openaiBaseUrl, model: "fake-chat", apiKey: null, timeoutMs: 20_000 },
      },
    );
  } finally {
    await model.close();
  }
}
