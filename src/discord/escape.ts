import { escapeMarkdown } from "discord.js";
import { truncate } from "../text/truncate.js";

/**
 * Makes text safe to show in a message: Markdown (bold, headings, lists, masked links, code)
 * is escaped so quoted text cannot change formatting or hide a link, and mention syntax is
 * broken with a zero-width space so it cannot ping even where allowed mentions would not stop
 * it. The bot's client also sends `allowedMentions: { parse: [] }` with every message; this is
 * the second guard.
 */
export function safeText(text: string): string {
  const escaped = escapeMarkdown(text, {
    codeBlock: true,
    inlineCode: true,
    bold: true,
    italic: true,
    underline: true,
    strikethrough: true,
    spoiler: true,
    heading: true,
    bulletedList: true,
    numberedList: true,
    maskedLink: true,
  });
  return neutralizeMentions(escaped);
}

/** Breaks @everyone, @here and <@…>, <@&…>, <#…>, </…:…> mention syntax with a zero-width space. */
export function neutralizeMentions(text: string): string {
  return text
    .replace(/@(everyone|here)/gi, "@\u200b$1")
    .replace(/<(@[!&]?|#|\/)/g, "<\u200b$1")
    .replace(/\]\(/g, "]\u200b(");
}

/**
 * `safeText` of at most `max` characters of `text`, cut before it is escaped: escaping is
 * worse than linear on long runs (discord.js's italic rule), and anything past what Discord
 * shows would be cut afterwards anyway. The result may be longer than `max` by its escapes;
 * `fitEmbed` or `notice` trims it to the limit.
 */
export function safeExcerpt(text: string, max: number): string {
  return safeText(truncate(text, max));
}
