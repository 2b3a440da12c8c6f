import type { Logger } from "../log.js";

/** Where one gateway shard's connection stands. */
export type ConnectionPhase = "connecting" | "ready" | "reconnecting" | "disconnected";

/** One shard's connection, as `/status` and the log show it. */
export interface ShardConnection {
  readonly shard: number;
  readonly phase: ConnectionPhase;
  /** When it entered this phase. */
  readonly since: Date;
  /** Connection attempts since it was last ready (0 once ready). */
  readonly attempts: number;
}

/**
 * The gateway connection of each shard this process serves: connecting, ready, reconnecting or
 * disconnected, since when and after how many attempts. Every change is logged
 * (`discord.connection`), so an operator reading the log sees the same story as `/status`.
 */
export class ConnectionState {
  private readonly shards = new Map<number, ShardConnection>();

  constructor(
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Moves `shard` to `phase`. Entering `connecting` or `reconnecting` counts one more attempt;
   * `ready` clears the count. A repeated phase only counts the attempt (no new log line for
   * `ready` twice).
   */
  set(shard: number, phase: ConnectionPhase): void {
    const previous = this.shards.get(shard);
    const retrying = phase === "connecting" || phase === "reconnecting";
    const attempts = phase === "ready" ? 0 : (previous?.attempts ?? 0) + (retrying ? 1 : 0);
    if (previous?.phase === phase && !retrying) return;
    const since = previous?.phase === phase ? previous.since : this.now();
    this.shards.set(shard, { shard, phase, since, attempts });
    this.logger.info("discord.connection", { shard, from: previous?.phase ?? null, to: phase, attempts });
  }

  /** Whether `shard` has had a phase yet. */
  has(shard: number): boolean {
    return this.shards.has(shard);
  }

  /** Each known shard's connection, by shard id. */
  snapshot(): readonly ShardConnection[] {
    return [...this.shards.values()].sort((a, b) => a.shard - b.shard);
  }
}
