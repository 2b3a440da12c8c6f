import type { ButtonInteraction, ModalSubmitInteraction } from "discord.js";
import type { DiscordContext } from "../command.js";
import { CUSTOM_ID } from "./custom-ids.js";
import { handleFollowUpButton, handleFollowUpModal } from "./follow-up.js";
import { handlePublish } from "./publish.js";
import { handleCommentButton, handleCommentModal, handleVote } from "./votes.js";

/** Handles a component whose custom id has this kind; `args` are the id's parts after the kind. */
export type ComponentHandler<I> = (interaction: I, args: readonly string[], context: DiscordContext) => Promise<void>;

/** The feedback buttons, by the kind their custom ids start with (see custom-ids.ts). */
export const FEEDBACK_BUTTONS: ReadonlyMap<string, ComponentHandler<ButtonInteraction>> = new Map([
  [CUSTOM_ID.vote, handleVote],
  [CUSTOM_ID.comment, handleCommentButton],
  [CUSTOM_ID.followUp, handleFollowUpButton],
  [CUSTOM_ID.publish, handlePublish],
]);

/** The feedback modals, by the kind their custom ids start with. */
export const FEEDBACK_MODALS: ReadonlyMap<string, ComponentHandler<ModalSubmitInteraction>> = new Map([
  [CUSTOM_ID.commentModal, handleCommentModal],
  [CUSTOM_ID.followUpModal, handleFollowUpModal],
]);
