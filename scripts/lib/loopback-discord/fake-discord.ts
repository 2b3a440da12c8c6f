/**
 * A loopback fake of Discord — REST API and gateway — for end-to-end tests
 * that drive the real discord.js `Client` (never a mock of it).
 *
 * One `node:http` server on 127.0.0.1 with an ephemeral port serves both:
 * plain HTTP requests are the REST API under `/api/v10/…`, and WebSocket
 * upgrades (any path) are the gateway. Point a client at it with
 *
 * ```ts
 * const fake = await startFakeDiscord();
 * const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiBase } });
 * await client.login(fake.token);
 * ```
 *
 * The fake keeps just enough state to answer like Discord does: which
 * interactions exist and whether they were acknowledged, each interaction's
 * original response and follow-ups, messages posted to channels, and the
 * registered application commands. Every REST request is recorded (see
 * {@link RecordedCall}) so tests can assert on what the bot sent.
 *
 * Behaviour was checked against discord.js 14.28.1, @discordjs/rest 2.6.3 and
 * @discordjs/ws 1.2.3; see the comments near each route for why it looks the
 * way it does.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  type APIActionRowComponent,
  type APIApplication,
  type APIApplicationCommandInteractionDataBasicOption,
  type APIApplicationCommandInteractionDataOption,
  type APIAttachment,
  type APIChatInputApplicationCommandGuildInteraction,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type APIGuildMember,
  type APIGuildTextChannel,
  type APIInteraction,
  type APIInteractionDataResolved,
  type APIInteractionGuildMember,
  type APIMessage,
  type APIMessageComponentButtonInteraction,
  type APIRole,
  type APIUser,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationWebhookEventStatus,
  ButtonStyle,
  ChannelType,
  ComponentType,
  GatewayCloseCodes,
  GatewayDispatchEvents,
  type GatewayGuildCreateDispatchData,
  GatewayOpcodes,
  type GatewayReadyDispatchData,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildSystemChannelFlags,
  GuildVerificationLevel,
  InteractionContextType,
  InteractionResponseType,
  InteractionType,
  Locale,
  MessageFlags,
  MessageType,
  PermissionFlagsBits,
  type RESTGetAPIGatewayBotResult,
  RESTJSONErrorCodes,
  type RESTPostAPIInteractionCallbackWithResponseResult,
} from "discord.js";
import { type RawData, type WebSocket, WebSocketServer } from "ws";

// ---------------------------------------------------------------------------
// Ids and constants
// ---------------------------------------------------------------------------

/** Discord's snowflake epoch (2015-01-01T00:00:00.000Z), in milliseconds. */
const DISCORD_EPOCH = 1_420_070_400_000n;

let snowflakeIncrement = 0n;

/**
 * Returns a fresh, realistic snowflake for "now".
 *
 * Real timestamps matter: discord.js derives `createdAt` from ids, and a
 * per-process increment keeps ids unique even within one millisecond.
 */
export function nextSnowflake(): string {
  const timestamp = BigInt(Date.now()) - DISCORD_EPOCH;
  snowflakeIncrement = (snowflakeIncrement + 1n) & 0xfffn;
  // Worker id 1, process id 0: arbitrary but constant, like one Discord node.
  return ((timestamp << 22n) | (1n << 17n) | snowflakeIncrement).toString();
}

/**
 * The ids the fake and the payload builders use unless told otherwise, so a
 * test that overrides nothing gets a consistent world: the bot, one guild with
 * one text channel, and one human user who invokes commands.
 *
 * As on modern Discord, the bot user's id equals its application's id.
 */
export const DEFAULT_IDS = {
  applicationId: "1310000000000000001",
  botUserId: "1310000000000000001",
  guildId: "1310000000000000100",
  channelId: "1310000000000000200",
  userId: "1310000000000000300",
  /**
   * Owns the guild and the application. Deliberately not `userId`: discord.js
   * grants a guild's owner every permission, which would hide permission bugs.
   */
  ownerId: "1310000000000000900",
} as const;

/**
 * Permissions a plain member holds in the default channel: what Discord's
 * default `@everyone` role grants that matters to a text bot.
 */
export const DEFAULT_MEMBER_PERMISSIONS: bigint =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.UseExternalEmojis |
  PermissionFlagsBits.UseApplicationCommands |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.SendMessagesInThreads;

/** Permissions the bot holds in the default channel (`app_permissions`). */
export const DEFAULT_APP_PERMISSIONS: bigint =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.UseExternalEmojis;

/** Discord's upload limit for an unboosted guild (10 MiB), sent as `attachment_size_limit`. */
const ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024;

/** The heartbeat interval real Discord announces in HELLO. */
const DEFAULT_HEARTBEAT_INTERVAL_MS = 41_250;

/** A Discord JSON error body: `{ message, code }` plus, for form errors, `errors`. */
export interface DiscordErrorBody {
  message: string;
  code: number;
  errors?: unknown;
}

/**
 * Error bodies Discord answers with, for use with {@link FakeDiscord.failNext}
 * and asserted on by the fake's own routes.
 */
export const DISCORD_ERRORS = {
  /** 404: the interaction does not exist or its 3-second window has passed. */
  unknownInteraction: { message: "Unknown interaction", code: RESTJSONErrorCodes.UnknownInteraction },
  /** 400: a second callback was posted for the same interaction. */
  alreadyAcknowledged: {
    message: "Interaction has already been acknowledged.",
    code: RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged,
  },
  /** 401: the interaction token has expired (15 minutes after the interaction). */
  invalidWebhookToken: { message: "Invalid Webhook Token", code: RESTJSONErrorCodes.InvalidWebhookToken },
  /** 404: no webhook (interaction token) with that id/token. */
  unknownWebhook: { message: "Unknown Webhook", code: RESTJSONErrorCodes.UnknownWebhook },
  /** 404: the message (e.g. `@original` before any response) does not exist. */
  unknownMessage: { message: "Unknown Message", code: RESTJSONErrorCodes.UnknownMessage },
  /** 404: the channel does not exist. */
  unknownChannel: { message: "Unknown Channel", code: RESTJSONErrorCodes.UnknownChannel },
  /** 404: the application command does not exist. */
  unknownCommand: { message: "Unknown application command", code: RESTJSONErrorCodes.UnknownApplicationCommand },
  /** 403: the bot lacks a permission. */
  missingPermissions: { message: "Missing Permissions", code: RESTJSONErrorCodes.MissingPermissions },
  /** 403: the bot cannot see the channel. */
  missingAccess: { message: "Missing Access", code: RESTJSONErrorCodes.MissingAccess },
  /** 400: the request body failed validation. */
  invalidFormBody: { message: "Invalid Form Body", code: RESTJSONErrorCodes.InvalidFormBodyOrContentType },
} as const satisfies Record<string, DiscordErrorBody>;

// ---------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------

/** A role to place in a fake guild. */
export interface FakeRoleOptions {
  id: string;
  name: string;
  /** Permission bits, as Discord's decimal string or a bigint. Defaults to none. */
  permissions?: bigint | string | undefined;
  position?: number | undefined;
}

/** A text channel to place in a fake guild. */
export interface FakeChannelOptions {
  id: string;
  name: string;
}

/** A guild the fake sends to the client after READY. */
export interface FakeGuildOptions {
  id: string;
  name?: string | undefined;
  /** Defaults to {@link DEFAULT_IDS}.ownerId. */
  ownerId?: string | undefined;
  /**
   * Extra roles. The `@everyone` role (id = guild id) is always added unless
   * one with that id is given.
   */
  roles?: FakeRoleOptions[] | undefined;
  /**
   * Text channels. Defaults to one `#general`, whose id is
   * {@link DEFAULT_IDS}.channelId for the first guild and fresh otherwise.
   */
  channels?: FakeChannelOptions[] | undefined;
}

