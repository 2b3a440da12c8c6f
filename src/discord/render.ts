import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  ButtonStyle,
  ComponentType,
} from "discord.js";
import type { Answer, Citation } from "../answer/answer.js";
import type { Briefing } from "../briefing/briefing.js";
import {
  briefingSections,
  briefingSummary,
  briefingTitle,
  CORPUS_VERSION_CHARS,
  changesLine,
} from "../briefing/presentation.js";
import type { StatusReport } from "../commands/status.js";
import type { Passage } from "../corpus/passage.js";
import { passageLocation } from "../corpus/passage.js";
import { describeTimetable } from "../schedule/due.js";
import type { Subscription } from "../schedule/store.js";
import { safeText } from "./escape.js";
import { DISCORD_LIMITS, fitEmbed, truncate } from "./limits.js";

/** Embed colours: teal for answers, amber for abstentions, grey for facts. */
export const COLOURS = { answer: 0x1abc9c, abstain: 0xf1c40f, info: 0x95a5a6, error: 0xe74c3c } as const;

/** Characters of a passage quoted under an answer; the button shows the rest. */
const EXCERPT_CHARS = 300;

/** Prefix of a passage button's custom id; the passage id follows it. */
export const PASSAGE_BUTTON_PREFIX = "passage:";

/** A message body as discord.js takes it for reply/editReply. */
export interface RenderedMessage {
  readonly embeds: APIEmbed[];
  readonly components: APIActionRowComponent<APIButtonComponent>[];
}

/**
 * An answer as a Discord message: the answer text with its [n] markers, one field per source
 * (article, location, a quoted excerpt), a footer saying how it was made, and a "Passage n"
 * button per citation. Every piece is escaped and fitted to Discord's limits.
 */
export function renderAnswer(answer: Answer, info: { readonly ms?: number } = {}): RenderedMessage {
  const description = answer.abstained
    ? `${safeText(answer.answer)}\n\nIt can only answer from its articles, and none of them covers this. The nearest passages are below.`
    : answer.sentences.map((s) => `${safeText(s.text)} **[${s.n}]**`).join(" ");
  const embed: APIEmbed = {
    color: answer.abstained ? COLOURS.abstain : COLOURS.answer,
    title: safeText(answer.question),
    description,
    fields: answer.citations.map((c, i) => ({
      name: `${i === 0 ? (answer.abstained ? "Closest passages — " : "Sources — ") : ""}${citationHeading(c)}`,
      value: `> ${safeText(excerpt(c.text))}`,
    })),
    footer: {
      text: `${answer.abstained ? "No answer in the corpus" : "Quoted from the corpus"} · ${answer.method}${info.ms !== undefined ? ` · ${Math.round(info.ms)} ms` : ""}`,
    },
  };
  return { embeds: [fitEmbed(embed)], components: passageButtons(answer.citations) };
}

/** Buttons "Passage 1…n", five to a row, each carrying its passage id. */
export function passageButtons(citations: readonly Citation[]): APIActionRowComponent<APIButtonComponent>[] {
  const rows: APIActionRowComponent<APIButtonComponent>[] = [];
  citations.slice(0, DISCORD_LIMITS.buttonsPerRow * 5).forEach((c, i) => {
    if (i % DISCORD_LIMITS.buttonsPerRow === 0) rows.push({ type: ComponentType.ActionRow, components: [] });
    rows[rows.length - 1]?.components.push({
      type: ComponentType.Button,
      style: ButtonStyle.Secondary,
      label: `Passage ${c.n}`,
      custom_id: `${PASSAGE_BUTTON_PREFIX}${c.id}`.slice(0, DISCORD_LIMITS.customId),
    });
  });
  return rows;
}

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

/** The full text of one passage, for the ephemeral reply to a passage button. */
export function renderPassage(passage: Passage): RenderedMessage {
  const m = passage.metadata;
  const embed: APIEmbed = {
    color: COLOURS.info,
    title: safeText(`${m.title} · ${passageLocation(m)}`),
    description: safeText(passage.pageContent),
    footer: { text: `${m.source} · characters ${m.start}–${m.end} · id ${m.id}` },
  };
  if (m.url && /^https?:\/\//.test(m.url)) embed.url = m.url;
  return { embeds: [fitEmbed(embed)], components: [] };
}

/** `/status` as an embed. */
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
      { name: "Uptime", value: formatDuration(s.uptimeSeconds), inline: true },
      { name: "Version", value: safeText(s.version), inline: true },
    ],
  };
  return { embeds: [fitEmbed(embed)], components: [] };
}

/** A plain notice (errors, refusals, progress) as an embed-free message body. */
export function notice(text: string): string {
  return truncate(text, DISCORD_LIMITS.content);
}

function citationHeading(c: Citation): string {
  return safeText(`[${c.n}] ${c.title} · ${c.location}`);
}

function excerpt(text: string): string {
  return truncate(text, EXCERPT_CHARS);
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
