import type { Usage } from "../feedback/answer-log.js";
import type { Services } from "./services.js";

/** One gateway shard of a Discord bot, as `/status` shows it. */
export interface ShardStatus {
  readonly shard: number;
  readonly phase: "connecting" | "ready" | "reconnecting" | "disconnected";
  /** ISO time it entered this phase. */
  readonly since: string;
  /** Connection attempts since it was last ready. */
  readonly attempts: number;
  /** Guilds it serves. */
  readonly guilds: number;
}

/** What `/status` reports. */
export interface StatusReport {
  readonly version: string;
  readonly articles: number;
  readonly passages: number;
  readonly builtAt: string;
  readonly embedder: string;
  /** The model that writes answers, or null when answers are quoted. */
  readonly answerModel: string | null;
  readonly corpusChecksum: string;
  readonly uptimeSeconds: number;
  readonly rebuilding: boolean;
  /** Questions answered and declined, and votes, from the answer log; null when nothing is recorded or it cannot be read. */
  readonly usage: Usage | null;
  /** The gateway shards this process serves (empty outside Discord). */
  readonly shards: readonly ShardStatus[];
  /** With a shared corpus: the version this replica serves, and its changes not yet shared; null otherwise. */
  readonly shared: { readonly version: number; readonly pending: number } | null;
}

/** Facts about the served index and the running program. */
export async function status(
  services: Services,
  now: Date = new Date(),
  shards: readonly ShardStatus[] = [],
): Promise<StatusReport> {
  const m = services.indexes.current.manifest;
  return {
    version: services.version,
    articles: m.articleCount,
    passages: m.passageCount,
    builtAt: m.builtAt,
    embedder: m.embedder.id,
    answerModel: services.model?.name ?? null,
    corpusChecksum: m.corpusChecksum.slice(0, 12),
    uptimeSeconds: Math.max(0, Math.round((now.getTime() - services.startedAt.getTime()) / 1000)),
    rebuilding: services.indexes.rebuilding,
    usage: await usageOf(services),
    shards,
    shared: services.replica ? { version: services.replica.version, pending: services.replica.pending } : null,
  };
}

/** The answer log's usage, or null when there is no log or it cannot be read (a locked file must not stop /status). */
async function usageOf(services: Services): Promise<Usage | null> {
  try {
    return (await services.feedback?.usage()) ?? null;
  } catch (error) {
    services.logger.warn("status.usage_failed", { error });
    return null;
  }
}

/** "checksum 3f2a…", with the shared corpus's version and any changes still waiting for the database. */
export function describeCorpus(s: StatusReport): string {
  const shared = s.shared;
  if (!shared) return `checksum ${s.corpusChecksum}`;
  const waiting =
    shared.pending === 0
      ? ""
      : ` · ${shared.pending} change${shared.pending === 1 ? "" : "s"} waiting for the database`;
  return `checksum ${s.corpusChecksum} · shared version ${shared.version}${waiting}`;
}

/** "24 h: 12 answered, 3 abstained · 7 d: 80 answered, 9 abstained · 👍 75 % of 8 votes", or "not recorded". */
export function describeUsage(u: Usage | null): string {
  if (u === null) return "not recorded";
  const votes = u.votes.up + u.votes.down;
  const share =
    votes === 0
      ? "no votes yet"
      : `👍 ${Math.round((100 * u.votes.up) / votes)} % of ${votes} vote${votes === 1 ? "" : "s"}`;
  return [
    `24 h: ${u.day.answered} answered, ${u.day.abstained} abstained`,
    `7 d: ${u.week.answered} answered, ${u.week.abstained} abstained`,
    share,
  ].join(" · ");
}

/** "shard 0: ready since 12:00:00Z, 3 guilds" per shard; "shard 1: reconnecting (attempt 2) since …". */
export function describeShard(s: ShardStatus): string {
  const attempt = s.phase === "ready" || s.attempts === 0 ? "" : ` (attempt ${s.attempts})`;
  return `shard ${s.shard}: ${s.phase}${attempt} since ${s.since}, ${s.guilds} guild${s.guilds === 1 ? "" : "s"}`;
}
