import { setTimeout as sleep } from "node:timers/promises";
import { MessageFlags, SlashCommandBuilder } from "discord.js";
import { ask, MAX_QUESTION_CHARS } from "../../commands/ask.js";
import { UserError } from "../../errors.js";
import type { Command } from "../command.js";
import { renderAnswer } from "../render/answer.js";

/**
 * If the answer is not ready by then, acknowledge first (Discord allows 3 s for the first
 * response). The local answerer takes milliseconds and never hits this, so users see the
 * answer in one message, with no "thinking…" flash; a remote model may take longer.
 */
export const DEFER_AFTER_MS = 1500;

export const askCommand = {
  data: new SlashCommandBuilder()
    .setName("ask")
    .setDescription("Ask a question; the answer quotes and cites the articles")
    .addStringOption((o) =>
      o.setName("question").setDescription("Your question").setRequired(true).setMaxLength(MAX_QUESTION_CHARS),
    )
    .addBooleanOption((o) => o.setName("private").setDescription("Only you see the answer (default: false)")),
  async execute(interaction, context) {
    const started = context.now();
    const question = interaction.options.getString("question", true);
    const ephemeral = interaction.options.getBoolean("private") ?? false;
    const wait = context.cooldowns.take(interaction.user.id);
    if (wait > 0)
      throw new UserError("COOLDOWN", `You're asking quickly — please wait ${wait} s before the next question.`);

    const answering = ask(context.services, question);
    const first = await Promise.race([answering, sleep(DEFER_AFTER_MS, null, { ref: false })]);
    const flags = ephemeral ? MessageFlags.Ephemeral : undefined;
    if (first === null) {
      await interaction.deferReply(flags ? { flags } : {});
      const answer = await answering;
      await interaction.editReply(renderAnswer(answer, { ms: context.now() - started }));
      return;
    }
    await interaction.reply({ ...renderAnswer(first, { ms: context.now() - started }), ...(flags ? { flags } : {}) });
  },
} satisfies Command;
