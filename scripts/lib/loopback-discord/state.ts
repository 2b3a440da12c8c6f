/**
 * What the loopback Discord remembers between requests: the guild (whose roles grow as members
 * with new roles appear), each interaction pushed to the bot with the responses it got (a
 * message, or a modal), and the messages in channels: the bot's posts and members' messages a
 * test puts there (which a reply's `message_reference` may point at).
 *
 * @module
 */
import type { APIInteraction, APIMessage, APIRole, GatewayGuildCreateDispatchData, InteractionType } from "discord.js";
import { defaultGuild, role } from "./world.js";

/** An interaction pushed to the bot, and what the bot has answered to it. */
export interface InteractionState {
  readonly id: string;
  readonly token: string;
  readonly type: InteractionType;
  readonly channelId: string;
  /** Whether its one callback (reply or defer) was accepted. */
  acknowledged: boolean;
  /** The original response (`@original`), once there is one. */
  original: APIMessage | null;
  readonly followUps: APIMessage[];
  /** The modal shown in answer (callback type 9): its `data` as sent, once there is one. */
  modal: Record<string, unknown> | null;
  /** The message a component or modal interaction came from, as updated by callback type 7. */
  message: APIMessage | null;
  /** Whether the callback was an update of that message (type 6 or 7): `@original` then edits it. */
  updatedMessage: boolean;
  /** The choices an autocomplete request was answered with (callback type 8), once answered. */
  choices: { name: string; value: string | number }[] | null;
}

/** A file a member uploaded with a command, served at its loopback CDN URL. */
export interface StoredAttachment {
  readonly data: Buffer;
  readonly contentType: string;
  /** How many times it was downloaded. */
  downloads: number;
}

/** The fake's memory; the routes and `pushInteraction` read and change it. */
export class FakeState {
  /** The guilds, as GUILD_CREATE sends them; the first is the default guild. */
  readonly guilds: GatewayGuildCreateDispatchData[] = [defaultGuild()];
  /** What `GET /gateway/bot` recommends as the number of shards. */
  recommendedShards = 1;

  /** The default guild, where interactions happen unless a test names another. */
  get guild(): GatewayGuildCreateDispatchData {
    return this.guilds[0] as GatewayGuildCreateDispatchData;
  }

  /** The guild with `id`, or undefined. */
  guildById(id: string): GatewayGuildCreateDispatchData | undefined {
    return this.guilds.find((g) => g.id === id);
  }

  /** The guild a channel belongs to, or undefined. */
  guildOfChannel(channelId: string): GatewayGuildCreateDispatchData | undefined {
    return this.guilds.find((g) => g.channels.some((c) => c.id === channelId));
  }
  private readonly interactions = new Map<string, InteractionState>();
  private readonly interactionsByToken = new Map<string, InteractionState>();
  private readonly posts = new Map<string, APIMessage[]>();
  /** Uploaded files by the path they are served at (`/attachments/:channel/:id/:name`). */
  readonly attachments = new Map<string, StoredAttachment>();

  /** Remembers an interaction about to be sent to the bot, so its callback and webhook routes work. */
  addInteraction(payload: APIInteraction): InteractionState {
    const state: InteractionState = {
      id: payload.id,
      token: payload.token,
      type: payload.type,
      channelId: payload.channel?.id ?? this.guild.channels[0]?.id ?? "",
      acknowledged: false,
      original: null,
      followUps: [],
      modal: null,
      message: "message" in payload && payload.message ? payload.message : null,
      updatedMessage: false,
      choices: null,
    };
    this.interactions.set(state.id, state);
    this.interactionsByToken.set(state.token, state);
    return state;
  }

  interaction(id: string): InteractionState | undefined {
    return this.interactions.get(id);
  }

  /** The interaction an interaction webhook (`/webhooks/:app/:token`) belongs to. */
  interactionByToken(token: string): InteractionState | undefined {
    return this.interactionsByToken.get(token);
  }

  /**
   * Creates the roles among `roleIds` that the guild lacks (on Discord a member can only hold
   * existing roles) and returns them, for the caller to announce with GUILD_ROLE_CREATE.
   */
  addMissingRoles(roleIds: readonly string[], guildId: string = this.guild.id): APIRole[] {
    const guild = this.guildById(guildId) ?? this.guild;
    const created: APIRole[] = [];
    for (const id of roleIds) {
      if (guild.roles.some((r) => r.id === id)) continue;
      const added = role(id, `role-${id.slice(-4)}`, guild.roles.length);
      guild.roles.push(added);
      created.push(added);
    }
    return created;
  }

  hasChannel(channelId: string): boolean {
    return this.guildOfChannel(channelId) !== undefined;
  }

  /** Stores a message posted to a channel. */
  post(message: APIMessage): void {
    const messages = this.posts.get(message.channel_id) ?? [];
    messages.push(message);
    this.posts.set(message.channel_id, messages);
  }

  /** A message in a channel (posted by the bot or put there by a test), or undefined. */
  message(channelId: string, messageId: string): APIMessage | undefined {
    return this.posts.get(channelId)?.find((m) => m.id === messageId);
  }

  /** Messages posted to a channel, oldest first. */
  channelMessages(channelId: string): APIMessage[] {
    return [...(this.posts.get(channelId) ?? [])];
  }
}