/** Options for {@link startFakeDiscord}. */
export interface FakeDiscordOptions {
  /** The bot user's id. Defaults to {@link DEFAULT_IDS}.botUserId. */
  botUserId?: string | undefined;
  /** The bot user's username. Defaults to `Passage`. */
  botUsername?: string | undefined;
  /** The application's id. Defaults to {@link DEFAULT_IDS}.applicationId. */
  applicationId?: string | undefined;
  /**
   * Shorthand for a single default guild with this id. Ignored when `guilds`
   * is given. Defaults to {@link DEFAULT_IDS}.guildId.
   */
  guildId?: string | undefined;
  /** The guilds the bot is in. Defaults to one guild (see `guildId`). */
  guilds?: FakeGuildOptions[] | undefined;
  /** Heartbeat interval announced in HELLO. Defaults to Discord's 41 250 ms. */
  heartbeatIntervalMs?: number | undefined;
}

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

/** One REST request the fake received, with the answer it gave. */
export interface RecordedCall {
  /** Upper-case HTTP method. */
  method: string;
  /**
   * The route without the `/api/v10` prefix, with each segment URL-decoded:
   * discord.js sends `/webhooks/1/tok/messages/%40original`, this records
   * `/webhooks/1/tok/messages/@original`.
   */
  path: string;
  /** The API version from the URL (`10`), or null for unversioned paths. */
  apiVersion: number | null;
  /** Query-string parameters, e.g. `{ with_response: "false" }`. */
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /**
   * The parsed body: JSON bodies as-is; for multipart requests the parsed
   * `payload_json` part (or, without one, the non-file fields by name);
   * `undefined` for no body.
   */
  body: unknown;
  /** Files from a multipart body, in upload order. Empty for JSON requests. */
  files: RecordedFile[];
  /** The HTTP status the fake answered with. */
  status: number;
  /** The JSON the fake answered with; `undefined` for 204. */
  response: unknown;
  /** `Date.now()` when the request finished arriving. */
  at: number;
}

/** A predicate over recorded calls. */
export type CallPredicate = (call: RecordedCall) => boolean;

/** Options for {@link FakeDiscord.failNext}. */
export interface FailOptions {
  /**
   * How many matching requests to fail. Defaults to 1. Note that
   * @discordjs/rest retries 5xx answers (3 retries by default), so a request
   * only rejects — with an `HTTPError`, not a `DiscordAPIError` — if
   * `times >= 4`.
   */
  times?: number | undefined;
  /** Extra response headers, e.g. `Retry-After` for a 429. */
  headers?: Record<string, string> | undefined;
}

/** The id and token of an interaction sent with {@link FakeDiscord.pushInteraction}. */
export interface PushedInteraction {
  id: string;
  token: string;
}

/** A payload received on the gateway from the client. */
export interface GatewayReceived {
  op: number;
  d: unknown;
}

