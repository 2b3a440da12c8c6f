import {
  ActionRowBuilder,
  ButtonBuilder,
  type ButtonInteraction,
  ButtonStyle,
  LabelBuilder,
  MessageFlags,
  ModalBuilder,
  type ModalSubmitInteraction,
  TextInputBuilder,
  TextInputStyle,
} from "discord.js";
import { UserError } from "../../errors.js";
import type { DiscordContext } from "../command.js";
import { VOTE_EMOJI } from "../render/feedback.js";
import { notice } from "../render/message.js";
import { cleanComment, MAX_COMMENT_CHARS } from "./comment-text.js";
import { answerIdArg, commentId, commentModalId, INPUT_ID, isVote } from "./custom-ids.js";
import { requireAnswer, requireLog, takeCooldown } from "./logged-answer.js";

/**
 * 👍 / 👎 (`vote:<up|down>:<answer>`): records the presser's vote, one per person per answer (a
 * second press changes it), and acknowledges it privately. A 👎 is answered with a button that
 * opens the optional "what was wrong?" modal (a modal can only be a first response, and the
 * first response here is the acknowledgement).
 */
export async function handleVote(
  interaction: ButtonInteraction,
  args: readonly string[],
  context: DiscordContext,
): Promise<void> {
  const [vote, id] = args;
  if (!isVote(vote)) throw new UserError("ANSWER_GONE", "That button is not one this bot makes any more.");
  takeCooldown(context, "vote", interaction.user.id);
  const log = requireLog(context);
  const answer = await requireAnswer(log, answerIdArg(id));
  const { previous } = await log.vote(answer.id, interaction.user.id, vote);
  context.logger.info("feedback.vote", { answerId: answer.id, vote, changed: previous !== null && previous !== vote });
  const said =
    previous === vote
      ? `You had already voted ${VOTE_EMOJI[vote]} on this answer; it still counts once.`
      : previous
        ? `Changed your vote on this answer from ${VOTE_EMOJI[previous]} to ${VOTE_EMOJI[vote]}.`
        : `Thanks — your ${VOTE_EMOJI[vote]} is recorded. Only you see this.`;
  if (vote === "up") {
    await interaction.reply({ content: notice(said), flags: MessageFlags.Ephemeral });
    return;
  }
  const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder().setCustomId(commentId(answer.id)).setStyle(ButtonStyle.Secondary).setLabel("What was wrong?"),
  );
  await interaction.reply({
    content: notice(`${said} If you like, say in one line what was wrong: it helps the moderators fix the articles.`),
    components: [row.toJSON()],
    flags: MessageFlags.Ephemeral,
  });
}

/** "What was wrong?" (`comment:<answer>`): opens the one-line comment modal. */
export async function handleCommentButton(
  interaction: ButtonInteraction,
  args: readonly string[],
  context: DiscordContext,
): Promise<void> {
  const answer = await requireAnswer(requireLog(context), answerIdArg(args[0]));
  const input = new TextInputBuilder()
    .setCustomId(INPUT_ID.comment)
    .setStyle(TextInputStyle.Short)
    .setRequired(false)
    .setMaxLength(MAX_COMMENT_CHARS)
    .setPlaceholder("e.g. it quoted the wrong paragraph; the article does say when");
  const modal = new ModalBuilder()
    .setCustomId(commentModalId(answer.id))
    .setTitle("What was wrong with the answer?")
    .addLabelComponents(
      new LabelBuilder()
        .setLabel("In one line (optional)")
        .setDescription("Moderators see it beside the question, never who wrote it.")
        .setTextInputComponent(input),
    );
  await interaction.showModal(modal);
}

/** The comment modal (`comment-modal:<answer>`): stores the comment with the member's vote. */
export async function handleCommentModal(
  interaction: ModalSubmitInteraction,
  args: readonly string[],
  context: DiscordContext,
): Promise<void> {
  takeCooldown(context, "comment", interaction.user.id);
  const log = requireLog(context);
  const answer = await requireAnswer(log, answerIdArg(args[0]));
  const comment = cleanComment(interaction.fields.getTextInputValue(INPUT_ID.comment));
  if (comment.length === 0) {
    await interaction.reply({ content: "Nothing added; your 👎 still counts.", flags: MessageFlags.Ephemeral });
    return;
  }
  await log.comment(answer.id, interaction.user.id, comment);
  context.logger.info("feedback.comment", { answerId: answer.id, chars: comment.length });
  await interaction.reply({
    content: "Thanks — your note is recorded with your 👎. Moderators see it in /gaps.",
    flags: MessageFlags.Ephemeral,
  });
}
