import { SlashCommandBuilder } from "discord.js";
import { status } from "../../commands/status.js";
import type { Command } from "../command.js";
import { renderStatus } from "../render/status.js";

export const statusCommand = {
  data: new SlashCommandBuilder()
    .setName("status")
    .setDescription("What the bot's index holds, and how long it has been up"),
  async execute(interaction, context) {
    await interaction.reply(renderStatus(await status(context.services, new Date(), context.connection?.() ?? [])));
  },
} satisfies Command;
