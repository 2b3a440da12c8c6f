import type { APIEmbed } from "discord.js";
import { describeCorpus, describeShard, describeUsage, type StatusReport } from "../../commands/status.js";
import { safeText } from "../escape.js";
import { fitEmbed } from "../limits.js";
import { COLOURS, type RenderedMessage } from "./message.js";

/**
 * `/status` as an embed, with usage from the answer log: the questions answered and abstained
 * on in the last 24 h and 7 days, and the share of 👍 among votes.
 */
export function renderStatus(s: StatusReport): RenderedMessage {
  const embed: APIEmbed = {
    color: COLOURS.info,
    title: "Passage status",
    fields: [
      { name: "Articles", value: String(s.articles), inline: true },
      { name: "Passages", value: String(s.passages), inline: true },
      { name: "Reindexing", value: s.rebuilding ? "yes" : "no", inline: true },
      { name: "Index built", value: `<t:${Math.floor(Date.parse(s.builtAt) / 1000)}:R> (${s.builtAt})` },
      { name: "Embedder", value: safeText(s.embedder) },
      // Every process of a sharded bot shows the corpus it serves, so replicas can be compared.
      { name: "Corpus", value: safeText(describeCorpus(s)), inline: true },
      { name: "Answers", value: s.answerModel ? `written by ${safeText(s.answerModel)}, verified` : "quoted" },
      { name: "Usage", value: describeUsage(s.usage) },
      ...(s.shards.length > 0 ? [{ name: "Gateway", value: s.shards.map(describeShard).join("\n") }] : []),
      { name: "Uptime", value: formatDuration(s.uptimeSeconds), inline: true },
      { name: "Version", value: safeText(s.version), inline: true },
    ],
  };
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
