import { hostname } from "node:os";
import { config as loadDotenv } from "dotenv";
import { describeBuild } from "./commands/reindex.js";
import type { Services } from "./commands/services.js";
import { type Composition, compose } from "./compose.js";
import { type Config, type DiscordConfig, loadConfig } from "./config.js";
import { rebuildWhenIdle } from "./curation/rebuild-when-idle.js";
import { type CorpusWatch, watchCorpus } from "./curation/watch-corpus.js";
import { Bot, DRAIN_MS } from "./discord/bot.js";
import { listenForStop } from "./discord/stop-signal.js";
import { errorMessage, PassageError } from "./errors.js";
import { createLogger, type Logger } from "./log.js";
import { openStateStore } from "./store/open-state-store.js";
import type { ScheduleStore, StateStore } from "./store/types.js";
import { runChat } from "./terminal/chat.js";
import { progressBar } from "./terminal/progress.js";

/**
 * The composition root: load the configuration once, open the index (building it when
 * missing), then serve Discord when a token is configured, or a terminal chat when not.
 */
async function main(): Promise<number> {
  loadDotenv({ quiet: true });
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    process.stderr.write(`${errorMessage(error)}\n`);
    return 2;
  }
  const logger = createLogger({ level: config.logLevel, secrets: config.secrets });
  // Only the terminal chat can go unlogged: in Discord the log carries the vote buttons and /gaps.
  const noLog = !config.discord && process.argv.slice(2).includes("--no-log");
  const bar = progressBar(process.stderr);
  let composed: Composition;
  let store: StateStore | null = null;
  try {
    // PostgreSQL when DATABASE_URL is set: connected (retried while it is not up yet) and
    // migrated before anything else, so a replica never serves without its shared state.
    store = await openStateStore(config, logger);
    composed = await compose({
      store,
      paths: config,
      llm: config.llm,
      embeddings: config.embeddings,
      logger,
      // The index on disk answers (with the embedder that built it) while a newly configured one's builds.
      index: "open-or-serve",
      onProgress: bar.update,
      // `npm start -- --no-log`: the terminal chat answers without recording anything.
      feedback: noLog ? null : { retentionDays: config.feedbackRetentionDays },
      corpus: {
        historyLimit: config.corpusHistory,
        ...(config.database ? { pollSeconds: config.database.corpusPollSeconds } : {}),
      },
    });
  } catch (error) {
    bar.done();
    // An open connection pool would keep the process alive after this failure.
    await store?.close().catch(() => undefined);
    process.stderr.write(`${errorMessage(error)}\n`);
    return error instanceof PassageError ? 1 : 70;
  }
  bar.done();
  if (composed.built) process.stderr.write(`${describeBuild(composed.built)}\n`);
  if (composed.building) {
    const { served, embedder } = composed.services.indexes;
    process.stderr.write(
      `Answering from the index built by ${served.embedder.id} while the index for ${embedder.id} builds in the background.\n`,
    );
  }

  // `npm start -- --watch` or CORPUS_WATCH=1: files changed on disk (a git pull, a sync) are reindexed.
  const watching = config.corpusWatch || process.argv.slice(2).includes("--watch");
  const watch: CorpusWatch | null = watching ? startWatch(config, composed.services, logger) : null;
  // With a shared corpus, every other replica's change reaches this one's folder and index.
  if (composed.replication && composed.services.corpus) await composed.replication.start(composed.services.corpus);
  try {
    if (config.discord) return await serveDiscord(config, config.discord, composed.services, composed.store, logger);
    const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
    await runChat(composed.services, process.stdin, process.stdout, interactive);
    return 0;
  } finally {
    watch?.close();
    await composed.replication?.stop();
    composed.services.corpus?.close();
    await composed.store.close();
  }
}

/**
 * Starts watch mode. Its reindexes take their turn with moderators' corpus changes (through the
 * corpus manager when there is one) and wait for a /reindex already running.
 */
function startWatch(config: Config, services: Services, logger: Logger): CorpusWatch {
  const { corpus, indexes } = services;
  return watchCorpus({
    corpusDir: config.corpusDir,
    reindex: () => (corpus ? corpus.reindexIfChanged() : rebuildWhenIdle(indexes)),
    logger,
  });
}

/**
 * Grace after the drain for disconnecting and closing files; past the drain plus this, the
 * process exits anyway (within the drain limit plus 2 s, as README promises).
 */
const STOP_GRACE_MS = 1_500;

/**
 * Serves Discord until SIGINT/SIGTERM, then finishes in-flight replies and exits 0; or until
 * Discord closes the gateway for good (a revoked token, say), then exits 1 with the fix.
 */
async function serveDiscord(
  config: Config,
  discord: DiscordConfig,
  services: Services,
  state: StateStore,
  logger: Logger,
): Promise<number> {
  // From before login: a stop asked for while connecting (or while Discord is unreachable) is honoured too.
  const stop = listenForStop({ logger, hardExitMs: DRAIN_MS + STOP_GRACE_MS });
  // A stray rejection (a reply to an expired interaction, a REST 5xx) is logged, never fatal.
  process.on("unhandledRejection", (reason) => logger.error("process.unhandled_rejection", { error: reason }));
  // Without its database the bot still answers; /brief-schedule then says why it cannot schedule.
  let store: ScheduleStore | null = null;
  try {
    store = state.schedules;
  } catch (error) {
    logger.error("schedule.unavailable", { error });
  }
  const bot = new Bot({
    discord,
    services,
    logger,
    corpusIntake: {
      maxBytes: config.ingest.maxBytes,
      fetchTimeoutMs: config.ingest.fetchTimeoutMs,
      allowPrivate: config.ingest.fetchAllowPrivate,
    },
    // Claims carry the host and process, so two replicas never take each other's claim for their own.
    ...(store ? { schedules: { store, now: () => new Date(), owner: `${hostname()}:${process.pid}` } } : {}),
  });
  const stopped = async (signal: NodeJS.Signals): Promise<number> => {
    logger.info("process.stopping", { signal });
    await bot.stop();
    // discord.js can leave a reconnect timer behind when Discord went away; the bot is done, so it goes.
    exitSoon(0, logger);
    return 0;
  };
  const starting = bot.start();
  // Settled here so a start that fails after a signal won the race below is not an unhandled rejection.
  starting.catch(() => undefined);
  try {
    const signal = await Promise.race([starting.then(() => null), stop.received]);
    if (signal) return await stopped(signal);
  } catch (error) {
    process.stderr.write(`${errorMessage(error)}\n`);
    exitSoon(1, logger);
    return 1;
  }
  const ended = await Promise.race([
    stop.received.then((signal) => ({ signal })),
    bot.fatal.then((error) => ({ error })),
  ]);
  if ("signal" in ended) return await stopped(ended.signal);
  await bot.stop();
  process.stderr.write(`${ended.error.message}\n`);
  exitSoon(1, logger);
  return 1;
}

/**
 * Makes sure a finished bot exits: a handle discord.js or an HTTP agent leaves open would keep
 * it alive, disconnected, and look to a process manager like a running bot.
 */
function exitSoon(code: number, logger: Logger): void {
  setTimeout(() => {
    logger.warn("process.exit_forced", { code, why: "a handle was still open after the bot stopped" });
    process.exit(code);
  }, STOP_GRACE_MS).unref();
}

process.exitCode = await main();
