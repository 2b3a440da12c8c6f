import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  ButtonStyle,
  ComponentType,
} from "discord.js";
import type { Citation } from "../../answer/answer.js";
import { type Passage, passageLocation } from "../../corpus/passage.js";
import { safeExcerpt } from "../escape.js";
import { DISCORD_LIMITS, fitEmbed } from "../limits.js";
import { COLOURS, type RenderedMessage } from "./message.js";

/** Prefix of a passage button's custom id; the passage id follows it. */
export const PASSAGE_BUTTON_PREFIX = "passage:";

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

/** The full text of one passage, for the ephemeral reply to a passage button. */
export function renderPassage(passage: Passage): RenderedMessage {
  const m = passage.metadata;
  const embed: APIEmbed = {
    color: COLOURS.info,
    // Cut to what Discord shows before escaping, so a huge passage costs no more than a small one.
    title: safeExcerpt(`${m.title} · ${passageLocation(m)}`, DISCORD_LIMITS.embedTitle),
    description: safeExcerpt(passage.pageContent, DISCORD_LIMITS.embedDescription),
    footer: { text: `${m.source} · characters ${m.start}–${m.end} · id ${m.id}` },
  };
  if (m.url && /^https?:\/\//.test(m.url)) embed.url = m.url;
  return { embeds: [fitEmbed(embed)], components: [] };
}
