import { setTimeout as sleep } from "node:timers/promises";
import {
  type APIButtonComponent,
  type ChatInputCommandInteraction,
  type MessageContextMenuCommandInteraction,
  MessageFlags,
  type ModalSubmitInteraction,
} from "discord.js";
import type { Answer, OnPartialAnswer } from "../answer/answer.js";
import { ask, cleanQuestion } from "../commands/ask.js";
import { answerEntry, recordAnswer } from "../commands/feedback.js";
import { askFollowUp } from "../commands/follow-up.js";
import type { LoggedAnswer } from "../feedback/answer-log.js";
import type { DiscordContext } from "./command.js";
import { renderAnswer, renderPartialAnswer } from "./render/answer.js";
import type { RenderedMessage } from "./render/message.js";
import { ThrottledEdits } from "./throttled-edits.js";

/**
 * If the answer is not ready by then, acknowledge first (Discord allows 3 s for the first
 * response). The local answerer takes milliseconds and never hits this, so users see the
 * answer in one message, with no "thinking…" flash; a remote model may take longer.
 */
export const DEFER_AFTER_MS = 1500;

/** The interactions that get an answer: /ask, a follow-up modal, and the Ask Passage message command. */
export type AnsweringInteraction =
  | ChatInputCommandInteraction
  | ModalSubmitInteraction
  | MessageContextMenuCommandInteraction;

/** What to answer, and how to show it. */
export interface AnswerRequest {
  /** The text as the member gave it: a question, a follow-up, or a message's text. */
  readonly asked: string;
  /** The previous question, when `asked` is a follow-up to it. */
  readonly previous?: string;
  readonly ephemeral: boolean;
  /** Buttons beside the feedback ones, made once the answer's log id is known ("Post publicly"). */
  readonly extraButtons?: (answerId: string | null) => APIButtonComponent[];
}

/**
 * Answers and replies in one call when the answer is ready within `DEFER_AFTER_MS` (deferring
 * first otherwise; with a model, deferring at once and showing each verified sentence). The
 * answer is recorded in the answer log (fail-soft: a failed write only loses the vote buttons)
 * and shown with its feedback row. A bad question is refused privately before anything public.
 */
export async function answerInteraction(
  interaction: AnsweringInteraction,
  context: DiscordContext,
  request: AnswerRequest,
): Promise<void> {
  const started = context.now();
  const { services } = context;
  // Checked first, so a refusal is private and precedes any public "thinking…".
  const asked = cleanQuestion(request.asked);
  const run = (onPartial?: OnPartialAnswer): Promise<Answer> =>
    request.previous === undefined
      ? ask(services, asked, onPartial)
      : askFollowUp(services, request.previous, asked, onPartial);
  const finish = async (answer: Answer): Promise<RenderedMessage> => {
    const ms = context.now() - started;
    const logged = await log(interaction, context, answer, { ...request, asked }, ms);
    const answerId = logged?.id ?? null;
    return renderAnswer(answer, {
      ms,
      ...(request.previous === undefined ? {} : { followUp: asked }),
      feedback: { answerId, extra: request.extraButtons?.(answerId) ?? [] },
    });
  };
  const flags = request.ephemeral ? MessageFlags.Ephemeral : undefined;
  const model = services.model;
  if (model) {
    // A model takes seconds: acknowledge at once, then show each verified sentence as it comes.
    await interaction.deferReply(flags ? { flags } : {});
    const edits = new ThrottledEdits(
      (body) => interaction.editReply(body),
      (error) => context.logger.warn("ask.progress_edit_failed", { error }),
    );
    let answer: Answer;
    try {
      answer = await run((partial) => edits.push(renderPartialAnswer(partial, model.name)));
    } catch (error) {
      edits.cancel();
      throw error;
    }
    await edits.finish(await finish(answer));
    return;
  }
  const answering = run();
  const first = await Promise.race([answering, sleep(DEFER_AFTER_MS, null, { ref: false })]);
  if (first === null) {
    await interaction.deferReply(flags ? { flags } : {});
    await interaction.editReply(await finish(await answering));
    return;
  }
  await interaction.reply({ ...(await finish(first)), ...(flags ? { flags } : {}) });
}

/** Records the answer in the log; null when there is no log or the write failed (it logs why). */
function log(
  interaction: AnsweringInteraction,
  context: DiscordContext,
  answer: Answer,
  request: AnswerRequest,
  latencyMs: number,
): Promise<LoggedAnswer | null> {
  const { services } = context;
  return recordAnswer(
    services,
    answerEntry(services, answer, {
      source: "discord",
      userId: interaction.user.id,
      guildId: interaction.guildId,
      channelId: interaction.channelId,
      ...(request.previous === undefined ? {} : { asked: request.asked }),
      latencyMs: Math.round(latencyMs),
    }),
  );
}