/** A running fake Discord; see {@link startFakeDiscord}. */
export interface FakeDiscord {
  /** REST base to pass as `rest.api`; @discordjs/rest appends `/v10` itself. */
  readonly apiBase: string;
  /** Gateway URL as returned by `GET /gateway/bot` (`ws://127.0.0.1:PORT`). */
  readonly gatewayUrl: string;
  /** A bot token in Discord's format that the fake accepts (REST and IDENTIFY). */
  readonly token: string;
  readonly applicationId: string;
  readonly botUserId: string;
  /** Every REST request so far, in arrival order. */
  readonly calls: readonly RecordedCall[];
  /** Every payload the client sent on the gateway, in arrival order. */
  readonly gatewayReceived: readonly GatewayReceived[];
  /**
   * Resolves with the first recorded call matching `predicate`, including
   * calls recorded before this was called; rejects after `timeoutMs`
   * (default 2000) with a list of what was recorded instead.
   */
  waitForCall(predicate: CallPredicate, timeoutMs?: number): Promise<RecordedCall>;
  /**
   * Sends INTERACTION_CREATE to every identified gateway session and
   * registers the interaction so its callback and webhook routes work.
   * Roles the member holds that the guild lacks are first created with
   * GUILD_ROLE_CREATE, as on Discord a member can only hold existing roles.
   *
   * @throws if no client has finished connecting (wait for `clientReady`).
   */
  pushInteraction(payload: APIInteraction): PushedInteraction;
  /**
   * Sends an arbitrary dispatch (op 0) to every identified gateway session,
   * e.g. `dispatch("GUILD_MEMBER_UPDATE", {...})`.
   *
   * @throws if no client has finished connecting.
   */
  dispatch(event: string, data: unknown): void;
  /**
   * Makes the next `options.times` (default 1) REST requests whose
   * `"METHOD /path"` (path as in {@link RecordedCall.path}) matches `route`
   * fail with `status` and `body`. The failed request changes no state, and
   * is still recorded. `body` defaults to Discord's generic body for the
   * status, e.g. `{ message: "404: Not Found", code: 0 }`.
   *
   * @example fake.failNext(/^POST \/interactions\//, 404, DISCORD_ERRORS.unknownInteraction)
   */
  failNext(route: RegExp, status: number, body?: unknown, options?: FailOptions): void;
  /**
   * Expires an interaction as if 15 minutes had passed: its callback answers
   * 404 Unknown interaction (10062) and its webhook routes 401 Invalid
   * Webhook Token (50027).
   */
  expireInteraction(interactionId: string): void;
  /** Messages the bot posted with `POST /channels/:id/messages`, oldest first. */
  channelMessages(channelId: string): APIMessage[];
  /**
   * Stops everything: terminates gateway sockets, closes keep-alive HTTP
   * connections and the server, and rejects pending `waitForCall`s.
   * Destroy clients first: a live client would try to reconnect.
   */
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------
// Payload builders
// ---------------------------------------------------------------------------

/** Options shared by the interaction builders. */
export interface InteractionBuilderOptions {
  /** Defaults to a fresh snowflake. */
  id?: string | undefined;
  /** Defaults to a fresh token in Discord's format. */
  token?: string | undefined;
  applicationId?: string | undefined;
  guildId?: string | undefined;
  channelId?: string | undefined;
  channelName?: string | undefined;
  /** The invoking user. Defaults to {@link DEFAULT_IDS}.userId. */
  userId?: string | undefined;
  username?: string | undefined;
  /**
   * The member's permissions in the channel as Discord computed them: what
   * `interaction.memberPermissions` reports. Defaults to
   * {@link DEFAULT_MEMBER_PERMISSIONS}. (A cached `GuildMember#permissions`
   * is instead computed by discord.js from the guild's roles.)
   */
  memberPermissions?: bigint | string | undefined;
  /**
   * Role ids the member holds (besides the implicit `@everyone`). Roles the
   * guild lacks are created, without permissions, when the interaction is pushed.
   */
  roles?: string[] | undefined;
  /** The bot's permissions in the channel. Defaults to {@link DEFAULT_APP_PERMISSIONS}. */
  appPermissions?: bigint | string | undefined;
  locale?: Locale | undefined;
  guildLocale?: Locale | undefined;
}

/** A chat-input option value; its Discord option type is inferred from the JS type. */
export type ChatInputOptionValue = string | number | boolean;

/** Options for {@link chatInput}. */
export interface ChatInputBuilderOptions extends InteractionBuilderOptions {
  /** The command name, e.g. `ask`. */
  name: string;
  /** The registered command's id. Defaults to a fresh snowflake. */
  commandId?: string | undefined;
  subcommand?: string | undefined;
  /** Wraps `subcommand` in a group; requires `subcommand`. */
  subcommandGroup?: string | undefined;
  /**
   * Option values by name — strings become STRING (3), booleans BOOLEAN (5),
   * integral numbers INTEGER (4) and others NUMBER (10) — or raw option
   * objects when the type must be explicit (e.g. NUMBER `3`, USER, ROLE).
   */
  options?: Record<string, ChatInputOptionValue> | APIApplicationCommandInteractionDataBasicOption[] | undefined;
  /** Resolved users/roles/channels for snowflake-valued options. */
  resolved?: APIInteractionDataResolved | undefined;
}

/** Options for {@link button}. */
export interface ButtonBuilderOptions extends InteractionBuilderOptions {
  customId: string;
  /**
   * Fields of the message the button is on, merged over a default bot
   * message in the channel that carries this button.
   */
  message?: Partial<APIMessage> | undefined;
}

/**
 * Discord sends `0` for "no flags", which TypeScript's numeric flag enums
 * (none of which has a 0 member) cannot express without a cast.
 */
function noFlags<Flags extends number>(): Flags {
  return 0 as Flags;
}

function permissionString(value: bigint | string | undefined, fallback: bigint): string {
  return (value ?? fallback).toString();
}

/**
 * Returns a fresh interaction token: Discord's are long URL-safe base64
 * strings starting with the encoding of `interaction:`.
 */
function interactionToken(id: string): string {
  return `aW50ZXJhY3Rpb246${Buffer.from(`${id}:`).toString("base64url")}${randomBytes(48).toString("base64url")}`;
}

function humanUser(id: string, username: string): APIUser {
  return {
    id,
    username,
    global_name: username,
    discriminator: "0",
    avatar: null,
    public_flags: noFlags(),
    flags: noFlags(),
    primary_guild: null,
    collectibles: null,
    avatar_decoration_data: null,
  };
}

function botUser(id: string, username: string): APIUser {
  return {
    id,
    username,
    global_name: null,
    // Bot accounts keep legacy discriminators.
    discriminator: "0000",
    avatar: null,
    bot: true,
    public_flags: noFlags(),
    flags: noFlags(),
    mfa_enabled: false,
    verified: true,
    primary_guild: null,
    collectibles: null,
    avatar_decoration_data: null,
  };
}

/** The fields every interaction shares, for a member in a guild text channel. */
function baseGuildInteraction(options: InteractionBuilderOptions) {
  const id = options.id ?? nextSnowflake();
  const guildId = options.guildId ?? DEFAULT_IDS.guildId;
  const channelId = options.channelId ?? DEFAULT_IDS.channelId;
  const userId = options.userId ?? DEFAULT_IDS.userId;
  const member: APIInteractionGuildMember = {
    user: humanUser(userId, options.username ?? "tester"),
    roles: options.roles ?? [],
    permissions: permissionString(options.memberPermissions, DEFAULT_MEMBER_PERMISSIONS),
    joined_at: new Date(Date.now() - 86_400_000).toISOString(),
    premium_since: null,
    nick: null,
    avatar: null,
    banner: null,
    deaf: false,
    mute: false,
    pending: false,
    flags: noFlags(),
    communication_disabled_until: null,
  };
  const channel: APIGuildTextChannel<ChannelType.GuildText> = {
    id: channelId,
    type: ChannelType.GuildText,
    guild_id: guildId,
    name: options.channelName ?? "general",
    position: 0,
    parent_id: null,
    topic: null,
    nsfw: false,
    last_message_id: null,
    rate_limit_per_user: 0,
    flags: noFlags(),
    permission_overwrites: [],
  };
  return {
    id,
    application_id: options.applicationId ?? DEFAULT_IDS.applicationId,
    token: options.token ?? interactionToken(id),
    version: 1 as const,
    guild_id: guildId,
    guild: { id: guildId, locale: options.guildLocale ?? Locale.EnglishUS, features: [] },
    channel_id: channelId,
    channel,
    member,
    app_permissions: permissionString(options.appPermissions, DEFAULT_APP_PERMISSIONS),
    locale: options.locale ?? Locale.EnglishUS,
    guild_locale: options.guildLocale ?? Locale.EnglishUS,
    // discord.js reads both unconditionally; without either, its
    // INTERACTION_CREATE handler throws a TypeError that surfaces only as an
    // unhandled rejection, and interactionCreate is never emitted.
    entitlements: [],
    // Key "0" is GUILD_INSTALL, mapped to the guild, as for a guild-installed bot.
    authorizing_integration_owners: { "0": guildId },
    context: InteractionContextType.Guild,
    attachment_size_limit: ATTACHMENT_SIZE_LIMIT,
  };
}

function toBasicOptions(
  options: ChatInputBuilderOptions["options"],
): APIApplicationCommandInteractionDataBasicOption[] {
  if (options === undefined) return [];
  if (Array.isArray(options)) return options;
  return Object.entries(options).map(([name, value]): APIApplicationCommandInteractionDataBasicOption => {
    if (typeof value === "string") return { name, type: ApplicationCommandOptionType.String, value };
    if (typeof value === "boolean") return { name, type: ApplicationCommandOptionType.Boolean, value };
    return Number.isInteger(value)
      ? { name, type: ApplicationCommandOptionType.Integer, value }
      : { name, type: ApplicationCommandOptionType.Number, value };
  });
}

/**
 * Builds a guild slash-command interaction (type 2 APPLICATION_COMMAND, data
 * type 1 CHAT_INPUT) as Discord sends it over the gateway.
 *
 * @example chatInput({ name: "ask", options: { question: "Why?" }, roles: ["123"] })
 */
export function chatInput(options: ChatInputBuilderOptions): APIChatInputApplicationCommandGuildInteraction {
  const basic = toBasicOptions(options.options);
  let dataOptions: APIApplicationCommandInteractionDataOption<InteractionType.ApplicationCommand>[] = basic;
  if (options.subcommand !== undefined) {
    const sub = { name: options.subcommand, type: ApplicationCommandOptionType.Subcommand as const, options: basic };
    dataOptions =
      options.subcommandGroup === undefined
        ? [sub]
        : [{ name: options.subcommandGroup, type: ApplicationCommandOptionType.SubcommandGroup, options: [sub] }];
  } else if (options.subcommandGroup !== undefined) {
    throw new Error("chatInput: subcommandGroup requires subcommand");
  }
  const base = baseGuildInteraction(options);
  return {
    ...base,
    type: InteractionType.ApplicationCommand,
    data: {
      id: options.commandId ?? nextSnowflake(),
      name: options.name,
      type: ApplicationCommandType.ChatInput,
      options: dataOptions,
      ...(options.resolved === undefined ? {} : { resolved: options.resolved }),
    },
  };
}

/**
 * Builds a guild button-click interaction (type 3 MESSAGE_COMPONENT,
 * component_type 2 BUTTON) on a bot message that carries the button.
 *
 * @example button({ customId: "more:42" })
 */
export function button(options: ButtonBuilderOptions): APIMessageComponentButtonInteraction {
  const base = baseGuildInteraction(options);
  const applicationId = base.application_id;
  const row: APIActionRowComponent<APIComponentInMessageActionRow> = {
    type: ComponentType.ActionRow,
    components: [
      { type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: options.customId, label: "Button" },
    ],
  };
  const message: APIMessage = {
    ...newMessage({
      channelId: base.channel_id,
      author: botUser(applicationId, "Passage"),
      type: MessageType.Default,
      applicationId,
    }),
    components: [row],
    ...options.message,
  };
  return {
    ...base,
    type: InteractionType.MessageComponent,
    data: { custom_id: options.customId, component_type: ComponentType.Button },
    message,
  };
}

/** A message's top-level components (discord-api-types marks the field optional). */
type MessageComponents = NonNullable<APIMessage["components"]>;

interface NewMessageFields {
  id?: string;
  channelId: string;
  author: APIUser;
  type: MessageType;
  content?: string;
  flags?: number;
  embeds?: APIEmbed[];
  components?: MessageComponents;
  attachments?: APIAttachment[];
  webhookId?: string;
  applicationId?: string;
}

function newMessage(fields: NewMessageFields): APIMessage {
  return {
    id: fields.id ?? nextSnowflake(),
    channel_id: fields.channelId,
    author: fields.author,
    content: fields.content ?? "",
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: fields.attachments ?? [],
    embeds: fields.embeds ?? [],
    components: fields.components ?? [],
    pinned: false,
    type: fields.type,
    flags: fields.flags ?? 0,
    ...(fields.webhookId === undefined ? {} : { webhook_id: fields.webhookId }),
    ...(fields.applicationId === undefined ? {} : { application_id: fields.applicationId }),
  };
}

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asRecord(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

/** Discord's generic body for a status without a more specific error. */
function genericErrorBody(status: number): DiscordErrorBody {
  const reasons: Record<number, string> = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
  };
  return { message: `${status}: ${reasons[status] ?? "Error"}`, code: 0 };
}

/** Splits a path and URL-decodes each segment (`%40original` → `@original`). */
function decodePath(pathname: string): string {
  return pathname
    .split("/")
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    })
    .join("/");
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk instanceof Buffer ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

