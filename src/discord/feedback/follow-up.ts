import {
  type ButtonInteraction,
  LabelBuilder,
  MessageFlags,
  ModalBuilder,
  type ModalSubmitInteraction,
  TextInputBuilder,
  TextInputStyle,
} from "discord.js";
import { MAX_QUESTION_CHARS } from "../../commands/ask.js";
import { UserError } from "../../errors.js";
import { answerInteraction } from "../answer-reply.js";
import type { DiscordContext } from "../command.js";
import { truncate } from "../limits.js";
import { answerIdArg, followUpModalId, INPUT_ID } from "./custom-ids.js";
import { requireAnswer, requireLog } from "./logged-answer.js";

/** Discord's longest label description. */
const LABEL_DESCRIPTION_CHARS = 100;

/**
 * The question a follow-up continues: the logged answer's question as understood (so a chain of
 * follow-ups keeps its subject), or, for an answer the log never recorded (`-`), the title of
 * the answer the button sits on.
 */
async function previousQuestion(
  interaction: ButtonInteraction | ModalSubmitInteraction,
  arg: string | undefined,
  context: DiscordContext,
): Promise<string> {
  const id = answerIdArg(arg);
  if (id !== null) {
    const answer = await requireAnswer(requireLog(context), id);
    return answer.understoodAs ?? answer.question;
  }
  const title = interaction.message?.embeds[0]?.title;
  if (!title) throw new UserError("ANSWER_GONE", "That answer can no longer be followed up. Ask again with /ask.");
  // The title was escaped for Markdown; the backslashes mean nothing to the answerer.
  return title.replace(/\\(.)/g, "$1");
}

/** "Follow up" (`follow-up:<answer>`): opens a modal for the follow-up question. */
export async function handleFollowUpButton(
  interaction: ButtonInteraction,
  args: readonly string[],
  context: DiscordContext,
): Promise<void> {
  // Checked before the modal opens, so a gone answer is said at once, not after typing.
  const previous = await previousQuestion(interaction, args[0], context);
  const input = new TextInputBuilder()
    .setCustomId(INPUT_ID.question)
    .setStyle(TextInputStyle.Short)
    .setRequired(true)
    .setMaxLength(MAX_QUESTION_CHARS)
    .setPlaceholder("e.g. and what about Taiwan?");
  const modal = new ModalBuilder()
    .setCustomId(followUpModalId(answerIdArg(args[0])))
    .setTitle("Follow up")
    .addLabelComponents(
      new LabelBuilder()
        .setLabel("Your follow-up question")
        .setDescription(truncate(`After: ${previous}`, LABEL_DESCRIPTION_CHARS))
        .setTextInputComponent(input),
    );
  await interaction.showModal(modal);
}

/**
 * The follow-up modal (`follow-up-modal:<answer>`): answers in the context of the previous
 * question (`askFollowUp`), shows the question as understood, and replies as privately as the
 * answer it follows.
 */
export async function handleFollowUpModal(
  interaction: ModalSubmitInteraction,
  args: readonly string[],
  context: DiscordContext,
): Promise<void> {
  const previous = await previousQuestion(interaction, args[0], context);
  const wait = context.cooldowns.take(interaction.user.id);
  if (wait > 0)
    throw new UserError("COOLDOWN", `You're asking quickly — please wait ${wait} s before the next question.`);
  const ephemeral = interaction.message?.flags.has(MessageFlags.Ephemeral) ?? false;
  await answerInteraction(interaction, context, {
    asked: interaction.fields.getTextInputValue(INPUT_ID.question),
    previous,
    ephemeral,
  });
}
