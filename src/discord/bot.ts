import { once } from "node:events";
import { setTimeout as delay } from "node:timers/promises";
import {
  Client,
  type ClientOptions,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  type Interaction,
  MessageFlags,
  WebSocketShardEvents,
} from "discord.js";
import type { Services } from "../commands/services.js";
import type { DiscordConfig, ShardPlan } from "../config.js";
import { errorMessage, PassageError } from "../errors.js";
import type { Logger } from "../log.js";
import { BriefingScheduler, type Schedules } from "../schedule/scheduler.js";
import { discordPoster } from "./briefing-poster.js";
import type { Command, DiscordContext, ShardStatus } from "./command.js";
import { COMMANDS } from "./commands/index.js";
import { ConnectionState } from "./connection-state.js";
import { Cooldowns } from "./cooldown.js";
import type { CorpusIntake } from "./corpus/intake-limits.js";
import { fatalGatewayClose } from "./gateway-close.js";
import { handleInteraction } from "./interaction-handler.js";

export interface BotOptions {
  readonly discord: DiscordConfig;
  readonly services: Services;
  readonly logger: Logger;
  readonly commands?: ReadonlyMap<string, Command>;
  readonly now?: () => number;
  /** Scheduled briefings to run while connected, and to offer /brief-schedule over. */
  readonly schedules?: Schedules;
  /** How `/corpus add` takes articles in (CORPUS_MAX_BYTES, the fetch time limit, CORPUS_FETCH_ALLOW_PRIVATE). */
  readonly corpusIntake?: Partial<CorpusIntake>;
}

/** How long `stop` waits for in-flight interactions before disconnecting anyway. */
export const DRAIN_MS = 10_000;

/** Longest wait between two connection attempts at start. */
const MAX_BACKOFF_MS = 30_000;

/** How one connection attempt at start ended. */
type Attempt = { readonly ok: true; readonly client: Client<true> } | { readonly ok: false; readonly error: unknown };

/**
 * The bot: a discord.js client (Guilds intent only: slash commands need nothing more) wired to
 * the command handlers. `start` logs in, retrying an unreachable Discord with backoff, and
 * resolves when ready; `stop` stops taking new interactions, lets in-flight replies finish,
 * then disconnects.
 */
export class Bot {
  private current: Client;
  private readonly context: DiscordContext;
  private readonly inFlight = new Set<Promise<void>>();
  private stopping = false;
  /** Aborted by `stop`, so a start waiting between attempts gives up at once. */
  private readonly stopped = new AbortController();
  private ready = false;
  private scheduler: BriefingScheduler | null = null;
  private closedForGood: (error: PassageError) => void = () => undefined;
  /** Each shard's gateway connection, for /status and the log. */
  readonly connection: ConnectionState;
  /**
   * Resolves when Discord closes the gateway with a code it will not take the bot back after
   * (4004, 4010–4014): discord.js then stops reconnecting, and the bot should exit, not idle.
   */
  readonly fatal: Promise<PassageError> = new Promise((resolve) => {
    this.closedForGood = resolve;
  });

  constructor(private readonly options: BotOptions) {
    const now = options.now ?? (() => performance.now());
    this.connection = new ConnectionState(options.logger);
    this.context = {
      services: options.services,
      discord: options.discord,
      logger: options.logger,
      cooldowns: new Cooldowns(options.discord.cooldownSeconds, () => Date.now()),
      now,
      connection: () => this.shardStatus(),
      ...(options.schedules ? { schedules: options.schedules } : {}),
      ...(options.corpusIntake ? { corpusIntake: options.corpusIntake } : {}),
    };
    this.current = this.createClient();
  }

  /** The discord.js client of the current connection (a new one per attempt at start). */
  get client(): Client {
    return this.current;
  }

