/**
 * The gateway half of the loopback Discord: what a discord.js client with the Guilds intent
 * needs. HELLO on connect, heartbeats acknowledged, IDENTIFY answered with READY and the
 * guild's GUILD_CREATE, and then whatever dispatches the test pushes (INTERACTION_CREATE,
 * GUILD_ROLE_CREATE). Nothing is compressed: discord.js parses text frames as plain JSON.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import {
  GatewayCloseCodes,
  GatewayDispatchEvents,
  type GatewayGuildCreateDispatchData,
  GatewayOpcodes,
  type GatewayReadyDispatchData,
} from "discord.js";
import type { RawData, WebSocket, WebSocketServer } from "ws";
import { BOT_USER, DEFAULT_IDS, noFlags, shardOfGuild } from "./world.js";

/** The heartbeat interval real Discord announces in HELLO. */
const HEARTBEAT_INTERVAL_MS = 41_250;

/** A payload received on the gateway from the client. */
export interface GatewayReceived {
  op: number;
  d: unknown;
}

/** One gateway connection, as a test sees it. */
export interface GatewayConnection {
  /** Numbered from 1 in the order clients connected. */
  readonly connection: number;
  /** The shard it identified as, `[id, count]` ([0, 1] without sharding); null before IDENTIFY. */
  readonly shard: readonly [number, number] | null;
  /** READY went out (or a RESUME succeeded), and the socket is open. */
  readonly ready: boolean;
  /** The guilds it serves. */
  readonly guildIds: readonly string[];
}

interface Session {
  connection: number;
  shard: [number, number] | null;
  socket: WebSocket;
  sequence: number;
  sessionId: string;
  /** READY and GUILD_CREATE went out: interactions may now be pushed. */
  ready: boolean;
}

/**
 * Serves gateway sessions on `wss`, identified with `token`. Each session gets the guilds of the
 * shard it identified as (Discord's `(guild_id >> 22) % shard_count`), and only their events.
 */
export class FakeGateway {
  /** Every payload a client sent, in arrival order. */
  readonly received: GatewayReceived[] = [];
  private readonly sessions = new Set<Session>();
  /** Connections so far, numbering the next. */
  private connected = 0;
  /** The sessions READY started, which RESUME may continue, with the shard each serves. */
  private readonly started = new Map<string, [number, number]>();
  /** When set, every IDENTIFY is answered by closing with this code instead of READY. */
  private identifyCloseCode: number | null = null;
  /** When true, IDENTIFY gets no answer at all: a gateway that never sends READY. */
  private silent = false;

  constructor(
    wss: WebSocketServer,
    private readonly token: string,
    private readonly url: string,
    private readonly guilds: () => readonly GatewayGuildCreateDispatchData[],
  ) {
    wss.on("connection", (socket: WebSocket) => this.connect(socket));
  }

  /**
   * Sends a dispatch (op 0) to every ready session serving `guildId`'s shard (every ready session
   * when no guild is given), and returns the connection numbers it went to: none when no
   * connected shard serves that guild.
   *
   * @throws if no client has finished connecting.
   */
  dispatch(event: GatewayDispatchEvents, data: unknown, guildId?: string): number[] {
    const to = this.readySessions().filter((s) => guildId === undefined || serves(s, guildId));
    for (const session of to) this.sendDispatch(session, event, data);
    return to.map((s) => s.connection);
  }

  /** Announces a guild added after clients connected to the sessions serving its shard. */
  announceGuild(guild: GatewayGuildCreateDispatchData): void {
    for (const session of this.sessions)
      if (session.ready && serves(session, guild.id))
        this.sendDispatch(session, GatewayDispatchEvents.GuildCreate, guild);
  }

  /** Every open gateway connection. */
  connections(): GatewayConnection[] {
    return [...this.sessions].map((s) => ({
      connection: s.connection,
      shard: s.shard,
      ready: s.ready,
      guildIds: this.guilds()
        .filter((g) => serves(s, g.id))
        .map((g) => g.id),
    }));
  }

  /** @throws unless a client has received READY and GUILD_CREATE: a push would go nowhere. */
  requireReady(): void {
    this.readySessions();
  }

  private readySessions(): Session[] {
    const ready = [...this.sessions].filter((s) => s.ready);
    if (ready.length === 0)
      throw new Error("fake Discord: no client has finished connecting; await the clientReady event first");
    return ready;
  }

  /**
   * From now on, answers IDENTIFY by closing the socket with `code` (4004 for a token Discord
   * revoked after the REST check passed, 4014 for a privileged intent turned off…).
   */
  rejectIdentify(code: GatewayCloseCodes): void {
    this.identifyCloseCode = code;
  }

  /** From now on, answers IDENTIFY with nothing (no READY, no close): a stuck gateway. */
  withholdReady(): void {
    this.silent = true;
  }

  /** Closes every open session with `code`, as Discord does to a connected bot (a token reset: 4004). */
  closeSessions(code: GatewayCloseCodes, reason: string): void {
    for (const session of this.sessions) session.socket.close(code, reason);
  }

  /** Terminates every session. */
  close(): void {
    for (const session of this.sessions) session.socket.terminate();
    this.sessions.clear();
  }

