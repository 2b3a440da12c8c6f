import type { Vote } from "../../feedback/answer-log.js";

/**
 * The custom ids of the feedback components. Each carries the logged answer's id, so a press
 * after a restart or a reindex still finds its answer in the log (nothing is kept in memory);
 * `-` stands for an answer the log did not record (its write failed, or there is no log).
 *
 * | custom id | component | what it does |
 * |---|---|---|
 * | `vote:up:<answer>`, `vote:down:<answer>` | 👍 / 👎 button on an answer | records the presser's vote |
 * | `comment:<answer>` | "What was wrong?" button on the 👎 acknowledgement | opens the comment modal |
 * | `comment-modal:<answer>` | the comment modal | stores the one-line comment with the vote |
 * | `follow-up:<answer>` | "Follow up" button on an answer | opens the follow-up modal |
 * | `follow-up-modal:<answer>` | the follow-up modal | answers in the context of the previous question |
 * | `publish:<answer>:<message>` | "Post publicly" on an Ask Passage answer | posts it as a reply to the message |
 */
export const CUSTOM_ID = {
  vote: "vote",
  comment: "comment",
  commentModal: "comment-modal",
  followUp: "follow-up",
  followUpModal: "follow-up-modal",
  publish: "publish",
} as const;

/** Stands for "no logged answer" in a custom id. */
export const NO_ANSWER = "-";

/** The text inputs' custom ids inside the modals. */
export const INPUT_ID = { comment: "comment", question: "question" } as const;

export function voteId(vote: Vote, answerId: string | null): string {
  return `${CUSTOM_ID.vote}:${vote}:${answerId ?? NO_ANSWER}`;
}

export function commentId(answerId: string): string {
  return `${CUSTOM_ID.comment}:${answerId}`;
}

export function commentModalId(answerId: string): string {
  return `${CUSTOM_ID.commentModal}:${answerId}`;
}

export function followUpId(answerId: string | null): string {
  return `${CUSTOM_ID.followUp}:${answerId ?? NO_ANSWER}`;
}

export function followUpModalId(answerId: string | null): string {
  return `${CUSTOM_ID.followUpModal}:${answerId ?? NO_ANSWER}`;
}

export function publishId(answerId: string | null, messageId: string): string {
  return `${CUSTOM_ID.publish}:${answerId ?? NO_ANSWER}:${messageId}`;
}

/** A custom id split into its kind and arguments: `vote:up:abc` → `{ kind: "vote", args: ["up", "abc"] }`. */
export function parseCustomId(customId: string): { readonly kind: string; readonly args: readonly string[] } {
  const [kind = "", ...args] = customId.split(":");
  return { kind, args };
}

/** The answer id an argument names, or null for `-` (not logged). */
export function answerIdArg(arg: string | undefined): string | null {
  return arg === undefined || arg === NO_ANSWER || arg === "" ? null : arg;
}

/** Whether a string is a vote. */
export function isVote(value: string | undefined): value is Vote {
  return value === "up" || value === "down";
}
