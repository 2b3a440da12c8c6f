/**
 * A loopback fake of Discord, REST API and gateway, for tests and benchmarks that drive the
 * real discord.js `Client` (never a mock of it). It serves what Passage uses and nothing more:
 * see routes.ts for the REST routes and gateway.ts for the gateway.
 *
 * One `node:http` server on 127.0.0.1 with an ephemeral port serves both: plain requests are the
 * REST API under `/api/v10/…`, WebSocket upgrades the gateway; and `GET /attachments/…` serves
 * the files members "uploaded" with a command (see {@link FakeDiscord.upload}), standing in for
 * Discord's CDN.
 *
 * ```ts
 * const fake = await startFakeDiscord();
 * const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiBase } });
 * await Promise.all([once(client, Events.ClientReady), client.login(fake.token)]);
 * const { id } = fake.pushInteraction(chatInput({ name: "ask", options: { question: "Why?" } }));
 * const call = await fake.waitForCall((c) => c.path.startsWith(`/interactions/${id}/`));
 * await client.destroy();
 * await fake.close();
 * ```
 *
 * Checked against discord.js 14.28.1, @discordjs/rest 2.6 and @discordjs/ws 1.2.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import {
  type APIAttachment,
  type APIInteraction,
  type APIMessage,
  GatewayCloseCodes,
  GatewayDispatchEvents,
} from "discord.js";
import { WebSocketServer } from "ws";
import type { DiscordConfig } from "../../../src/config.js";
import { FakeGateway, type GatewayConnection, type GatewayReceived } from "./gateway.js";
import { type MemberMessageOptions, memberMessage } from "./interactions.js";
import { type CallPredicate, FakeRest, type RecordedCall } from "./rest.js";
import { discordRoutes } from "./routes.js";
import { FakeState } from "./state.js";
import { DEFAULT_IDS, defaultGuild, nextSnowflake, snowflakeOnShard } from "./world.js";

export type { GatewayConnection, GatewayReceived } from "./gateway.js";
export {
  type AutocompleteBuilderOptions,
  autocomplete,
  button,
  type ChatInputBuilderOptions,
  chatInput,
  type MemberMessageOptions,
  memberMessage,
  messageCommand,
  modalSubmit,
} from "./interactions.js";
export type { RecordedFile } from "./messages.js";
export { type CallPredicate, DISCORD_ERRORS, type RecordedCall } from "./rest.js";
export { DEFAULT_IDS, DEFAULT_MEMBER_PERMISSIONS, shardOfGuild, snowflakeOnShard } from "./world.js";

/** The id and token of an interaction sent with {@link FakeDiscord.pushInteraction}. */
export interface PushedInteraction {
  id: string;
  token: string;
}

/** A file a member attaches to a command; see {@link FakeDiscord.upload}. */
export interface UploadOptions {
  /** The file name as the member's disk had it, e.g. `article.pdf`. */
  name: string;
  data: Buffer | string;
  /** Discord's guess from the name; default `application/octet-stream`. */
  contentType?: string | undefined;
  /** The size Discord reports; defaults to the data's length (override it to test a bot that trusts it). */
  size?: number | undefined;
}