  private connect(socket: WebSocket): void {
    this.connected += 1;
    const session: Session = {
      connection: this.connected,
      shard: null,
      socket,
      sequence: 0,
      sessionId: randomBytes(16).toString("hex"),
      ready: false,
    };
    this.sessions.add(session);
    socket.on("close", () => this.sessions.delete(session));
    // A client dropping mid-frame is no test failure, and an unheard "error" would crash the
    // process; "close" follows anyway.
    socket.on("error", () => undefined);
    socket.on("message", (data: RawData) => this.receive(session, data));
    this.send(session, { op: GatewayOpcodes.Hello, d: { heartbeat_interval: HEARTBEAT_INTERVAL_MS } });
  }

  private receive(session: Session, data: RawData): void {
    let payload: GatewayReceived;
    try {
      const parsed = JSON.parse(rawDataToString(data)) as { op?: unknown; d?: unknown };
      if (typeof parsed.op !== "number") throw new Error("no op");
      payload = { op: parsed.op, d: parsed.d };
    } catch {
      session.socket.close(GatewayCloseCodes.DecodeError, "Error while decoding payload.");
      return;
    }
    this.received.push(payload);
    switch (payload.op) {
      case GatewayOpcodes.Heartbeat:
        this.send(session, { op: GatewayOpcodes.HeartbeatAck });
        return;
      case GatewayOpcodes.Identify:
        this.identify(session, payload.d);
        return;
      case GatewayOpcodes.Resume:
        this.resume(session, payload.d);
        return;
      default:
        // The bot sends nothing else; anything new should show up as a failure.
        session.socket.close(GatewayCloseCodes.UnknownOpcode, "Unknown opcode.");
    }
  }

  private identify(session: Session, data: unknown): void {
    if (this.silent) return;
    if (this.identifyCloseCode !== null) {
      session.socket.close(this.identifyCloseCode, "Closed by the test.");
      return;
    }
    if ((data as { token?: unknown } | null)?.token !== this.token) {
      session.socket.close(GatewayCloseCodes.AuthenticationFailed, "Authentication failed.");
      return;
    }
    session.shard = shardOf(data);
    const guilds = this.guilds().filter((g) => serves(session, g.id));
    const ready: GatewayReadyDispatchData = {
      v: 10,
      user: BOT_USER,
      // Guilds start unavailable; GUILD_CREATE fills them in, and discord.js emits clientReady
      // once every listed guild has arrived.
      guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.sessionId,
      resume_gateway_url: this.url,
      shard: session.shard,
      application: { id: DEFAULT_IDS.applicationId, flags: noFlags(), flags_new: "0" },
    };
    this.sendDispatch(session, GatewayDispatchEvents.Ready, ready);
    this.started.set(session.sessionId, session.shard);
    // Right behind READY, as Discord does. discord.js handles each frame in its own async chain,
    // but READY's and GUILD_CREATE's are equally deep, so they apply in order.
    for (const guild of guilds) this.sendDispatch(session, GatewayDispatchEvents.GuildCreate, guild);
    session.ready = true;
  }

  /**
   * RESUME after a dropped connection: a session this gateway started continues (RESUMED, with
   * the client's sequence); any other gets INVALID_SESSION (not resumable), so the client
   * identifies afresh, as Discord does.
   */
  private resume(session: Session, data: unknown): void {
    const d = data as { token?: unknown; session_id?: unknown; seq?: unknown } | null;
    if (d?.token !== this.token) {
      session.socket.close(GatewayCloseCodes.AuthenticationFailed, "Authentication failed.");
      return;
    }
    if (typeof d.session_id !== "string" || !this.started.has(d.session_id)) {
      this.send(session, { op: GatewayOpcodes.InvalidSession, d: false });
      return;
    }
    session.sessionId = d.session_id;
    session.shard = this.started.get(d.session_id) ?? null;
    session.sequence = typeof d.seq === "number" ? d.seq : 0;
    session.ready = true;
    this.sendDispatch(session, GatewayDispatchEvents.Resumed, {});
  }

  private sendDispatch(session: Session, event: GatewayDispatchEvents, data: unknown): void {
    session.sequence += 1;
    this.send(session, { op: GatewayOpcodes.Dispatch, t: event, s: session.sequence, d: data });
  }

  private send(session: Session, payload: { op: GatewayOpcodes; d?: unknown; t?: string; s?: number }): void {
    session.socket.send(JSON.stringify({ t: null, s: null, d: null, ...payload }));
  }
}

/** The `[id, count]` an IDENTIFY asks for; `[0, 1]` when it names none, as Discord assumes. */
function shardOf(data: unknown): [number, number] {
  const shard = (data as { shard?: unknown } | null)?.shard;
  if (Array.isArray(shard) && typeof shard[0] === "number" && typeof shard[1] === "number" && shard[1] >= 1)
    return [shard[0], shard[1]];
  return [0, 1];
}

/** Whether `session` serves the guild: Discord's `(guild_id >> 22) % shard_count === shard_id`. */
function serves(session: Session, guildId: string): boolean {
  const [id, count] = session.shard ?? [0, 1];
  return shardOfGuild(guildId, count) === id;
}

function rawDataToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString("utf8");
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString("utf8");
  return data.toString("utf8");
}
