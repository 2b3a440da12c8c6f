import { ApplicationCommandType, ButtonBuilder, ButtonStyle, ContextMenuCommandBuilder } from "discord.js";
import { UserError } from "../../errors.js";
import { answerInteraction } from "../answer-reply.js";
import type { MessageCommand } from "../command.js";
import { publishId } from "../feedback/custom-ids.js";

/**
 * "Ask Passage" (right-click a message → Apps): answers the message's text as the question,
 * privately to the caller, with a "Post publicly" button that posts the answer as a reply to
 * that message, so a moderator can answer a member's question in chat with one click.
 */
export const askMessageCommand = {
  data: new ContextMenuCommandBuilder().setName("Ask Passage").setType(ApplicationCommandType.Message),
  async execute(interaction, context) {
    const text = interaction.targetMessage.content;
    if (text.trim().length === 0)
      throw new UserError(
        "NO_MESSAGE_TEXT",
        "That message has no text to ask about (only attachments or embeds). Use /ask with the question instead.",
      );
    const wait = context.cooldowns.take(interaction.user.id);
    if (wait > 0)
      throw new UserError("COOLDOWN", `You're asking quickly — please wait ${wait} s before the next question.`);
    const targetId = interaction.targetMessage.id;
    await answerInteraction(interaction, context, {
      asked: text,
      ephemeral: true,
      extraButtons: (answerId) => [
        new ButtonBuilder()
          .setCustomId(publishId(answerId, targetId))
          .setStyle(ButtonStyle.Success)
          .setLabel("Post publicly")
          .toJSON(),
      ],
    });
  },
} satisfies MessageCommand;