/** A running fake Discord; see {@link startFakeDiscord}. */
export interface FakeDiscord {
  /** REST base to pass as `rest.api`; @discordjs/rest appends `/v10` itself. */
  readonly apiBase: string;
  /** Gateway URL as `GET /gateway/bot` returns it (`ws://127.0.0.1:PORT`). */
  readonly gatewayUrl: string;
  /** A bot token in Discord's format that the fake accepts (REST and IDENTIFY). */
  readonly token: string;
  readonly applicationId: string;
  readonly botUserId: string;
  /** Every REST request so far, in arrival order. */
  readonly calls: readonly RecordedCall[];
  /** Every payload a client sent on the gateway, in arrival order. */
  readonly gatewayReceived: readonly GatewayReceived[];
  /**
   * Resolves with the first recorded call matching `predicate`, including calls recorded
   * before; rejects after `timeoutMs` (default 2000) with a list of what was recorded instead.
   */
  waitForCall(predicate: CallPredicate, timeoutMs?: number): Promise<RecordedCall>;
  /**
   * Adds a guild (with its own `#general`) whose id falls on `shard` of `count` shards (any
   * shard when none is given), announcing it to a connected shard that serves it. Pass the
   * returned ids as an interaction's `guild` to have it happen there.
   */
  addGuild(options?: { shard?: number; count?: number }): { guildId: string; channelId: string };
  /** Sets the number of shards `GET /gateway/bot` recommends (1 by default), for `SHARD_COUNT=auto`. */
  recommendShards(count: number): void;
  /** The open gateway connections: the shard each identified as, and the guilds it serves. */
  gatewayConnections(): GatewayConnection[];
  /**
   * The gateway connections (numbered as in {@link FakeDiscord.gatewayConnections}) an
   * interaction was delivered to; empty when no connected shard serves its guild.
   */
  deliveryOf(interactionId: string): readonly number[];
  /** Interactions no connected shard served, so no one could answer. */
  undelivered(): string[];
  /**
   * Sends INTERACTION_CREATE to the connection serving its guild's shard and remembers the interaction so its
   * callback and webhook routes work. Roles the member holds that the guild lacks are first
   * created with GUILD_ROLE_CREATE, as on Discord a member can only hold existing roles.
   *
   * @throws if no client has finished connecting (wait for `clientReady`).
   */
  pushInteraction(payload: APIInteraction): PushedInteraction;
  /**
   * Makes the next `times` (default 1) REST requests whose `"METHOD /path"` (path as in
   * {@link RecordedCall.path}) matches `route` fail with `status` and `body` (default:
   * Discord's generic body for the status). The failed request changes no state and is still
   * recorded.
   *
   * @example fake.failNext(/^POST \/interactions\//, 404, DISCORD_ERRORS.unknownInteraction)
   */
  failNext(route: RegExp, status: number, body?: unknown, options?: { times?: number }): void;
  /**
   * Messages in a channel, oldest first: those the bot posted with `POST /channels/:id/messages`
   * and those put there with {@link FakeDiscord.postMemberMessage}.
   */
  channelMessages(channelId: string): APIMessage[];
  /**
   * Puts a member's message in the guild's text channel (no gateway event: the bot has only the
   * Guilds intent) and returns it, for a message command to target and a reply to reference.
   */
  postMemberMessage(options: MemberMessageOptions): APIMessage;
  /** The response to an interaction (`@original`) as it stands, or null before there is one. */
  originalOf(interactionId: string): APIMessage | null;
  /**
   * Stores a file as a member's upload and returns the attachment Discord would put in the
   * interaction's `resolved.attachments`; pass it as an option value to `chatInput`. Its `url`
   * points at this server (`http://127.0.0.1:PORT/attachments/…`), which serves the bytes as
   * Discord's CDN would.
   */
  upload(options: UploadOptions): APIAttachment;
  /** How many times an uploaded attachment was downloaded. */
  downloadsOf(attachment: APIAttachment): number;
  /** The choices an autocomplete request was answered with (callback type 8), or null before. */
  choicesOf(interactionId: string): { name: string; value: string | number }[] | null;
  /** The modal the bot showed in answer to an interaction (its type 9 `data`), or null. */
  modalOf(interactionId: string): Record<string, unknown> | null;
  /** The message a component interaction came from, as callback type 7 (update) left it, or null. */
  messageOf(interactionId: string): APIMessage | null;
  /**
   * From now on, answers every IDENTIFY by closing the gateway with `code` instead of READY,
   * while REST still accepts the token: Discord's order when it refuses a session.
   */
  rejectIdentify(code: GatewayCloseCodes): void;
  /** From now on, IDENTIFY gets no answer: the gateway connects but never sends READY. */
  withholdReady(): void;
  /**
   * From now on (`refuse` true) or again (false), gateway connections are refused at the socket
   * while REST keeps answering: Discord's gateway unreachable, its API not.
   */
  refuseGateway(refuse?: boolean): void;
  /**
   * Drops every gateway connection without a close frame (code 1006 to the client), as a network
   * failure does; discord.js then reconnects by itself.
   */
  dropGateway(): void;
  /** Closes connected sessions with `code` (default 4004, as after a token reset). */
  closeGateway(code?: GatewayCloseCodes): void;
  /**
   * Stops everything: terminates gateway sockets, closes keep-alive HTTP connections and the
   * server, and rejects pending `waitForCall`s. Destroy clients first: a live client would try
   * to reconnect.
   */
  close(): Promise<void>;
}

/** The bot's Discord configuration pointed at `fake`: no guild, no cooldown, no moderator roles. */
export function discordConfigFor(fake: FakeDiscord, overrides: Partial<DiscordConfig> = {}): DiscordConfig {
  return {
    token: fake.token,
    applicationId: null,
    guildId: null,
    apiUrl: fake.apiBase,
    moderatorRoleIds: [],
    cooldownSeconds: 0,
    connectAttempts: 3,
    connectBackoffMs: 50,
    readyTimeoutMs: 30_000,
    shards: null,
    ...overrides,
  };
}

