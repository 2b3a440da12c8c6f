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
import { BOT_USER, DEFAULT_IDS, noFlags } from "./world.js";

/** The heartbeat interval real Discord announces in HELLO. */
const HEARTBEAT_INTERVAL_MS = 41_250;

/** A payload received on the gateway from the client. */
export interface GatewayReceived {
  op: number;
  d: unknown;
}

interface Session {
  socket: WebSocket;
  sequence: number;
  sessionId: string;
  /** READY and GUILD_CREATE went out: interactions may now be pushed. */
  ready: boolean;
}

/** Serves gateway sessions on `wss`, identified with `token`, for the one `guild`. */
export class FakeGateway {
  /** Every payload a client sent, in arrival order. */
  readonly received: GatewayReceived[] = [];
  private readonly sessions = new Set<Session>();
  /** Ids of the sessions READY started, which RESUME may continue. */
  private readonly started = new Set<string>();
  /** When set, every IDENTIFY is answered by closing with this code instead of READY. */
  private identifyCloseCode: number | null = null;
  /** When true, IDENTIFY gets no answer at all: a gateway that never sends READY. */
  private silent = false;

  constructor(
    wss: WebSocketServer,
    private readonly token: string,
    private readonly url: string,
    private readonly guild: GatewayGuildCreateDispatchData,
  ) {
    wss.on("connection", (socket: WebSocket) => this.connect(socket));
  }

  /**
   * Sends a dispatch (op 0) to every session that is ready.
   *
   * @throws if no client has finished connecting.
   */
  dispatch(event: GatewayDispatchEvents, data: unknown): void {
    for (const session of this.readySessions()) this.sendDispatch(session, event, data);
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
    const session: Session = { socket, sequence: 0, sessionId: randomBytes(16).toString("hex"), ready: false };
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
    const ready: GatewayReadyDispatchData = {
      v: 10,
      user: BOT_USER,
      // Guilds start unavailable; GUILD_CREATE fills them in, and discord.js emits clientReady
      // once every listed guild has arrived.
      guilds: [{ id: this.guild.id, unavailable: true }],
      session_id: session.sessionId,
      resume_gateway_url: this.url,
      shard: [0, 1],
      application: { id: DEFAULT_IDS.applicationId, flags: noFlags(), flags_new: "0" },
    };
    this.sendDispatch(session, GatewayDispatchEvents.Ready, ready);
    this.started.add(session.sessionId);
    // Right behind READY, as Discord does. discord.js handles each frame in its own async chain,
    // but READY's and GUILD_CREATE's are equally deep, so they apply in order.
    this.sendDispatch(session, GatewayDispatchEvents.GuildCreate, this.guild);
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

function rawDataToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString("utf8");
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString("utf8");
  return data.toString("utf8");
}
