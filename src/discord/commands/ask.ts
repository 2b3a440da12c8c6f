import { SlashCommandBuilder } from "discord.js";
import { MAX_QUESTION_CHARS } from "../../commands/ask.js";
import { UserError } from "../../errors.js";
import { answerInteraction } from "../answer-reply.js";
import type { Command } from "../command.js";

export { DEFER_AFTER_MS } from "../answer-reply.js";

export const askCommand = {
  data: new SlashCommandBuilder()
    .setName("ask")
    .setDescription("Ask a question; the answer quotes and cites the articles")
    .addStringOption((o) =>
      o.setName("question").setDescription("Your question").setRequired(true).setMaxLength(MAX_QUESTION_CHARS),
    )
    .addBooleanOption((o) => o.setName("private").setDescription("Only you see the answer (default: false)")),
  async execute(interaction, context) {
    const question = interaction.options.getString("question", true);
    const ephemeral = interaction.options.getBoolean("private") ?? false;
    const wait = context.cooldowns.take(interaction.user.id);
    if (wait > 0)
      throw new UserError("COOLDOWN", `You're asking quickly — please wait ${wait} s before the next question.`);
    await answerInteraction(interaction, context, { asked: question, ephemeral });
  },
} satisfies Command;