/** Starts a fake Discord on 127.0.0.1 with an ephemeral port. */
export async function startFakeDiscord(): Promise<FakeDiscord> {
  const server = createServer();
  // Upgrades of the HTTP server go to the gateway, so it shares the REST port.
  const wss = new WebSocketServer({ noServer: true });
  let refusing = false;
  server.on("upgrade", (request, socket, head) => {
    if (refusing) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit("connection", ws, request));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const apiBase = `http://127.0.0.1:${port}/api`;
  const gatewayUrl = `ws://127.0.0.1:${port}`;
  // Discord's format: base64(user id) . base64(timestamp) . HMAC. Nothing checks the parts, but
  // a realistic shape keeps the tests of token redaction honest.
  const token = [
    Buffer.from(DEFAULT_IDS.botUserId).toString("base64").replace(/=+$/, ""),
    randomBytes(4).toString("base64url"),
    randomBytes(28).toString("base64url"),
  ].join(".");

  const state = new FakeState();
  const rest = new FakeRest(discordRoutes(state, gatewayUrl), token);
  const gateway = new FakeGateway(wss, token, gatewayUrl, () => state.guilds);
  server.on("request", (request, response) => {
    if (request.method === "GET" && request.url?.startsWith("/attachments/")) {
      serveAttachment(state, request, response);
      return;
    }
    rest.handle(request, response).catch((error: unknown) => {
      // Reading the request failed (the client went away mid-body, say).
      if (!response.headersSent) {
        response.writeHead(500, { "content-type": "application/json" });
        response.end(JSON.stringify({ message: `fake-discord error: ${String(error)}`, code: 0 }));
      }
    });
  });

  /** The gateway connections each pushed interaction went to (none: no connected shard serves its guild). */
  const deliveries = new Map<string, number[]>();
  let closed = false;
  return {
    apiBase,
    gatewayUrl,
    token,
    applicationId: DEFAULT_IDS.applicationId,
    botUserId: DEFAULT_IDS.botUserId,
    calls: rest.calls,
    gatewayReceived: gateway.received,
    waitForCall: (predicate, timeoutMs) => rest.waitForCall(predicate, timeoutMs),
    failNext: (route, status, body, options) => rest.failNext(route, status, body, options),
    channelMessages: (channelId) => state.channelMessages(channelId),
    postMemberMessage(options) {
      const message = memberMessage(options);
      state.post(message);
      return message;
    },
    originalOf: (interactionId) => state.interaction(interactionId)?.original ?? null,
    modalOf: (interactionId) => state.interaction(interactionId)?.modal ?? null,
    choicesOf: (interactionId) => state.interaction(interactionId)?.choices ?? null,
    upload(options) {
      const data = typeof options.data === "string" ? Buffer.from(options.data, "utf8") : options.data;
      const id = nextSnowflake();
      const contentType = options.contentType ?? "application/octet-stream";
      const path = `/attachments/${DEFAULT_IDS.channelId}/${id}/${encodeURIComponent(options.name)}`;
      state.attachments.set(path, { data, contentType, downloads: 0 });
      const url = `http://127.0.0.1:${port}${path}`;
      return {
        id,
        filename: options.name,
        size: options.size ?? data.length,
        url,
        proxy_url: url,
        content_type: contentType,
        ephemeral: true,
      };
    },
    downloadsOf: (attachment) => state.attachments.get(new URL(attachment.url).pathname)?.downloads ?? 0,
    rejectIdentify: (code) => gateway.rejectIdentify(code),
    withholdReady: () => gateway.withholdReady(),
    refuseGateway(refuse = true) {
      refusing = refuse;
    },
    dropGateway: () => gateway.close(),
    closeGateway: (code = GatewayCloseCodes.AuthenticationFailed) => gateway.closeSessions(code, "Closed by the test."),
    messageOf: (interactionId) => state.interaction(interactionId)?.message ?? null,
    pushInteraction(payload) {
      gateway.requireReady();
      const guildId = payload.guild_id ?? state.guild.id;
      for (const role of state.addMissingRoles(payload.member?.roles ?? [], guildId))
        gateway.dispatch(GatewayDispatchEvents.GuildRoleCreate, { guild_id: guildId, role }, guildId);
      const { id, token } = state.addInteraction(payload);
      deliveries.set(id, gateway.dispatch(GatewayDispatchEvents.InteractionCreate, payload, guildId));
      return { id, token };
    },
    addGuild(options = {}) {
      const guildId =
        options.shard === undefined ? nextSnowflake() : snowflakeOnShard(options.shard, options.count ?? 1);
      const channelId = nextSnowflake();
      const guild = defaultGuild(guildId, channelId);
      state.guilds.push(guild);
      gateway.announceGuild(guild);
      return { guildId, channelId };
    },
    recommendShards(count) {
      state.recommendedShards = count;
    },
    gatewayConnections: () => gateway.connections(),
    deliveryOf: (interactionId) => deliveries.get(interactionId) ?? [],
    undelivered: () => [...deliveries].filter(([, to]) => to.length === 0).map(([id]) => id),
    async close() {
      if (closed) return;
      closed = true;
      rest.close();
      gateway.close();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      // Keep-alive sockets from undici would otherwise hold server.close() open.
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

/** Serves an uploaded file as Discord's CDN does: the bytes with their type and length, or 404. */
function serveAttachment(state: FakeState, request: IncomingMessage, response: ServerResponse): void {
  const stored = state.attachments.get(new URL(request.url ?? "/", "http://127.0.0.1").pathname);
  if (!stored) {
    response.writeHead(404, { "content-type": "text/plain" });
    response.end("Not Found");
    return;
  }
  stored.downloads += 1;
  response.writeHead(200, { "content-type": stored.contentType, "content-length": String(stored.data.length) });
  response.end(stored.data);
}