/**
 * Parses a request body the way Discord would: JSON, or multipart/form-data
 * where `payload_json` carries the JSON and `files[n]` parts the uploads.
 * Multipart parsing reuses the platform's `Response#formData()` rather than a
 * hand-written parser.
 */
async function parseBody(
  contentType: string | undefined,
  raw: Buffer,
): Promise<{ body: unknown; files: RecordedFile[] }> {
  if (raw.length === 0) return { body: undefined, files: [] };
  const type = contentType ?? "";
  if (type.startsWith("multipart/form-data")) {
    const form = await new Response(raw, { headers: { "content-type": type } }).formData();
    const files: RecordedFile[] = [];
    const fields: Record<string, string> = {};
    for (const [field, value] of form) {
      if (typeof value === "string") {
        fields[field] = value;
      } else {
        const data = Buffer.from(await value.arrayBuffer());
        files.push({ field, name: value.name, contentType: value.type, data, text: data.toString("utf8") });
      }
    }
    const payload = fields.payload_json;
    return { body: payload === undefined ? fields : (JSON.parse(payload) as unknown), files };
  }
  const text = raw.toString("utf8");
  if (type.startsWith("application/json")) return { body: JSON.parse(text) as unknown, files: [] };
  return { body: text, files: [] };
}

// ---------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------

interface InteractionState {
  id: string;
  token: string;
  type: InteractionType;
  channelId: string;
  /** The message a component was on; what `@original` means after a deferred update. */
  componentMessage: APIMessage | null;
  acknowledged: boolean;
  expired: boolean;
  original: APIMessage | null;
  followups: Map<string, APIMessage>;
}

interface GatewaySession {
  socket: WebSocket;
  sequence: number;
  sessionId: string;
  identified: boolean;
  /** READY and the GUILD_CREATEs went out: interactions may now be pushed. */
  ready: boolean;
}

interface Failure {
  route: RegExp;
  status: number;
  body: unknown;
  remaining: number;
  headers: Record<string, string>;
}

interface Waiter {
  predicate: CallPredicate;
  resolve: (call: RecordedCall) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** A stored application command: the client's JSON echoed back with Discord's fields. */
type StoredCommand = Record<string, unknown> & { id: string; name: string; type: number };

interface RouteContext {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  files: RecordedFile[];
}

interface RouteResult {
  status: number;
  /** JSON body; omitted for 204. */
  body?: unknown;
  headers?: Record<string, string>;
}

interface Route {
  method: string;
  pattern: RegExp;
  /** Whether the route requires `Authorization: Bot <token>`; interaction routes do not. */
  auth: boolean;
  handle: (context: RouteContext) => RouteResult;
}

function ok(body: unknown, status = 200): RouteResult {
  return { status, body };
}

function noContent(): RouteResult {
  return { status: 204 };
}

function fail(status: number, body: DiscordErrorBody): RouteResult {
  return { status, body };
}

// ---------------------------------------------------------------------------
// The fake
// ---------------------------------------------------------------------------

class FakeDiscordServer implements FakeDiscord {
  readonly apiBase: string;
  readonly gatewayUrl: string;
  readonly token: string;
  readonly applicationId: string;
  readonly botUserId: string;
  readonly calls: RecordedCall[] = [];
  readonly gatewayReceived: GatewayReceived[] = [];

  private readonly bot: APIUser;
  private readonly guilds = new Map<string, GatewayGuildCreateDispatchData>();
  private readonly interactions = new Map<string, InteractionState>();
  private readonly interactionsByToken = new Map<string, InteractionState>();
  private readonly messagesByChannel = new Map<string, Map<string, APIMessage>>();
  /** Commands by scope: `""` for global, else the guild id. */
  private readonly commands = new Map<string, StoredCommand[]>();
  private readonly failures: Failure[] = [];
  private readonly waiters = new Set<Waiter>();
  private readonly sessions = new Set<GatewaySession>();
  private readonly routes: Route[];
  private sessionStartsRemaining = 1000;
  private closed = false;
  private readonly verifyKey = randomBytes(32).toString("hex");

  constructor(
    private readonly server: ReturnType<typeof createServer>,
    private readonly wss: WebSocketServer,
    port: number,
    private readonly options: FakeDiscordOptions,
  ) {
    this.apiBase = `http://127.0.0.1:${port}/api`;
    this.gatewayUrl = `ws://127.0.0.1:${port}`;
    this.applicationId = options.applicationId ?? DEFAULT_IDS.applicationId;
    this.botUserId = options.botUserId ?? DEFAULT_IDS.botUserId;
    this.bot = botUser(this.botUserId, options.botUsername ?? "Passage");
    // Discord's format: base64(user id) . base64(timestamp) . HMAC. Nothing
    // checks the parts, but a realistic shape keeps log censoring honest.
    this.token = [
      Buffer.from(this.botUserId).toString("base64").replace(/=+$/, ""),
      randomBytes(4).toString("base64url"),
      randomBytes(28).toString("base64url"),
    ].join(".");

    const guildOptions = options.guilds ?? [{ id: options.guildId ?? DEFAULT_IDS.guildId }];
    guildOptions.forEach((guild, index) => {
      this.guilds.set(guild.id, this.buildGuild(guild, index));
    });

    this.routes = this.buildRoutes();
    server.on("request", (request: IncomingMessage, response: ServerResponse) => {
      this.handleHttp(request, response).catch((error: unknown) => {
        // Reading the request failed (e.g. the client went away mid-body).
        if (!response.headersSent) {
          response.writeHead(500, { "content-type": "application/json" });
          response.end(JSON.stringify({ message: `fake-discord error: ${String(error)}`, code: 0 }));
        }
      });
    });
    wss.on("connection", (socket: WebSocket, request: IncomingMessage) => this.handleGateway(socket, request));
  }

  // -- Public API -----------------------------------------------------------

