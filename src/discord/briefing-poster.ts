import {
  DiscordAPIError,
  type REST,
  RESTJSONErrorCodes,
  type RESTPostAPIChannelMessageJSONBody,
  type RESTPostAPIChannelMessageResult,
  Routes,
} from "discord.js";
import { briefingFileName, briefingMarkdown } from "../briefing/markdown-document.js";
import { errorMessage, PassageError } from "../errors.js";
import { describeTimetable } from "../schedule/due.js";
import type { PostBriefing, ScheduledPost } from "../schedule/scheduler.js";
import { renderBriefing } from "./render/briefing.js";

// Discord's answers that mean the channel will not take the post however often it is retried.
const UNDELIVERABLE = new Set<number>([
  RESTJSONErrorCodes.UnknownChannel,
  RESTJSONErrorCodes.UnknownGuild,
  RESTJSONErrorCodes.MissingAccess,
  RESTJSONErrorCodes.MissingPermissions,
]);

/** The line above a scheduled briefing: which subscription it is and, after downtime, what it stands for. */
export function scheduledPostLine(post: ScheduledPost): string {
  const s = post.subscription;
  const caughtUp =
    post.slots > 1 ? ` This one post stands for the ${post.slots} briefings due while the bot was offline.` : "";
  return `Scheduled briefing #${s.id} (${describeTimetable(s.timetable)}).${caughtUp}`;
}

/**
 * Posts scheduled briefings with `POST /channels/:id/messages`: the briefing's embed and passage
 * buttons, the Markdown document attached, no mentions, and the post's nonce enforced so a
 * repeat of a post Discord already has is dropped.
 */
export function discordPoster(rest: REST): PostBriefing {
  return async (post) => {
    const body = {
      content: scheduledPostLine(post),
      ...renderBriefing(post.briefing),
      // A raw REST call: the client's default allowedMentions does not apply here.
      allowed_mentions: { parse: [] },
      nonce: post.nonce,
      enforce_nonce: true,
    } satisfies RESTPostAPIChannelMessageJSONBody;
    try {
      const message = (await rest.post(Routes.channelMessages(post.subscription.channelId), {
        body,
        files: [
          {
            name: briefingFileName(post.briefing, post.generatedAt),
            data: Buffer.from(briefingMarkdown(post.briefing, post.generatedAt), "utf8"),
          },
        ],
      })) as RESTPostAPIChannelMessageResult;
      return { messageId: message.id };
    } catch (cause) {
      if (cause instanceof DiscordAPIError && typeof cause.code === "number" && UNDELIVERABLE.has(cause.code)) {
        throw new PassageError(
          "POST_UNDELIVERABLE",
          `Discord will not take posts in channel ${post.subscription.channelId}: ${errorMessage(cause)}`,
          { cause },
        );
      }
      throw cause;
    }
  };
}
