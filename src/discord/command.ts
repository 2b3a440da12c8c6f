import type {
  AutocompleteInteraction,
  ChatInputCommandInteraction,
  MessageContextMenuCommandInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
  RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from "discord.js";
import type { Services } from "../commands/services.js";
import type { ShardStatus } from "../commands/status.js";
import type { DiscordConfig } from "../config.js";
import type { Logger } from "../log.js";
import type { Schedules } from "../schedule/scheduler.js";
import type { Cooldowns } from "./cooldown.js";
import type { CorpusIntake } from "./corpus/intake-limits.js";

/** What a Discord command handler may use. */
export interface DiscordContext {
  readonly services: Services;
  readonly discord: DiscordConfig;
  readonly logger: Logger;
  readonly cooldowns: Cooldowns;
  /** The clock, injectable for tests of cooldowns and timing. */
  readonly now: () => number;
  /** Scheduled briefings, when the bot runs them (absent if their database could not be opened). */
  readonly schedules?: Schedules;
  /** How `/corpus add` takes articles in; the defaults (5 MB, 15 s, address rule on) where absent. */
  readonly corpusIntake?: Partial<CorpusIntake>;
  /** Each gateway shard's connection and guild count, for /status (absent outside a running bot). */
  readonly connection?: () => readonly ShardStatus[];
}

export type { ShardStatus };

/**
 * One slash command, as the discord.js guide shapes it: its definition (a `SlashCommandBuilder`,
 * whose `toJSON()` is what `npm run register` sends) and its handler. Handlers throw on failure
 * (a `UserError` for the user's mistakes); the interaction handler is the one place that turns
 * errors into replies.
 */
export interface Command {
  /** Any of the slash-command builders: with options, with subcommands, or neither. */
  readonly data: { readonly name: string; toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody };
  execute(interaction: ChatInputCommandInteraction, context: DiscordContext): Promise<void>;
  /** Answers an autocomplete request for one of its options (callback type 8), when it has any. */
  autocomplete?(interaction: AutocompleteInteraction, context: DiscordContext): Promise<void>;
}

/**
 * A message command (right-click a message → Apps), built with `ContextMenuCommandBuilder`:
 * registered beside the slash commands, handled like them.
 */
export interface MessageCommand {
  readonly data: { readonly name: string; toJSON(): RESTPostAPIContextMenuApplicationCommandsJSONBody };
  execute(interaction: MessageContextMenuCommandInteraction, context: DiscordContext): Promise<void>;
}

/** Anything `npm run register` sends Discord. */
export type RegisteredCommand = Command | MessageCommand;
