import type { APIEmbed } from "discord.js";
import { describeTimetable } from "../../schedule/due.js";
import type { Subscription } from "../../store/types.js";
import { safeText } from "../escape.js";
import { fitEmbed } from "../limits.js";
import { COLOURS, type RenderedMessage } from "./message.js";

/** A server's scheduled briefings, one line each, for `/brief-schedule list`. */
export function renderSubscriptions(subscriptions: readonly Subscription[]): RenderedMessage {
  const unix = (iso: string) => Math.floor(Date.parse(iso) / 1000);
  const lines = subscriptions.map((s) => {
    const last = s.lastPost ? `last posted <t:${unix(s.lastPost.at)}:R>` : "not posted yet";
    return `**#${s.id}** “${safeText(s.topic)}” in <#${s.channelId}> · ${describeTimetable(s.timetable)} · next <t:${unix(s.nextDueAt)}:R> · ${last}`;
  });
  const embed: APIEmbed = {
    color: COLOURS.info,
    title: "Scheduled briefings",
    description:
      lines.length > 0
        ? lines.join("\n")
        : "None in this server yet. A moderator adds one with `/brief-schedule add topic:… every:daily`.",
  };
  return { embeds: [fitEmbed(embed)], components: [] };
}
