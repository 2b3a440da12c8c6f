import { Client, DiscordAPIError, Events, GatewayIntentBits, type Interaction, MessageFlags } from "discord.js";
import type { Services } from "../commands/services.js";
import type { DiscordConfig } from "../config.js";
import { errorMessage, PassageError } from "../errors.js";
import type { Logger } from "../log.js";
import { BriefingScheduler, type Schedules } from "../schedule/scheduler.js";
import { discordPoster } from "./briefing-poster.js";
import type { Command, DiscordContext } from "./command.js";
import { COMMANDS } from "./commands/index.js";
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

/**
 * The bot: a discord.js client (Guilds intent only: slash commands need nothing more) wired to
 * the command handlers. `start` logs in and resolves when ready; `stop` stops taking new
 * interactions, lets in-flight replies finish, then disconnects.
 */
export class Bot {
  readonly client: Client;
  private readonly context: DiscordContext;
  private readonly inFlight = new Set<Promise<void>>();
  private stopping = false;
  private scheduler: BriefingScheduler | null = null;
  private closedForGood: (error: PassageError) => void = () => undefined;
  /**
   * Resolves when Discord closes the gateway with a code it will not take the bot back after
   * (4004, 4010–4014): discord.js then stops reconnecting, and the bot should exit, not idle.
   */
  readonly fatal: Promise<PassageError> = new Promise((resolve) => {
    this.closedForGood = resolve;
  });

  constructor(private readonly options: BotOptions) {
    const now = options.now ?? (() => performance.now());
    this.context = {
      services: options.services,
      discord: options.discord,
      logger: options.logger,
      cooldowns: new Cooldowns(options.discord.cooldownSeconds, () => Date.now()),
      now,
      ...(options.schedules ? { schedules: options.schedules } : {}),
      ...(options.corpusIntake ? { corpusIntake: options.corpusIntake } : {}),
    };
    this.client = new Client({
      intents: [GatewayIntentBits.Guilds],
      // No message of the bot's pings anyone: discord.js puts this on every reply, edit and
      // follow-up that does not set its own. (Raw REST calls, as the scheduled poster's, do not
      // go through it and set it themselves.)
      allowedMentions: { parse: [] },
      ...(options.discord.apiUrl ? { rest: { api: options.discord.apiUrl } } : {}),
    });
    this.client.on(Events.InteractionCreate, (interaction) => this.onInteraction(interaction));
    this.client.on(Events.Error, (error) => options.logger.error("discord.error", { error }));
    this.client.on(Events.Warn, (message) => options.logger.warn("discord.warn", { message }));
    this.client.on(Events.ShardDisconnect, (event, shard) => {
      const fix = fatalGatewayClose(event.code);
      if (!fix) {
        options.logger.warn("discord.disconnect", { shard, code: event.code });
        return;
      }
      options.logger.error("discord.closed_for_good", { shard, code: event.code });
      this.closedForGood(new PassageError("DISCORD_CLOSED", fix));
    });
  }

  /** Logs in and resolves once the gateway session is ready. A rejected token is a one-line `PassageError`. */
  async start(): Promise<void> {
    const ready = new Promise<Client<true>>((resolve) => this.client.once(Events.ClientReady, resolve));
    // A fatal close during login means READY will never come; without this the start would wait forever.
    const fatal = this.fatal.then((error) => Promise.reject(error));
    fatal.catch(() => undefined);
    try {
      await Promise.race([this.client.login(this.options.discord.token), fatal]);
    } catch (cause) {
      await this.client.destroy();
      if (cause instanceof PassageError) throw cause;
      const code = (cause as { code?: unknown }).code;
      const why =
        code === "TokenInvalid" || (cause instanceof DiscordAPIError && cause.status === 401)
          ? "Discord rejected DISCORD_TOKEN; copy a fresh one from the Developer Portal's Bot page"
          : `Could not connect to Discord: ${errorMessage(cause)}`;
      throw new PassageError("DISCORD_LOGIN", why, { cause });
    }
    let client: Client<true>;
    try {
      client = await Promise.race([ready, fatal]);
    } catch (error) {
      await this.client.destroy();
      throw error;
    }
    this.options.logger.info("discord.ready", {
      user: client.user.tag,
      applicationId: client.application.id,
      guilds: client.guilds.cache.size,
    });
    if (this.options.schedules) {
      // Only once connected: a briefing due while the bot was offline is caught up here.
      this.scheduler = new BriefingScheduler({
        schedules: this.options.schedules,
        services: this.options.services,
        post: discordPoster(this.client.rest),
        logger: this.options.logger,
      });
      await this.scheduler.start();
    }
  }

  /** Stops taking interactions, waits for those in flight (up to 10 s), and disconnects. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.scheduler?.stop();
    const drained = Promise.allSettled([...this.inFlight]);
    await Promise.race([drained, new Promise((resolve) => setTimeout(resolve, DRAIN_MS).unref())]);
    await this.client.destroy();
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
