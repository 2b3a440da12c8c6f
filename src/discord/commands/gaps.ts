import { InteractionContextType, MessageFlags, PermissionFlagsBits, SlashCommandBuilder } from "discord.js";
import { GAPS_LIMITS, gaps } from "../../commands/feedback.js";
import type { Command } from "../command.js";
import { requireLog, takeCooldown } from "../feedback/logged-answer.js";
import { requireModerator } from "../permissions.js";
import { renderGaps } from "../render/gaps.js";

export const gapsCommand = {
  data: new SlashCommandBuilder()
    .setName("gaps")
    .setDescription("Questions Passage could not answer and answers voted down, most frequent first (moderators)")
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .setContexts(InteractionContextType.Guild)
    .addIntegerOption((o) =>
      o
        .setName("days")
        .setDescription(`How many days back (default ${GAPS_LIMITS.days.default})`)
        .setMinValue(GAPS_LIMITS.days.min)
        .setMaxValue(GAPS_LIMITS.days.max),
    )
    .addIntegerOption((o) =>
      o
        .setName("limit")
        .setDescription(`How many questions to list (default ${GAPS_LIMITS.limit.default}; the CSV has all)`)
        .setMinValue(GAPS_LIMITS.limit.min)
        .setMaxValue(GAPS_LIMITS.limit.max),
    ),
  async execute(interaction, context) {
    requireModerator(interaction, context.discord);
    takeCooldown(context, "gaps", interaction.user.id);
    requireLog(context);
    const report = await gaps(context.services, {
      days: interaction.options.getInteger("days") ?? GAPS_LIMITS.days.default,
      limit: interaction.options.getInteger("limit") ?? GAPS_LIMITS.limit.default,
    });
    const date = new Date().toISOString().slice(0, 10);
    // Private: the list quotes members' questions and comments, for the moderators who asked.
    await interaction.reply({
      embeds: [renderGaps(report)],
      files: [{ attachment: Buffer.from(report.csv, "utf8"), name: `passage-gaps-${report.days}d-${date}.csv` }],
      flags: MessageFlags.Ephemeral,
    });
  },
} satisfies Command;
