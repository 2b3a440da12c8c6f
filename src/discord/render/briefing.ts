import type { APIEmbed } from "discord.js";
import type { Briefing } from "../../briefing/briefing.js";
import {
  briefingSections,
  briefingSummary,
  briefingTitle,
  CORPUS_VERSION_CHARS,
  changesLine,
} from "../../briefing/presentation.js";
import { safeText } from "../escape.js";
import { fitEmbed, truncate } from "../limits.js";
import { COLOURS, type RenderedMessage } from "./message.js";
import { passageButtons } from "./passage.js";

/** Characters all of a briefing's points may take in its embed; the attached document has them whole. */
const BRIEFING_POINTS_CHARS = 3400;
/** Longest heading shown in a briefing's embed. */
const BRIEFING_HEADING_CHARS = 60;

/**
 * A briefing as a Discord message: a summary line, the points under their headings with their
 * [n] markers (each shortened if need be; the attached document has them whole), the sources,
 * a footer with the corpus version, and a "Passage n" button per citation. Every piece is
 * escaped and fitted to Discord's limits.
 */
export function renderBriefing(briefing: Briefing, info: { readonly ms?: number } = {}): RenderedMessage {
  const sections = briefingSections(briefing).map((s) => ({
    heading: truncate(s.heading, BRIEFING_HEADING_CHARS),
    points: s.points,
  }));
  const headings = sections.reduce((n, s) => n + s.heading.length, 0);
  const perPoint = Math.floor((BRIEFING_POINTS_CHARS - headings) / Math.max(1, briefing.points.length));
  const parts = [safeText(briefingSummary(briefing))];
  const changes = changesLine(briefing);
  if (changes) parts.push(safeText(changes));
  for (const section of sections) {
    const points = section.points.map(
      (p) =>
        `• ${p.isNew ? "🆕 " : ""}${safeText(truncate(p.text, perPoint))} ${p.citations.map((c) => `**[${c.n}]**`).join(" ")}`,
    );
    parts.push([`**${safeText(section.heading)}**`, ...points].join("\n"));
  }
  const sources = briefing.citations.map((c) => `**[${c.n}]** ${safeText(`${c.title} · ${c.location}`)}`);
  const embed: APIEmbed = {
    color: briefing.covered ? COLOURS.answer : COLOURS.abstain,
    title: safeText(briefingTitle(briefing)),
    description: parts.join("\n\n"),
    ...(sources.length > 0 ? { fields: [{ name: "Sources", value: sources.join("\n") }] } : {}),
    footer: {
      text: `${briefing.covered ? "Quoted from the corpus" : "Not covered by the corpus"} · corpus ${briefing.corpus.checksum.slice(0, CORPUS_VERSION_CHARS)} · ${briefing.method}${info.ms !== undefined ? ` · ${Math.round(info.ms)} ms` : ""}`,
    },
  };
  return { embeds: [fitEmbed(embed)], components: passageButtons(briefing.citations) };
}