  waitForCall(predicate: CallPredicate, timeoutMs = 2000): Promise<RecordedCall> {
    let existing: RecordedCall | undefined;
    try {
      existing = this.calls.find(predicate);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          const seen = this.calls.map((call) => `  ${call.method} ${call.path} → ${call.status}`).join("\n");
          reject(new Error(`waitForCall: no matching call within ${timeoutMs} ms. Recorded:\n${seen || "  (none)"}`));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  pushInteraction(payload: APIInteraction): PushedInteraction {
    this.requireReadySession();
    if (payload.guild_id !== undefined && payload.member !== undefined) {
      this.ensureRoles(payload.guild_id, payload.member.roles);
    }
    const state: InteractionState = {
      id: payload.id,
      token: payload.token,
      type: payload.type,
      channelId: payload.channel?.id ?? payload.channel_id ?? DEFAULT_IDS.channelId,
      componentMessage: payload.message ?? null,
      acknowledged: false,
      expired: false,
      original: null,
      followups: new Map(),
    };
    this.interactions.set(state.id, state);
    this.interactionsByToken.set(state.token, state);
    this.dispatch(GatewayDispatchEvents.InteractionCreate, payload);
    return { id: state.id, token: state.token };
  }

  dispatch(event: string, data: unknown): void {
    for (const session of this.requireReadySession()) this.sendDispatch(session, event, data);
  }

  failNext(route: RegExp, status: number, body?: unknown, options: FailOptions = {}): void {
    const headers: Record<string, string> = { ...options.headers };
    let responseBody = body ?? genericErrorBody(status);
    if (status === 429) {
      // @discordjs/rest sleeps for Retry-After (seconds) and then retries; keep it short.
      headers["retry-after"] ??= "0.05";
      responseBody = body ?? { message: "You are being rate limited.", retry_after: 0.05, global: false };
    }
    // A /g or /y regex would make test() stateful across requests.
    const stateless = new RegExp(route.source, route.flags.replace(/[gy]/g, ""));
    this.failures.push({ route: stateless, status, body: responseBody, remaining: options.times ?? 1, headers });
  }

  expireInteraction(interactionId: string): void {
    const state = this.interactions.get(interactionId);
    if (!state) throw new Error(`expireInteraction: unknown interaction ${interactionId}`);
    state.expired = true;
  }

  channelMessages(channelId: string): APIMessage[] {
    return [...(this.messagesByChannel.get(channelId)?.values() ?? [])];
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error("fake Discord closed"));
    }
    this.waiters.clear();
    for (const session of this.sessions) session.socket.terminate();
    this.sessions.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    // Keep-alive sockets from undici would otherwise hold server.close() open.
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  // -- Guild state ----------------------------------------------------------

  private buildGuild(options: FakeGuildOptions, index: number): GatewayGuildCreateDispatchData {
    const everyone: APIRole = this.role({
      id: options.id,
      name: "@everyone",
      permissions: DEFAULT_MEMBER_PERMISSIONS,
      position: 0,
    });
    const roles = (options.roles ?? []).map((role) => this.role(role));
    if (!roles.some((role) => role.id === options.id)) roles.unshift(everyone);
    const channels = options.channels ?? [
      { id: index === 0 ? DEFAULT_IDS.channelId : nextSnowflake(), name: "general" },
    ];
    const botMember: APIGuildMember = {
      user: this.bot,
      roles: [],
      joined_at: new Date(Date.now() - 7 * 86_400_000).toISOString(),
      premium_since: null,
      nick: null,
      avatar: null,
      deaf: false,
      mute: false,
      pending: false,
      flags: noFlags(),
    };
    return {
      id: options.id,
      name: options.name ?? "Passage Test Guild",
      icon: null,
      splash: null,
      discovery_splash: null,
      banner: null,
      description: null,
      owner_id: options.ownerId ?? DEFAULT_IDS.ownerId,
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: GuildVerificationLevel.Low,
      default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
      explicit_content_filter: GuildExplicitContentFilter.AllMembers,
      mfa_level: GuildMFALevel.None,
      nsfw_level: GuildNSFWLevel.Default,
      premium_tier: GuildPremiumTier.None,
      premium_subscription_count: 0,
      premium_progress_bar_enabled: false,
      system_channel_id: channels[0]?.id ?? null,
      system_channel_flags: GuildSystemChannelFlags.SuppressJoinNotificationReplies,
      rules_channel_id: null,
      public_updates_channel_id: null,
      safety_alerts_channel_id: null,
      application_id: null,
      vanity_url_code: null,
      preferred_locale: Locale.EnglishUS,
      hub_type: null,
      features: [],
      max_members: 500_000,
      max_video_channel_users: 25,
      max_stage_video_channel_users: 50,
      roles,
      emojis: [],
      stickers: [],
      joined_at: botMember.joined_at ?? new Date().toISOString(),
      large: false,
      unavailable: false,
      member_count: 2,
      voice_states: [],
      members: [botMember],
      channels: channels.map((channel, position) => ({
        id: channel.id,
        type: ChannelType.GuildText,
        guild_id: options.id,
        name: channel.name,
        position,
        parent_id: null,
        topic: null,
        nsfw: false,
        last_message_id: null,
        rate_limit_per_user: 0,
        flags: noFlags(),
        permission_overwrites: [],
      })),
      threads: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
      incidents_data: null,
    };
  }

  private role(options: FakeRoleOptions): APIRole {
    return {
      id: options.id,
      name: options.name,
      color: 0,
      colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
      hoist: false,
      icon: null,
      unicode_emoji: null,
      position: options.position ?? 1,
      permissions: permissionString(options.permissions, 0n),
      managed: false,
      mentionable: false,
      flags: noFlags(),
    };
  }

  /** Creates (and announces) roles a member holds that the guild does not have yet. */
  private ensureRoles(guildId: string, roleIds: readonly string[]): void {
    const guild = this.guilds.get(guildId);
    if (!guild) return;
    for (const id of roleIds) {
      if (guild.roles.some((role) => role.id === id)) continue;
      const role = this.role({ id, name: `role-${id.slice(-4)}`, position: guild.roles.length });
      guild.roles.push(role);
      this.dispatch(GatewayDispatchEvents.GuildRoleCreate, { guild_id: guildId, role });
    }
  }

  private findChannel(channelId: string) {
    for (const guild of this.guilds.values()) {
      const channel = guild.channels.find((candidate) => candidate.id === channelId);
      if (channel) return channel;
    }
    return undefined;
  }

  // -- HTTP -----------------------------------------------------------------

  private async handleHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const raw = await readBody(request);
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const method = (request.method ?? "GET").toUpperCase();
    // @discordjs/rest builds `${api}/v${version}${route}`; routes built with
    // `Routes.*` encode each parameter, hence the per-segment decoding.
    const prefix = /^\/api(?:\/v(\d+))?(?=\/|$)/.exec(url.pathname);
    const apiVersion = prefix?.[1] === undefined ? null : Number(prefix[1]);
    const path = decodePath(prefix ? url.pathname.slice(prefix[0].length) || "/" : url.pathname);
    const query = Object.fromEntries(url.searchParams);

    let parsed: { body: unknown; files: RecordedFile[] };
    let result: RouteResult;
    try {
      parsed = await parseBody(request.headers["content-type"], raw);
      result = prefix ? this.route(method, path, url.searchParams, parsed, request.headers) : this.notFound();
    } catch {
      // Unparseable JSON or multipart: Discord's answer to a malformed body.
      parsed = { body: raw.toString("utf8"), files: [] };
      result = fail(400, {
        message: "The request body contains invalid JSON.",
        code: RESTJSONErrorCodes.RequestBodyContainsInvalidJSON,
      });
    }

    this.record({
      method,
      path,
      apiVersion,
      query,
      headers: request.headers,
      body: parsed.body,
      files: parsed.files,
      status: result.status,
      response: result.body,
      at: Date.now(),
    });

    const headers: Record<string, string> = { ...result.headers };
    if (result.body === undefined) {
      response.writeHead(result.status, headers);
      response.end();
    } else {
      headers["content-type"] = "application/json";
      response.writeHead(result.status, headers);
      response.end(JSON.stringify(result.body));
    }
  }

