import type { APIActionRowComponent, APIButtonComponent, APIEmbed } from "discord.js";
import { safeText } from "../escape.js";
import { DISCORD_LIMITS, truncate } from "../limits.js";

/** Embed colours: teal for answers, amber for abstentions, grey for facts. */
export const COLOURS = { answer: 0x1abc9c, abstain: 0xf1c40f, info: 0x95a5a6, error: 0xe74c3c } as const;

/** A message body as discord.js takes it for reply/editReply. */
export interface RenderedMessage {
  readonly embeds: APIEmbed[];
  readonly components: APIActionRowComponent<APIButtonComponent>[];
}

/** A plain notice (errors, refusals, progress) as an embed-free message body. */
export function notice(text: string): string {
  return truncate(text, DISCORD_LIMITS.content);
}

/**
 * A plain notice whose text may quote what others control (file names, error messages that
 * name files): cut to size first, so escaping only ever sees bounded text, then escaped so a
 * name cannot format the message or ping anyone.
 */
export function quotedNotice(text: string): string {
  return notice(safeText(truncate(text, DISCORD_LIMITS.content)));
}