  private createClient(): Client {
    const { logger } = this.options;
    const client = new Client({
      intents: [GatewayIntentBits.Guilds],
      // No message of the bot's pings anyone: discord.js puts this on every reply, edit and
      // follow-up that does not set its own. (Raw REST calls, as the scheduled poster's, do not
      // go through it and set it themselves.)
      allowedMentions: { parse: [] },
      ...(this.options.discord.apiUrl ? { rest: { api: this.options.discord.apiUrl } } : {}),
      ...shardOptions(this.options.discord.shards),
    });
    client.on(Events.InteractionCreate, (interaction) => this.onInteraction(interaction));
    client.on(Events.Error, (error) => logger.error("discord.error", { error }));
    client.on(Events.Warn, (message) => logger.warn("discord.warn", { message }));
    client.on(Events.ShardDisconnect, (event, shard) => {
      this.connection.set(shard, "disconnected");
      const fix = fatalGatewayClose(event.code);
      if (!fix) return;
      logger.error("discord.closed_for_good", { shard, code: event.code });
      this.closedForGood(new PassageError("DISCORD_CLOSED", fix));
    });
    // discord.js reconnects by itself after a close it can recover from (it emits no
    // shardDisconnect then): each try is logged, and the shard shows as reconnecting meanwhile.
    client.on(Events.ShardReconnecting, (shard) => {
      if (!this.ready || this.stopping) return;
      this.connection.set(shard, "reconnecting");
      const attempt = this.connection.snapshot().find((s) => s.shard === shard)?.attempts ?? 1;
      logger.warn("discord.reconnecting", { shard, attempt });
    });
    client.on(Events.ShardResume, (shard, replayed) => {
      this.connection.set(shard, "ready");
      logger.info("discord.resumed", { shard, replayed });
    });
    client.on(Events.ShardReady, (shard) => {
      const again = this.ready;
      this.connection.set(shard, "ready");
      // The first READY is logged once for the whole process by `start`; a later one is a new session.
      if (again) logger.info("discord.ready", { shard, guilds: this.guildsOf(client, shard) });
    });
    return client;
  }

  /**
   * Logs in and resolves once the gateway session is ready. Discord unreachable (REST or the
   * gateway) is retried with exponential backoff, each try logged (`discord.connect_retry`); after
   * DISCORD_CONNECT_ATTEMPTS tries, or without READY within DISCORD_READY_TIMEOUT_MS, or on a
   * rejected token, it throws a one-line `PassageError`.
   */
  async start(): Promise<void> {
    const { connectAttempts, connectBackoffMs, readyTimeoutMs } = this.options.discord;
    const noReady = new AbortController();
    const timer = setTimeout(() => noReady.abort(), readyTimeoutMs);
    timer.unref();
    let client: Client<true> | null = null;
    try {
      for (let attempt = 1; client === null; attempt += 1) {
        for (const shard of this.plannedShards()) this.connection.set(shard, "connecting");
        const result = await this.attempt(noReady.signal);
        if (result.ok) {
          client = result.client;
          break;
        }
        await destroyClient(this.current, this.options.logger);
        if (noReady.signal.aborted)
          throw new PassageError(
            "DISCORD_NO_READY",
            `Discord sent no READY within ${readyTimeoutMs} ms (DISCORD_READY_TIMEOUT_MS); check DISCORD_API_URL and the network, or raise the limit`,
          );
        if (this.stopping) throw new PassageError("DISCORD_LOGIN", "Stopped before Discord was connected");
        if (isFinal(result.error)) throw loginError(result.error);
        if (attempt >= connectAttempts)
          throw new PassageError(
            "DISCORD_UNREACHABLE",
            `Could not connect to Discord in ${connectAttempts} attempts (DISCORD_CONNECT_ATTEMPTS), last: ${errorMessage(result.error)}; check DISCORD_API_URL and the network`,
          );
        const delayMs = Math.min(connectBackoffMs * 2 ** (attempt - 1), MAX_BACKOFF_MS);
        this.options.logger.warn("discord.connect_retry", { attempt, delayMs, error: errorMessage(result.error) });
        await sleep(delayMs, AbortSignal.any([noReady.signal, this.stopped.signal]));
        if (this.stopping) throw new PassageError("DISCORD_LOGIN", "Stopped before Discord was connected");
        this.current = this.createClient();
      }
    } finally {
      clearTimeout(timer);
    }
    this.ready = true;
    // Every close, recoverable or not, with its code; discord.js's own events carry no code for the first.
    for (const shard of client.ws.shards.values())
      shard.on(WebSocketShardEvents.Close, (event: { code: number }) => {
        // The close `stop` asks for is no loss.
        if (!this.stopping) this.options.logger.warn("discord.disconnect", { shard: shard.id, code: event.code });
      });
    this.options.logger.info("discord.ready", {
      user: client.user.tag,
      applicationId: client.application.id,
      guilds: client.guilds.cache.size,
      shards: this.shardStatus(),
    });
    if (this.options.schedules) {
      // Only once connected: a briefing due while the bot was offline is caught up here.
      this.scheduler = new BriefingScheduler({
        schedules: this.options.schedules,
        services: this.options.services,
        post: discordPoster(client.rest),
        logger: this.options.logger,
        serves: (guildId) => this.servesGuild(guildId),
      });
      await this.scheduler.start();
    }
  }

