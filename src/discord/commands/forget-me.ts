import { MessageFlags, SlashCommandBuilder } from "discord.js";
import type { Command } from "../command.js";
import { requireLog, takeCooldown } from "../feedback/logged-answer.js";

export const forgetMeCommand = {
  data: new SlashCommandBuilder()
    .setName("forget-me")
    .setDescription("Delete the questions you asked and the votes you gave from Passage's answer log"),
  async execute(interaction, context) {
    takeCooldown(context, "forget-me", interaction.user.id);
    const deleted = await requireLog(context).forget(interaction.user.id);
    context.logger.info("feedback.forgotten", { interactionId: interaction.id, rows: deleted });
    const what =
      deleted === 0
        ? "The answer log held nothing of yours."
        : `Deleted ${deleted} record${deleted === 1 ? "" : "s"} of yours from the answer log: the questions you asked and your votes and comments.`;
    await interaction.reply({
      content: `${what} Answers already posted in channels stay there as messages; the log no longer links anything to you.`,
      flags: MessageFlags.Ephemeral,
    });
  },
} satisfies Command;
