import type { APIEmbed } from "discord.js";
import type { Answer, Citation } from "../../answer/answer.js";
import { safeText } from "../escape.js";
import { fitEmbed, truncate } from "../limits.js";
import { COLOURS, type RenderedMessage } from "./message.js";
import { passageButtons } from "./passage.js";

/** Characters of a passage quoted under an answer; the button shows the rest. */
const EXCERPT_CHARS = 300;

/** What the footer says a reply is, by its kind. */
const FOOTERS: Readonly<Record<Answer["kind"], string>> = {
  answer: "Quoted from the corpus",
  overview: "Overview of the corpus, quoted from it",
  abstained: "No answer in the corpus",
};

/**
 * An answer as a Discord message: the answer text with its [n] markers, one field per source
 * (article, location, a quoted excerpt), a footer saying how it was made, and a "Passage n"
 * button per citation. An overview shows its opening line and one bulleted point per line.
 * Every piece is escaped and fitted to Discord's limits.
 */
export function renderAnswer(answer: Answer, info: { readonly ms?: number } = {}): RenderedMessage {
  const embed: APIEmbed = {
    color: answer.abstained ? COLOURS.abstain : COLOURS.answer,
    title: safeText(answer.question),
    description: description(answer),
    fields: answer.citations.map((c, i) => ({
      name: `${i === 0 ? (answer.abstained ? "Closest passages — " : "Sources — ") : ""}${citationHeading(c)}`,
      value: `> ${safeText(excerpt(c.text))}`,
    })),
    footer: {
      text: `${FOOTERS[answer.kind]} · ${answer.method}${info.ms !== undefined ? ` · ${Math.round(info.ms)} ms` : ""}`,
    },
  };
  return { embeds: [fitEmbed(embed)], components: passageButtons(answer.citations) };
}

function description(answer: Answer): string {
  if (answer.abstained) {
    const nearest = answer.citations.length > 0 ? " The nearest passages are below." : "";
    return `${safeText(answer.answer)}\n\nIt can only answer from its articles, and none of them covers this.${nearest}`;
  }
  const points = answer.sentences.map((s) => `${safeText(s.text)} **[${s.n}]**`);
  if (answer.kind !== "overview") return points.join(" ");
  const opening = answer.answer.split("\n")[0] ?? "";
  return [safeText(opening), ...points.map((p) => `• ${p}`)].join("\n");
}

function citationHeading(c: Citation): string {
  return safeText(`[${c.n}] ${c.title} · ${c.location}`);
}

function excerpt(text: string): string {
  return truncate(text, EXCERPT_CHARS);
}
