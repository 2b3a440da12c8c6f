/**
 * Messages as Discord stores and returns them: built from a request body the bot sent, with
 * its uploads turned into attachments, and edited the way Discord applies an edit.
 *
 * @module
 */
import type { APIAttachment, APIEmbed, APIMessage, APIUser, MessageType } from "discord.js";
import { nextSnowflake } from "./world.js";

/** A file uploaded in a multipart request. */
export interface RecordedFile {
  /** The form field name, e.g. `files[0]`. */
  field: string;
  /** The file name the client gave, e.g. `brief.md`. */
  name: string;
  /** The part's content type (discord.js sniffs it; plain text often arrives as `application/octet-stream`). */
  contentType: string;
  data: Buffer;
  /** `data` decoded as UTF-8, for convenience. */
  text: string;
}

/** A message's top-level components (discord-api-types marks the field optional). */
type MessageComponents = NonNullable<APIMessage["components"]>;

/** Who posts a message, where, and as what. */
export interface MessageOrigin {
  channelId: string;
  author: APIUser;
  type: MessageType;
  /** Set for interaction responses, which Discord sends as the application's webhook. */
  applicationId?: string;
}

/** A new message from the body of the request that posts it, with its uploads attached. */
export function messageFromBody(
  origin: MessageOrigin,
  body: Record<string, unknown>,
  files: readonly RecordedFile[],
  flags = typeof body.flags === "number" ? body.flags : 0,
): APIMessage {
  return {
    id: nextSnowflake(),
    channel_id: origin.channelId,
    author: origin.author,
    content: typeof body.content === "string" ? body.content : "",
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: attachments(origin.channelId, files),
    embeds: Array.isArray(body.embeds) ? (body.embeds as APIEmbed[]) : [],
    components: Array.isArray(body.components) ? (body.components as MessageComponents) : [],
    pinned: false,
    type: origin.type,
    flags,
    ...(origin.applicationId === undefined
      ? {}
      : { webhook_id: origin.applicationId, application_id: origin.applicationId }),
  };
}

/**
 * Applies an edit body as Discord does: fields present in the body replace the message's;
 * `attachments`, when given, lists which existing attachments to keep (by id), and new uploads
 * are added.
 */
export function editMessage(
  message: APIMessage,
  body: Record<string, unknown>,
  files: readonly RecordedFile[],
): APIMessage {
  let kept = message.attachments;
  if (Array.isArray(body.attachments)) {
    const keep = new Set(body.attachments.map((a) => String((a as { id?: unknown } | null)?.id)));
    kept = kept.filter((a) => keep.has(a.id));
  }
  const edited: APIMessage = {
    ...message,
    attachments: [...kept, ...attachments(message.channel_id, files)],
    edited_timestamp: new Date().toISOString(),
  };
  if (typeof body.content === "string") edited.content = body.content;
  if (Array.isArray(body.embeds)) edited.embeds = body.embeds as APIEmbed[];
  if (Array.isArray(body.components)) edited.components = body.components as MessageComponents;
  if (typeof body.flags === "number") edited.flags = body.flags;
  return edited;
}

function attachments(channelId: string, files: readonly RecordedFile[]): APIAttachment[] {
  return files.map((file) => {
    const id = nextSnowflake();
    const url = `https://cdn.discordapp.com/attachments/${channelId}/${id}/${encodeURIComponent(file.name)}`;
    return {
      id,
      filename: file.name,
      size: file.data.length,
      url,
      proxy_url: url.replace("cdn.discordapp.com", "media.discordapp.net"),
      content_type: file.contentType || "application/octet-stream",
    };
  });
}
