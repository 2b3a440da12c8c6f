import { type ButtonInteraction, type Interaction, MessageFlags, type RepliableInteraction } from "discord.js";
import { hasCode, PassageError, UserError } from "../errors.js";
import type { Command, DiscordContext, MessageCommand } from "./command.js";
import { MESSAGE_COMMANDS } from "./commands/index.js";
import { CORPUS_BUTTONS } from "./corpus/buttons.js";
import { FEEDBACK_BUTTONS, FEEDBACK_MODALS } from "./feedback/components.js";
import { parseCustomId } from "./feedback/custom-ids.js";
import { notice } from "./render/message.js";
import { PASSAGE_BUTTON_PREFIX, renderPassage } from "./render/passage.js";

/**
 * Routes every interaction to its handler and is the one error path: a `UserError` becomes a
 * friendly ephemeral message; anything else is logged with the interaction id and the user is
 * told something went wrong. Replying works whether or not the interaction was already
 * acknowledged, and a reply that itself fails (an expired interaction, a Discord 4xx/5xx) is
 * logged, never thrown.
 */
export async function handleInteraction(
  interaction: Interaction,
  commands: ReadonlyMap<string, Command>,
  context: DiscordContext,
  messageCommands: ReadonlyMap<string, MessageCommand> = MESSAGE_COMMANDS,
): Promise<void> {
  const started = context.now();
  const name = interaction.isChatInputCommand()
    ? interaction.commandName
    : interaction.isMessageContextMenuCommand()
      ? `message:${interaction.commandName}`
      : interaction.isButton()
        ? `button:${parseCustomId(interaction.customId).kind}`
        : interaction.isModalSubmit()
          ? `modal:${parseCustomId(interaction.customId).kind}`
          : interaction.isAutocomplete()
            ? `autocomplete:${interaction.commandName}`
            : `type:${interaction.type}`;
  try {
    if (interaction.isChatInputCommand()) {
      const command = commands.get(interaction.commandName);
      if (!command)
        throw new UserError(
          "UNKNOWN_COMMAND",
          `This bot doesn't know /${interaction.commandName} (any more). Ask a moderator to run \`npm run register\`.`,
        );
      await command.execute(interaction, context);
    } else if (interaction.isAutocomplete()) {
      const command = commands.get(interaction.commandName);
      // An unknown command, or one without autocomplete, gets no choices rather than an error.
      if (command?.autocomplete) await command.autocomplete(interaction, context);
      else await interaction.respond([]);
    } else if (interaction.isMessageContextMenuCommand()) {
      const command = messageCommands.get(interaction.commandName);
      if (!command)
        throw new UserError(
          "UNKNOWN_COMMAND",
          `This bot doesn't know “${interaction.commandName}” (any more). Ask a moderator to run \`npm run register\`.`,
        );
      await command.execute(interaction, context);
    } else if (interaction.isButton() && interaction.customId.startsWith(PASSAGE_BUTTON_PREFIX)) {
      await showPassage(interaction, context);
    } else if (interaction.isButton() || interaction.isModalSubmit()) {
      const { kind, args } = parseCustomId(interaction.customId);
      if (interaction.isButton()) {
        const handler = FEEDBACK_BUTTONS.get(kind) ?? CORPUS_BUTTONS.get(kind);
        // Silence would leave Discord showing "This interaction failed" with no reason.
        if (!handler) throw unknownComponent();
        await handler(interaction, args, context);
      } else {
        const handler = FEEDBACK_MODALS.get(kind);
        if (!handler) throw unknownComponent();
        await handler(interaction, args, context);
      }
    } else {
      return;
    }
    context.logger.info("interaction.done", {
      interactionId: interaction.id,
      command: name,
      latencyMs: round(context.now() - started),
    });
  } catch (error) {
    const user = error instanceof UserError;
    if (user)
      context.logger.info("interaction.refused", { interactionId: interaction.id, command: name, code: error.code });
    else
      context.logger.error("interaction.failed", {
        interactionId: interaction.id,
        command: name,
        error,
        latencyMs: round(context.now() - started),
      });
    if (interaction.isRepliable()) {
      // A damaged database file is for the operator to fix: the moderator gets the same line to pass on.
      const text = user
        ? error.message
        : hasCode(error, "STORE_DAMAGED")
          ? `${error.message} (Reference ${interaction.id}.)`
          : `Something went wrong on our side and it has been logged (reference ${interaction.id}). Please try again in a moment.`;
      await replyPrivately(interaction, text, context);
    }
  }
}

async function showPassage(interaction: ButtonInteraction, context: DiscordContext): Promise<void> {
  const id = interaction.customId.slice(PASSAGE_BUTTON_PREFIX.length);
  const passage = context.services.indexes.current.passages.find((p) => p.metadata.id === id);
  if (!passage)
    throw new UserError(
      "PASSAGE_GONE",
      "That passage is no longer in the index — the corpus was reindexed since. Ask again to get current passages.",
    );
  await interaction.reply({ ...renderPassage(passage), flags: MessageFlags.Ephemeral });
}

/** Sends `text` only to the user, by whichever call fits the interaction's state. */
async function replyPrivately(interaction: RepliableInteraction, text: string, context: DiscordContext): Promise<void> {
  const body = { content: notice(text) };
  try {
    if (interaction.deferred && !interaction.replied)
      await interaction.editReply({ ...body, embeds: [], components: [] });
    else if (interaction.replied) await interaction.followUp({ ...body, flags: MessageFlags.Ephemeral });
    else await interaction.reply({ ...body, flags: MessageFlags.Ephemeral });
  } catch (error) {
    const code = error instanceof PassageError ? error.code : (error as { code?: unknown }).code;
    context.logger.warn("interaction.reply_failed", { interactionId: interaction.id, code, error });
  }
}

/** A button or form from an older version of the bot, or one it never made. */
function unknownComponent(): UserError {
  return new UserError(
    "UNKNOWN_COMPONENT",
    "This button doesn't do anything any more — the bot was updated since. Ask again to get current buttons.",
  );
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