  private route(
    method: string,
    path: string,
    query: URLSearchParams,
    parsed: { body: unknown; files: RecordedFile[] },
    headers: IncomingHttpHeaders,
  ): RouteResult {
    const failure = this.failures.find((candidate) => candidate.route.test(`${method} ${path}`));
    if (failure) {
      failure.remaining -= 1;
      if (failure.remaining <= 0) this.failures.splice(this.failures.indexOf(failure), 1);
      return { status: failure.status, body: failure.body, headers: failure.headers };
    }

    let pathKnown = false;
    for (const route of this.routes) {
      const match = route.pattern.exec(path);
      if (!match) continue;
      pathKnown = true;
      if (route.method !== method) continue;
      if (route.auth && headers.authorization !== `Bot ${this.token}`) return fail(401, genericErrorBody(401));
      try {
        return route.handle({
          method,
          path,
          params: { ...match.groups },
          query,
          body: parsed.body,
          files: parsed.files,
        });
      } catch (error) {
        // A bug in the fake: answer 500 (and record it) so the test fails
        // loudly instead of waiting out the client's 15 s request timeout.
        console.error("fake-discord route error:", error);
        return { status: 500, body: { message: `fake-discord bug: ${String(error)}`, code: 0 } };
      }
    }
    return pathKnown ? fail(405, genericErrorBody(405)) : this.notFound();
  }

  private notFound(): RouteResult {
    return fail(404, genericErrorBody(404));
  }

  private record(call: RecordedCall): void {
    this.calls.push(call);
    for (const waiter of this.waiters) {
      let matched: boolean;
      try {
        matched = waiter.predicate(call);
      } catch (error) {
        // A throwing predicate fails its own wait, not the request being served.
        clearTimeout(waiter.timer);
        this.waiters.delete(waiter);
        waiter.reject(error instanceof Error ? error : new Error(String(error)));
        continue;
      }
      if (!matched) continue;
      clearTimeout(waiter.timer);
      this.waiters.delete(waiter);
      waiter.resolve(call);
    }
  }

  private buildRoutes(): Route[] {
    const id = "(?<id>\\d+)";
    const route = (method: string, pattern: string, auth: boolean, handle: Route["handle"]): Route => ({
      method,
      pattern: new RegExp(`^${pattern}$`),
      auth,
      handle,
    });
    const webhook = `/webhooks/(?<appId>\\d+)/(?<token>[^/]+)`;
    const commands = `/applications/(?<appId>\\d+)(?:/guilds/(?<guildId>\\d+))?/commands`;
    return [
      // Gateway discovery. discord.js only uses /gateway/bot, and connects to
      // `${url}?v=10&encoding=json` (plus `&compress=zlib-stream` only when
      // the optional zlib-sync package is installed).
      route("GET", "/gateway", false, () => ok({ url: this.gatewayUrl })),
      route("GET", "/gateway/bot", true, () => ok(this.gatewayBot())),
      route("GET", "/users/@me", true, () => ok(this.bot)),
      route("GET", "/applications/@me", true, () => ok(this.application())),
      route("GET", "/oauth2/applications/@me", true, () => ok(this.application())),

      route("POST", `/interactions/${id}/(?<token>[^/]+)/callback`, false, (context) => this.callback(context)),

      route("GET", `${webhook}/messages/(?<messageId>@original|\\d+)`, false, (context) =>
        this.webhookMessage(context, "GET"),
      ),
      route("PATCH", `${webhook}/messages/(?<messageId>@original|\\d+)`, false, (context) =>
        this.webhookMessage(context, "PATCH"),
      ),
      route("DELETE", `${webhook}/messages/(?<messageId>@original|\\d+)`, false, (context) =>
        this.webhookMessage(context, "DELETE"),
      ),
      route("POST", webhook, false, (context) => this.followup(context)),

      route("GET", commands, true, (context) => this.commandList(context)),
      route("PUT", commands, true, (context) => this.putCommands(context)),
      route("POST", commands, true, (context) => this.postCommand(context)),
      route("GET", `${commands}/(?<commandId>\\d+)`, true, (context) => this.commandById(context, "GET")),
      route("DELETE", `${commands}/(?<commandId>\\d+)`, true, (context) => this.commandById(context, "DELETE")),

      route("GET", `/channels/${id}`, true, (context) => {
        const channel = this.findChannel(param(context, "id"));
        return channel ? ok(channel) : fail(404, DISCORD_ERRORS.unknownChannel);
      }),
      route("POST", `/channels/${id}/messages`, true, (context) => this.postChannelMessage(context)),
      route("GET", `/channels/${id}/messages/(?<messageId>\\d+)`, true, (context) =>
        this.channelMessage(context, "GET"),
      ),
      route("PATCH", `/channels/${id}/messages/(?<messageId>\\d+)`, true, (context) =>
        this.channelMessage(context, "PATCH"),
      ),
      route("DELETE", `/channels/${id}/messages/(?<messageId>\\d+)`, true, (context) =>
        this.channelMessage(context, "DELETE"),
      ),
    ];
  }

  private gatewayBot(): RESTGetAPIGatewayBotResult {
    return {
      url: this.gatewayUrl,
      shards: 1,
      session_start_limit: {
        total: 1000,
        remaining: this.sessionStartsRemaining,
        reset_after: 86_400_000,
        max_concurrency: 1,
      },
    };
  }

  private application(): APIApplication {
    return {
      id: this.applicationId,
      name: this.bot.username,
      icon: null,
      description: "Answers questions from its corpus, citing passages.",
      summary: "",
      bot_public: false,
      bot_require_code_grant: false,
      verify_key: this.verifyKey,
      team: null,
      flags: noFlags(),
      flags_new: "0",
      bot: this.bot,
      owner: humanUser(DEFAULT_IDS.ownerId, "owner"),
      approximate_guild_count: this.guilds.size,
      redirect_uris: [],
      interactions_endpoint_url: null,
      role_connections_verification_url: null,
      event_webhooks_url: null,
      event_webhooks_status: ApplicationWebhookEventStatus.Disabled,
      integration_types_config: { "0": {} },
    };
  }

  // -- Interaction callbacks and webhooks -----------------------------------

  private callback(context: RouteContext): RouteResult {
    const state = this.interactions.get(param(context, "id"));
    // Discord answers 10062 both for ids it never issued and for interactions
    // past their 3-second acknowledgement window.
    if (!state || state.token !== param(context, "token") || state.expired) {
      return fail(404, DISCORD_ERRORS.unknownInteraction);
    }
    if (state.acknowledged) return fail(400, DISCORD_ERRORS.alreadyAcknowledged);

    const body = asRecord(context.body);
    const type = body.type;
    const data = asRecord(body.data);
    let message: APIMessage | null = null;
    switch (type) {
      case InteractionResponseType.ChannelMessageWithSource:
        message = this.messageFromBody(state, data, context.files);
        state.original = message;
        break;
      case InteractionResponseType.DeferredChannelMessageWithSource:
        // Discord shows "Bot is thinking…": an empty original with the Loading flag.
        state.original = this.messageFromBody(state, {}, [], numberOr(data.flags, 0) | MessageFlags.Loading);
        break;
      case InteractionResponseType.DeferredMessageUpdate:
      case InteractionResponseType.UpdateMessage:
        // Only component (and modal-from-component) interactions have a message to update.
        if (!state.componentMessage) {
          return fail(400, { ...DISCORD_ERRORS.invalidFormBody, errors: { type: "no message to update" } });
        }
        if (type === InteractionResponseType.DeferredMessageUpdate) {
          state.original = state.componentMessage;
          break;
        }
        message = mergeMessage(state.componentMessage, data, this.attachmentsFor(state.channelId, context.files));
        state.original = message;
        break;
      case InteractionResponseType.ApplicationCommandAutocompleteResult:
      case InteractionResponseType.Modal:
      case InteractionResponseType.LaunchActivity:
        break;
      default:
        return fail(400, { ...DISCORD_ERRORS.invalidFormBody, errors: { type: "invalid callback type" } });
    }
    state.acknowledged = true;

    // discord.js always sends `with_response=false` unless `withResponse: true`
    // was passed, in which case it expects the callback response object.
    if (context.query.get("with_response") !== "true") return noContent();
    const result: RESTPostAPIInteractionCallbackWithResponseResult = {
      interaction: {
        id: state.id,
        type: state.type,
        ...(state.original ? { response_message_id: state.original.id } : {}),
        ...(type === InteractionResponseType.DeferredChannelMessageWithSource
          ? { response_message_loading: true }
          : {}),
        ...(state.original
          ? { response_message_ephemeral: (numberOr(state.original.flags, 0) & MessageFlags.Ephemeral) !== 0 }
          : {}),
      },
      resource: { type: type as InteractionResponseType, ...(message ? { message } : {}) },
    };
    return ok(result);
  }

