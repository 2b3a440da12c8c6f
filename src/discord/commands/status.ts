import { status } from "../../commands/status.js";
import type { DiscordCommand } from "../command.js";
import { renderStatus } from "../render.js";

export const statusCommand = {
  data: { name: "status", description: "What the bot's index holds, and how long it has been up" },
  async execute(interaction, context) {
    await interaction.reply({ ...renderStatus(status(context.services)), allowedMentions: { parse: [] } });
  },
} satisfies DiscordCommand;
