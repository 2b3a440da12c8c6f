import { SlashCommandBuilder } from "discord.js";
import { status } from "../../commands/status.js";
import type { Usage } from "../../feedback/answer-log.js";
import type { Command, DiscordContext } from "../command.js";
import { renderStatus } from "../render/status.js";

export const statusCommand = {
  data: new SlashCommandBuilder()
    .setName("status")
    .setDescription("What the bot's index holds, and how long it has been up"),
  async execute(interaction, context) {
    await interaction.reply(renderStatus(status(context.services), usage(context)));
  },
} satisfies Command;

/** The answer log's usage, or null when there is no log or it cannot be read (a locked file must not stop /status). */
function usage(context: DiscordContext): Usage | null {
  try {
    return context.services.feedback?.usage() ?? null;
  } catch (error) {
    context.logger.warn("status.usage_failed", { error });
    return null;
  }
}