  /** Resolves the interaction behind a webhook route, or the error Discord would give. */
  private webhookState(context: RouteContext): InteractionState | RouteResult {
    const state = this.interactionsByToken.get(param(context, "token"));
    if (!state || param(context, "appId") !== this.applicationId) return fail(404, DISCORD_ERRORS.unknownWebhook);
    if (state.expired) return fail(401, DISCORD_ERRORS.invalidWebhookToken);
    return state;
  }

  private webhookMessage(context: RouteContext, method: "GET" | "PATCH" | "DELETE"): RouteResult {
    const state = this.webhookState(context);
    if (!("token" in state)) return state;
    const messageId = param(context, "messageId");
    const isOriginal = messageId === "@original" || messageId === state.original?.id;
    const message = isOriginal ? state.original : state.followups.get(messageId);
    if (!message) return fail(404, DISCORD_ERRORS.unknownMessage);

    if (method === "GET") return ok(message);
    if (method === "DELETE") {
      if (isOriginal) state.original = null;
      else state.followups.delete(messageId);
      return noContent();
    }
    const edited = mergeMessage(message, asRecord(context.body), this.attachmentsFor(state.channelId, context.files));
    // Editing a deferred reply replaces the "thinking" placeholder.
    edited.flags = numberOr(edited.flags, 0) & ~MessageFlags.Loading;
    if (isOriginal) state.original = edited;
    else state.followups.set(messageId, edited);
    return ok(edited);
  }

  private followup(context: RouteContext): RouteResult {
    const state = this.webhookState(context);
    if (!("token" in state)) return state;
    if (!state.acknowledged) return fail(404, DISCORD_ERRORS.unknownWebhook);
    const body = asRecord(context.body);
    const message = this.messageFromBody(state, body, context.files);
    state.followups.set(message.id, message);
    // Without `wait=true` Discord answers 204; discord.js always sends it.
    return context.query.get("wait") === "true" ? ok(message) : noContent();
  }

  private messageFromBody(
    state: InteractionState,
    data: Record<string, unknown>,
    files: RecordedFile[],
    flags?: number,
  ): APIMessage {
    return newMessage({
      channelId: state.channelId,
      author: this.bot,
      // The original response to a slash command has type CHAT_INPUT_COMMAND.
      type: state.type === InteractionType.ApplicationCommand ? MessageType.ChatInputCommand : MessageType.Default,
      content: typeof data.content === "string" ? data.content : "",
      flags: flags ?? numberOr(data.flags, 0),
      embeds: Array.isArray(data.embeds) ? (data.embeds as APIEmbed[]) : [],
      components: Array.isArray(data.components) ? (data.components as MessageComponents) : [],
      attachments: this.attachmentsFor(state.channelId, files),
      webhookId: this.applicationId,
      applicationId: this.applicationId,
    });
  }