  /**
   * One try at connecting with the current client: ready, or why not. The gateway closing before
   * READY ends the try (discord.js would retry it every 500 ms forever, silently), as do a login
   * failure, a fatal close, `stop` and the READY deadline.
   */
  private async attempt(noReady: AbortSignal): Promise<Attempt> {
    const client = this.current;
    const ended = new AbortController();
    const signal = AbortSignal.any([ended.signal, noReady, this.stopped.signal]);
    try {
      const ready = onceOrNever(client, Events.ClientReady, signal).then(() => ({ ok: true, client }) as Attempt);
      // The error, not the raw close, is what the operator needs: a refused connection is a
      // network error, which @discordjs/ws reports only in its debug output.
      let networkError = false;
      client.on(Events.Debug, (line) => {
        if (line.includes("network error")) networkError = true;
      });
      const closed = onceOrNever(client, Events.ShardReconnecting, signal).then(
        () =>
          ({
            ok: false,
            error: new Error(
              networkError
                ? "the gateway could not be reached (network error)"
                : "the gateway closed the connection before READY",
            ),
          }) as Attempt,
      );
      const login = client.login(this.options.discord.token).then(
        () => new Promise<Attempt>(() => undefined),
        (error: unknown) => ({ ok: false, error }) as Attempt,
      );
      const fatal = this.fatal.then((error) => ({ ok: false, error }) as Attempt);
      const aborted = new Promise<Attempt>((resolve) => {
        const stop = (): void => resolve({ ok: false, error: new Error("stopped waiting") });
        if (signal.aborted) stop();
        else signal.addEventListener("abort", stop, { once: true });
      });
      return await Promise.race([ready, closed, login, fatal, aborted]);
    } finally {
      ended.abort();
    }
  }

  /**
   * Whether this process serves `guildId`: Discord routes a guild to shard
   * `(guild_id >> 22) % shard_count`, and this process runs only its SHARD_IDS.
   */
  servesGuild(guildId: string): boolean {
    if (!/^\d+$/.test(guildId)) return false;
    const { count, ids } = this.shardSpan();
    return ids.includes(Number((BigInt(guildId) >> 22n) % BigInt(count)));
  }

  /** The shard count and this process's shard ids: as configured, or as discord.js settled them (`auto`). */
  private shardSpan(): { readonly count: number; readonly ids: readonly number[] } {
    const plan = this.options.discord.shards;
    if (plan !== null && plan.count !== "auto") return plan;
    const { shardCount, shards } = this.current.options;
    const count = typeof shardCount === "number" && shardCount >= 1 ? shardCount : 1;
    if (Array.isArray(shards)) return { count, ids: shards };
    if (typeof shards === "number") return { count, ids: [shards] };
    // Not connected yet with `auto`, or no sharding at all: discord.js runs every shard of `count`.
    return { count, ids: Array.from({ length: count }, (_, id) => id) };
  }

