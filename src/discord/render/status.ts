import type { APIEmbed } from "discord.js";
import type { StatusReport } from "../../commands/status.js";
import type { Usage } from "../../feedback/answer-log.js";
import { safeText } from "../escape.js";
import { fitEmbed } from "../limits.js";
import { COLOURS, type RenderedMessage } from "./message.js";

/**
 * `/status` as an embed; with `usage` (the answer log's, when there is one), the questions
 * answered and abstained on in the last 24 h and 7 days, and the share of 👍 among votes.
 */
export function renderStatus(s: StatusReport, usage?: Usage | null): RenderedMessage {
  const embed: APIEmbed = {
    color: COLOURS.info,
    title: "Passage status",
    fields: [
      { name: "Articles", value: String(s.articles), inline: true },
      { name: "Passages", value: String(s.passages), inline: true },
      { name: "Reindexing", value: s.rebuilding ? "yes" : "no", inline: true },
      { name: "Index built", value: `<t:${Math.floor(Date.parse(s.builtAt) / 1000)}:R> (${s.builtAt})` },
      { name: "Embedder", value: safeText(s.embedder) },
      { name: "Answers", value: s.answerModel ? `written by ${safeText(s.answerModel)}, verified` : "quoted" },
      { name: "Uptime", value: formatDuration(s.uptimeSeconds), inline: true },
      { name: "Version", value: safeText(s.version), inline: true },
    ],
  };
  if (usage !== undefined) embed.fields?.push({ name: "Usage", value: usage ? describeUsage(usage) : "not recorded" });
  return { embeds: [fitEmbed(embed)], components: [] };
}

/** "3 d 4 h", "5 min 2 s" */
export function formatDuration(seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min ${s} s`;
  return `${s} s`;
}

/** "24 h: 12 answered, 3 abstained · 7 d: 80 answered, 9 abstained · 👍 75 % of 8 votes" */
export function describeUsage(u: Usage): string {
  const votes = u.votes.up + u.votes.down;
  const share =
    votes === 0
      ? "no votes yet"
      : `👍 ${Math.round((100 * u.votes.up) / votes)} % of ${votes} vote${votes === 1 ? "" : "s"}`;
  return [
    `24 h: ${u.day.answered} answered, ${u.day.abstained} abstained`,
    `7 d: ${u.week.answered} answered, ${u.week.abstained} abstained`,
    share,
  ].join(" · ");
}
