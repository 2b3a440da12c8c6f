import { type APIEmbed, embedLength } from "discord.js";
import { truncate } from "../text/truncate.js";

export { truncate };

/** Discord's hard limits on what a message may carry (see the API docs' "Embed Limits"). */
export const DISCORD_LIMITS = {
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  embedFieldName: 256,
  embedFieldValue: 1024,
  embedFooter: 2048,
  embedAuthor: 256,
  embedTotal: 6000,
  buttonLabel: 80,
  customId: 100,
  buttonsPerRow: 5,
} as const;

/**
 * Makes an embed fit every limit: each part truncated to its own maximum, at most 25 fields,
 * and then the last fields shortened (or dropped) until the whole is within 6,000 characters.
 * The whole is measured with discord.js's `embedLength`, which counts what Discord counts:
 * title, description, each field's name and value, footer text and author name.
 */
export function fitEmbed(embed: APIEmbed): APIEmbed {
  const L = DISCORD_LIMITS;
  const out: APIEmbed = { ...embed };
  if (out.title !== undefined) out.title = truncate(out.title, L.embedTitle);
  if (out.description !== undefined) out.description = truncate(out.description, L.embedDescription);
  if (out.footer) out.footer = { ...out.footer, text: truncate(out.footer.text, L.embedFooter) };
  if (out.author) out.author = { ...out.author, name: truncate(out.author.name, L.embedAuthor) };
  if (out.fields) {
    out.fields = out.fields.slice(0, L.embedFields).map((f) => ({
      ...f,
      name: truncate(f.name, L.embedFieldName) || "\u200b",
      value: truncate(f.value, L.embedFieldValue) || "\u200b",
    }));
  }
  while (embedLength(out) > L.embedTotal) {
    const over = embedLength(out) - L.embedTotal;
    const fields = out.fields ?? [];
    const last = fields[fields.length - 1];
    if (last && last.value.length - over >= 40) {
      fields[fields.length - 1] = { ...last, value: truncate(last.value, last.value.length - over) };
    } else if (last) {
      fields.pop();
    } else if (out.description) {
      out.description = truncate(out.description, Math.max(1, out.description.length - over));
    } else break;
  }
  return out;
}
