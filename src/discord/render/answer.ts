import type { APIEmbed } from "discord.js";
import type { Answer, Citation } from "../../answer/answer.js";
import { safeText } from "../escape.js";
import { fitEmbed, truncate } from "../limits.js";
import { COLOURS, type RenderedMessage } from "./message.js";
import { passageButtons } from "./passage.js";

/** Characters of a passage quoted under an answer; the button shows the rest. */
const EXCERPT_CHARS = 300;

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

function citationHeading(c: Citation): string {
  return safeText(`[${c.n}] ${c.title} · ${c.location}`);
}

function excerpt(text: string): string {
  return truncate(text, EXCERPT_CHARS);
}
