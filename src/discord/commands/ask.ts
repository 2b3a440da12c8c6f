import { setTimeout as sleep } from "node:timers/promises";
import { MessageFlags, SlashCommandBuilder } from "discord.js";
import type { Answer } from "../../answer/answer.js";
import { ask, cleanQuestion, MAX_QUESTION_CHARS } from "../../commands/ask.js";
import { UserError } from "../../errors.js";
import type { Command } from "../command.js";
import { renderAnswer, renderPartialAnswer } from "../render/answer.js";
import { ThrottledEdits } from "../throttled-edits.js";

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

    const flags = ephemeral ? MessageFlags.Ephemeral : undefined;
    const model = context.services.model;
    if (model) {
      // A bad question is refused privately, before the public "thinking…" is shown.
      cleanQuestion(question);
      // A model takes seconds: acknowledge at once, then show each verified sentence as it comes.
      await interaction.deferReply(flags ? { flags } : {});
      const edits = new ThrottledEdits(
        (body) => interaction.editReply(body),
        (error) => context.logger.warn("ask.progress_edit_failed", { error }),
      );
      let answer: Answer;
      try {
        answer = await ask(context.services, question, (partial) =>
          edits.push(renderPartialAnswer(partial, model.name)),
        );
      } catch (error) {
        edits.cancel();
        throw error;
      }
      await edits.finish(renderAnswer(answer, { ms: context.now() - started }));
      return;
    }
    const answering = ask(context.services, question);
    const first = await Promise.race([answering, sleep(DEFER_AFTER_MS, null, { ref: false })]);
    if (first === null) {
      await interaction.deferReply(flags ? { flags } : {});
      const answer = await answering;
      await interaction.editReply(renderAnswer(answer, { ms: context.now() - started }));
      return;
    }
    await interaction.reply({ ...renderAnswer(first, { ms: context.now() - started }), ...(flags ? { flags } : {}) });
  },
} satisfies Command;