  private attachmentsFor(channelId: string, files: RecordedFile[]): APIAttachment[] {
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

  // -- Application commands --------------------------------------------------

  private commandScope(context: RouteContext): string | RouteResult {
    if (param(context, "appId") !== this.applicationId) return fail(403, DISCORD_ERRORS.missingAccess);
    const guildId = context.params.guildId ?? "";
    if (guildId !== "" && !this.guilds.has(guildId)) return fail(403, DISCORD_ERRORS.missingAccess);
    return guildId;
  }

  private commandList(context: RouteContext): RouteResult {
    const scope = this.commandScope(context);
    if (typeof scope !== "string") return scope;
    return ok(this.commands.get(scope) ?? []);
  }

  private storeCommand(scope: string, input: Record<string, unknown>, existing: StoredCommand[]): StoredCommand {
    const name = typeof input.name === "string" ? input.name : "";
    const type = numberOr(input.type, ApplicationCommandType.ChatInput);
    // Discord keeps a command's id across overwrites when name and type match.
    const previous = existing.find((command) => command.name === name && command.type === type);
    return {
      ...input,
      id: previous?.id ?? nextSnowflake(),
      application_id: this.applicationId,
      ...(scope === "" ? {} : { guild_id: scope }),
      name,
      type,
      description: typeof input.description === "string" ? input.description : "",
      default_member_permissions: input.default_member_permissions ?? null,
      nsfw: input.nsfw ?? false,
      integration_types: input.integration_types ?? [0],
      contexts: input.contexts ?? null,
      version: nextSnowflake(),
    };
  }

  private putCommands(context: RouteContext): RouteResult {
    const scope = this.commandScope(context);
    if (typeof scope !== "string") return scope;
    if (!Array.isArray(context.body)) return fail(400, DISCORD_ERRORS.invalidFormBody);
    const existing = this.commands.get(scope) ?? [];
    const stored = context.body.map((command) => this.storeCommand(scope, asRecord(command), existing));
    this.commands.set(scope, stored);
    return ok(stored);
  }

  private postCommand(context: RouteContext): RouteResult {
    const scope = this.commandScope(context);
    if (typeof scope !== "string") return scope;
    const existing = this.commands.get(scope) ?? [];
    const command = this.storeCommand(scope, asRecord(context.body), existing);
    const index = existing.findIndex((candidate) => candidate.id === command.id);
    if (index === -1) existing.push(command);
    else existing[index] = command;
    this.commands.set(scope, existing);
    // Discord answers 201 for a new command and 200 for an upsert of an existing one.
    return ok(command, index === -1 ? 201 : 200);
  }

  private commandById(context: RouteContext, method: "GET" | "DELETE"): RouteResult {
    const scope = this.commandScope(context);
    if (typeof scope !== "string") return scope;
    const existing = this.commands.get(scope) ?? [];
    const command = existing.find((candidate) => candidate.id === param(context, "commandId"));
    if (!command) return fail(404, DISCORD_ERRORS.unknownCommand);
    if (method === "GET") return ok(command);
    existing.splice(existing.indexOf(command), 1);
    return noContent();
  }

  // -- Channel messages -----------------------------------------------------

  private postChannelMessage(context: RouteContext): RouteResult {
    const channelId = param(context, "id");
    if (!this.findChannel(channelId)) return fail(404, DISCORD_ERRORS.unknownChannel);
    const body = asRecord(context.body);
    const hasReference = isRecord(body.message_reference);
    const message = newMessage({
      channelId,
      author: this.bot,
      type: hasReference ? MessageType.Reply : MessageType.Default,
      content: typeof body.content === "string" ? body.content : "",
      flags: numberOr(body.flags, 0),
      embeds: Array.isArray(body.embeds) ? (body.embeds as APIEmbed[]) : [],
      components: Array.isArray(body.components) ? (body.components as MessageComponents) : [],
      attachments: this.attachmentsFor(channelId, context.files),
    });
    let messages = this.messagesByChannel.get(channelId);
    if (!messages) {
      messages = new Map();
      this.messagesByChannel.set(channelId, messages);
    }
    messages.set(message.id, message);
    return ok(message);
  }

  private channelMessage(context: RouteContext, method: "GET" | "PATCH" | "DELETE"): RouteResult {
    const channelId = param(context, "id");
    if (!this.findChannel(channelId)) return fail(404, DISCORD_ERRORS.unknownChannel);
    const messages = this.messagesByChannel.get(channelId);
    const messageId = param(context, "messageId");
    const message = messages?.get(messageId);
    if (!messages || !message) return fail(404, DISCORD_ERRORS.unknownMessage);
    if (method === "GET") return ok(message);
    if (method === "DELETE") {
      messages.delete(messageId);
      return noContent();
    }
    const edited = mergeMessage(message, asRecord(context.body), this.attachmentsFor(channelId, context.files));
    messages.set(messageId, edited);
    return ok(edited);
  }

  // -- Gateway --------------------------------------------------------------

  private handleGateway(socket: WebSocket, request: IncomingMessage): void {
    const url = new URL(request.url ?? "/", "ws://127.0.0.1");
    const session: GatewaySession = {
      socket,
      sequence: 0,
      sessionId: randomBytes(16).toString("hex"),
      identified: false,
      ready: false,
    };
    this.sessions.add(session);
    socket.on("close", () => this.sessions.delete(session));
    // A client dropping mid-frame is not a test failure, and an "error"
    // without a listener would crash the test process; "close" follows.
    socket.on("error", () => undefined);

    const version = url.searchParams.get("v");
    if (version !== null && version !== "10") {
      socket.close(GatewayCloseCodes.InvalidAPIVersion, "Invalid API version");
      return;
    }
    // We never compress: even if the client asked for zlib-stream, it parses
    // text frames as plain JSON and only inflates binary ones.
    this.send(session, { op: GatewayOpcodes.Hello, d: { heartbeat_interval: this.heartbeatInterval() } });
    socket.on("message", (data: RawData) => this.onGatewayMessage(session, data));
  }

  private heartbeatInterval(): number {
    return this.options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS;
  }

  private onGatewayMessage(session: GatewaySession, data: RawData): void {
    let payload: { op: number; d: unknown };
    try {
      const parsed = JSON.parse(rawDataToString(data)) as unknown;
      if (!isRecord(parsed) || typeof parsed.op !== "number") throw new Error("no op");
      payload = { op: parsed.op, d: parsed.d };
    } catch {
      session.socket.close(GatewayCloseCodes.DecodeError, "Error while decoding payload.");
      return;
    }
    this.gatewayReceived.push(payload);

    switch (payload.op) {
      case GatewayOpcodes.Heartbeat:
        this.send(session, { op: GatewayOpcodes.HeartbeatAck });
        return;
      case GatewayOpcodes.Identify:
        this.onIdentify(session, asRecord(payload.d));
        return;
      case GatewayOpcodes.Resume:
        this.onResume(session, asRecord(payload.d));
        return;
      case GatewayOpcodes.PresenceUpdate:
      case GatewayOpcodes.VoiceStateUpdate:
      case GatewayOpcodes.RequestGuildMembers:
      case GatewayOpcodes.RequestSoundboardSounds:
        if (!session.identified) session.socket.close(GatewayCloseCodes.NotAuthenticated, "Not authenticated.");
        return;
      default:
        session.socket.close(GatewayCloseCodes.UnknownOpcode, "Unknown opcode.");
    }
  }

  private onIdentify(session: GatewaySession, data: Record<string, unknown>): void {
    if (session.identified) {
      session.socket.close(GatewayCloseCodes.AlreadyAuthenticated, "Already authenticated.");
      return;
    }
    if (data.token !== this.token) {
      session.socket.close(GatewayCloseCodes.AuthenticationFailed, "Authentication failed.");
      return;
    }
    session.identified = true;
    this.sessionStartsRemaining -= 1;
    const shard = Array.isArray(data.shard) ? data.shard : [0, 1];
    const ready: GatewayReadyDispatchData = {
      v: 10,
      user: this.bot,
      // Guilds start unavailable; GUILD_CREATE fills them in, and discord.js
      // emits clientReady once every listed guild has arrived.
      guilds: [...this.guilds.keys()].map((id) => ({ id, unavailable: true })),
      session_id: session.sessionId,
      resume_gateway_url: this.gatewayUrl,
      shard: [numberOr(shard[0], 0), numberOr(shard[1], 1)],
      application: { id: this.applicationId, flags: noFlags(), flags_new: "0" },
    };
    this.sendDispatch(session, GatewayDispatchEvents.Ready, ready);
    // Right behind READY, as Discord does. discord.js handles each frame in its
    // own async chain without serialising them, but READY's and GUILD_CREATE's
    // chains are equally deep, so they apply in order — checked even with
    // both frames in one TCP segment.
    for (const guild of this.guilds.values()) this.sendDispatch(session, GatewayDispatchEvents.GuildCreate, guild);
    session.ready = true;
  }

  private onResume(session: GatewaySession, data: Record<string, unknown>): void {
    if (data.token !== this.token) {
      session.socket.close(GatewayCloseCodes.AuthenticationFailed, "Authentication failed.");
      return;
    }
    // Resume the sequence where the client left off; no events are replayed.
    session.sequence = numberOr(data.seq, 0);
    session.identified = true;
    session.ready = true;
    this.sendDispatch(session, GatewayDispatchEvents.Resumed, {});
  }

  private requireReadySession(): GatewaySession[] {
    const ready = [...this.sessions].filter((session) => session.ready);
    if (ready.length === 0) {
      throw new Error("fake Discord: no client has finished connecting; await the clientReady event first");
    }
    return ready;
  }

  private sendDispatch(session: GatewaySession, event: string, data: unknown): void {
    session.sequence += 1;
    this.send(session, { op: GatewayOpcodes.Dispatch, t: event, s: session.sequence, d: data });
  }

  private send(session: GatewaySession, payload: { op: GatewayOpcodes; d?: unknown; t?: string; s?: number }): void {
    session.socket.send(JSON.stringify({ t: null, s: null, d: null, ...payload }));
  }
}

function param(context: RouteContext, name: string): string {
  const value = context.params[name];
  if (value === undefined) throw new Error(`route parameter ${name} missing`);
  return value;
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === "number" ? value : fallback;
}

function rawDataToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString("utf8");
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString("utf8");
  return data.toString("utf8");
}

/**
 * Applies an edit body to a message like Discord does: fields present in the
 * body replace the message's; `attachments`, when given, lists which existing
 * attachments to keep (by id), and new uploads are added.
 */
function mergeMessage(message: APIMessage, body: Record<string, unknown>, uploads: APIAttachment[]): APIMessage {
  let attachments = message.attachments;
  if (Array.isArray(body.attachments)) {
    const keep = new Set(body.attachments.map((attachment) => String(asRecord(attachment).id)));
    attachments = attachments.filter((attachment) => keep.has(attachment.id));
  }
  const edited: APIMessage = {
    ...message,
    attachments: [...attachments, ...uploads],
    edited_timestamp: new Date().toISOString(),
  };
  if (typeof body.content === "string") edited.content = body.content;
  if (Array.isArray(body.embeds)) edited.embeds = body.embeds as APIEmbed[];
  if (Array.isArray(body.components)) edited.components = body.components as MessageComponents;
  if (typeof body.flags === "number") edited.flags = body.flags;
  return edited;
}

/**
 * Starts a fake Discord on 127.0.0.1 with an ephemeral port.
 *
 * @example
 * const fake = await startFakeDiscord();
 * const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiBase } });
 * await Promise.all([once(client, Events.ClientReady), client.login(fake.token)]);
 * const { id, token } = fake.pushInteraction(chatInput({ name: "ask", options: { question: "Why?" } }));
 * const call = await fake.waitForCall(c => c.path === `/interactions/${id}/${token}/callback`);
 * // …
 * await client.destroy();
 * await fake.close();
 */
export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const server = createServer();
  // `noServer` plus our own upgrade handler would work too; attaching to the
  // HTTP server lets the gateway share the REST port, which keeps
  // `GET /gateway/bot` trivially correct.
  const wss = new WebSocketServer({ server });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return new FakeDiscordServer(server, wss, port, options);
}