  /** The shards this process asks for, before discord.js has said which it connected. */
  private plannedShards(): readonly number[] {
    const known = [...this.current.ws.shards.keys()];
    if (known.length > 0) return known;
    const plan = this.options.discord.shards;
    return plan !== null && plan.count !== "auto" ? plan.ids : [0];
  }

  /** Each shard's connection and how many guilds it brought, for /status and the ready log. */
  private shardStatus(): readonly ShardStatus[] {
    return this.connection.snapshot().map((s) => ({
      shard: s.shard,
      phase: s.phase,
      since: s.since.toISOString(),
      attempts: s.attempts,
      guilds: this.guildsOf(this.current, s.shard),
    }));
  }

  private guildsOf(client: Client, shard: number): number {
    return client.guilds.cache.filter((g) => g.shardId === shard).size;
  }

  /** Stops taking interactions, waits for those in flight (up to 10 s), and disconnects. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.stopped.abort();
    await this.scheduler?.stop();
    const drained = Promise.allSettled([...this.inFlight]);
    await Promise.race([drained, new Promise((resolve) => setTimeout(resolve, DRAIN_MS).unref())]);
    await destroyClient(this.current, this.options.logger);
    this.options.logger.info("discord.stopped", { unfinished: this.inFlight.size });
  }

  private onInteraction(interaction: Interaction): void {
    if (this.stopping) {
      if (interaction.isRepliable())
        void interaction
          .reply({ content: "The bot is restarting; please try again in a moment.", flags: MessageFlags.Ephemeral })
          .catch(() => undefined);
      return;
    }
    const work = handleInteraction(interaction, this.options.commands ?? COMMANDS, this.context).catch(
      (error: unknown) => {
        this.options.logger.error("interaction.unhandled", { interactionId: interaction.id, error });
      },
    );
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }
}

/** A login failure that another attempt would not fix: a rejected token, or a close Discord will not take back. */
function isFinal(error: unknown): boolean {
  if (error instanceof PassageError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return code === "TokenInvalid" || (error instanceof DiscordAPIError && error.status === 401);
}

/** The one-line error for a login that failed for good. */
function loginError(cause: unknown): PassageError {
  if (cause instanceof PassageError) return cause;
  return new PassageError(
    "DISCORD_LOGIN",
    "Discord rejected DISCORD_TOKEN; copy a fresh one from the Developer Portal's Bot page",
    { cause },
  );
}

/** Waits `ms`, or less if `signal` aborts first (then resolves all the same: the caller checks why). */
async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  await delay(ms, undefined, { signal }).catch(() => undefined);
}

/** Resolves on the first `event` from `client`; never, once `signal` aborts (no rejection to handle). */
function onceOrNever(client: Client, event: string, signal: AbortSignal): Promise<unknown> {
  return once(client, event, { signal }).catch(() => new Promise<never>(() => undefined));
}

/** How long a client's destroy may take before the bot gives up waiting on it. */
const DESTROY_LIMIT_MS = 2_000;

/**
 * Destroys `client`, waiting at most 2 s. @discordjs/ws 1.2 can hang a destroy that lands while a
 * shard waits for HELLO or READY (its own wait sees the abort as a failure and reconnects, and
 * the destroy's close is never resolved); the bot must not hang with it. The process exit that
 * follows a failed start or a stop ends such a shard.
 */
async function destroyClient(client: Client, logger: Logger): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const stuck = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), DESTROY_LIMIT_MS);
  });
  const destroyed = await Promise.race([client.destroy().then(() => false), stuck]);
  clearTimeout(timer);
  if (destroyed) logger.warn("discord.destroy_stuck", { afterMs: DESTROY_LIMIT_MS });
}

/** The client options for a shard plan: discord.js runs several shards in one process natively. */
function shardOptions(plan: ShardPlan | null): Partial<Pick<ClientOptions, "shards" | "shardCount">> {
  if (plan === null) return {};
  if (plan.count === "auto") return { shards: "auto" };
  return { shards: [...plan.ids], shardCount: plan.count };
}
