import type { Briefing } from "../briefing/briefing.js";
import { brief } from "../commands/brief.js";
import type { Services } from "../commands/services.js";
import { hasCode, UserError } from "../errors.js";
import type { Logger } from "../log.js";
import type { ScheduleStore, Subscription } from "../store/types.js";
import { markNewSince } from "./changes.js";
import { slotAfter, slotAtOrBefore, slotsBetween } from "./due.js";

/** A timer the scheduler sleeps on; tests pass one they fire by hand. */
export interface Timer {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

/** The real timer. Unref'd: a pending wake-up never keeps the process alive on its own. */
export const systemTimer: Timer = {
  set: (callback, ms) => setTimeout(callback, ms).unref(),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** The subscriptions and the clock that runs them: what the bot and its commands share. */
export interface Schedules {
  readonly store: ScheduleStore;
  /** Wall-clock time; tests pass their own. */
  readonly now: () => Date;
  readonly timer?: Timer;
  /**
   * This process's name on the slots it claims (default "local"). Processes sharing one store
   * need different owners (their shard ids, say): a restarted process resumes its own claims at
   * once, while another's are taken over only after {@link SCHEDULER_TIMING.claimLeaseMs}.
   */
  readonly owner?: string;
}

/** One scheduled briefing to deliver. */
export interface ScheduledPost {
  readonly subscription: Subscription;
  readonly briefing: Briefing;
  /** The slot it is posted for: the latest due one. */
  readonly slot: Date;
  /** How many slots this one post stands for (more than 1 after the bot was offline). */
  readonly slots: number;
  /** The same for every attempt at one slot, so Discord can drop a repeat of a post that did arrive. */
  readonly nonce: string;
  readonly generatedAt: Date;
}

/** Delivers a scheduled briefing; throws `PassageError("POST_UNDELIVERABLE")` when retrying cannot help. */
export type PostBriefing = (post: ScheduledPost) => Promise<{ readonly messageId: string }>;

export interface SchedulerOptions {
  readonly schedules: Schedules;
  readonly services: Services;
  readonly post: PostBriefing;
  readonly logger: Logger;
  /**
   * Whether this process posts a guild's briefings: with gateway shards spread over processes,
   * only the one serving the guild's shard does. All guilds when absent.
   */
  readonly serves?: (guildId: string) => boolean;
}

/** Scheduler timing: how long it sleeps at most (new subscriptions are noticed by then) and waits to retry. */
export const SCHEDULER_TIMING = { maxSleepMs: 60_000, retryMs: 5 * 60_000, claimLeaseMs: 10 * 60_000 } as const;

/**
 * Posts briefings when they are due. Each due subscription gets one post for all the slots it
 * missed (a restart after a day offline posts once, and logs how many slots that covers), its
 * passages are remembered so the next briefing marks what is new, and the next slot is stored
 * with the post in one write. A post is claimed before it is sent: if the process stops before
 * recording it, the next run sends it again with the same nonce, which Discord deduplicates, so
 * nothing is skipped silently or posted twice.
 */
export class BriefingScheduler {
  private handle: unknown = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private readonly retryAt = new Map<number, number>();
  private readonly timer: Timer;

  constructor(private readonly options: SchedulerOptions) {
    this.timer = options.schedules.timer ?? systemTimer;
  }

  /** Catches up on whatever fell due while the bot was offline, then keeps time. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.tick();
  }

  /** Stops keeping time and waits for a post in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.handle !== null) this.timer.clear(this.handle);
    this.handle = null;
    await this.running;
  }

  /** Posts every due briefing, then sleeps until the next is due. One run at a time. */
  tick(): Promise<void> {
    this.running ??= this.runDue().finally(async () => {
      await this.arm();
      this.running = null;
    });
    return this.running;
  }

  private async runDue(): Promise<void> {
    const { store } = this.options.schedules;
    let subscriptions: Subscription[];
    try {
      subscriptions = await store.list();
    } catch (error) {
      this.options.logger.error("schedule.read_failed", { error });
      return;
    }
    for (const listed of subscriptions) {
      if (this.stopped) return;
      if (this.options.serves && !this.options.serves(listed.guildId)) continue;
      try {
        // Read again: a moderator may have removed it while an earlier one was being posted.
        const s = await store.get(listed.id);
        if (!s) continue;
        const now = this.options.schedules.now();
        if (s.pendingSlot === null && Date.parse(s.nextDueAt) > now.getTime()) continue;
        if ((this.retryAt.get(s.id) ?? 0) > now.getTime()) continue;
        await this.deliver(s, now);
      } catch (error) {
        // The store failed (a damaged file, a database gone away): the next tick tries again.
        this.options.logger.error("schedule.read_failed", { subscriptionId: listed.id, error });
      }
    }
  }

  private async deliver(s: Subscription, now: Date): Promise<void> {
    const { store } = this.options.schedules;
    const { logger, services } = this.options;
    const log = { subscriptionId: s.id, guildId: s.guildId, channelId: s.channelId };
    const slot = s.pendingSlot !== null ? new Date(s.pendingSlot) : slotAtOrBefore(s.timetable, now);
    const slots = Math.max(1, slotsBetween(s.timetable, new Date(s.nextDueAt), now));
    const next = slotAfter(s.timetable, now);
    if (s.pendingSlot !== null) logger.warn("schedule.unconfirmed_retry", { ...log, slot: s.pendingSlot });
    if (slots > 1)
      logger.info("schedule.catch_up", {
        ...log,
        missedSlots: slots,
        firstMissed: s.nextDueAt,
        postingFor: slot.toISOString(),
      });
    const owner = this.options.schedules.owner ?? "local";
    const claimed = await store.claim(s.id, slot, {
      owner,
      at: now,
      staleBefore: new Date(now.getTime() - SCHEDULER_TIMING.claimLeaseMs),
    });
    if (!claimed) {
      // Another process posted it or is posting it: nothing to do here.
      logger.info("schedule.claimed_elsewhere", { ...log, slot: slot.toISOString(), owner: s.claimOwner });
      return;
    }
    try {
      let briefing = await brief(services, { topic: s.topic, points: s.points });
      const index = services.indexes.current;
      const passageIds = index.passages.map((p) => p.metadata.id);
      if (s.lastPost)
        briefing = markNewSince(briefing, passageIds, {
          checksum: s.lastPost.corpusChecksum,
          passageIds: new Set(s.lastPost.passageIds),
          at: s.lastPost.at,
        });
      const nonce = `b${s.id}-${Math.floor(slot.getTime() / 60_000).toString(36)}`;
      const { messageId } = await this.options.post({
        subscription: s,
        briefing,
        slot,
        slots,
        nonce,
        generatedAt: now,
      });
      await store.recordPost(
        s.id,
        {
          at: now.toISOString(),
          slot: slot.toISOString(),
          messageId,
          corpusChecksum: index.manifest.corpusChecksum,
          passageIds,
        },
        next,
      );
      this.retryAt.delete(s.id);
      logger.info("schedule.posted", {
        ...log,
        slot: slot.toISOString(),
        slots,
        messageId,
        points: briefing.points.length,
        covered: briefing.covered,
        newSince: briefing.changes?.newPassages ?? 0,
        nextDueAt: next.toISOString(),
      });
    } catch (error) {
      // A channel that is gone or closed to the bot, or a topic that no longer means anything:
      // retrying cannot help, so this slot is skipped, loudly.
      if (hasCode(error, "POST_UNDELIVERABLE") || error instanceof UserError) {
        await store.skip(s.id, next);
        this.retryAt.delete(s.id);
        logger.error("schedule.skipped", { ...log, slot: slot.toISOString(), nextDueAt: next.toISOString(), error });
      } else {
        this.retryAt.set(s.id, now.getTime() + SCHEDULER_TIMING.retryMs);
        logger.error("schedule.post_failed", {
          ...log,
          slot: slot.toISOString(),
          retryInMs: SCHEDULER_TIMING.retryMs,
          error,
        });
      }
    }
  }

  /** Sleeps until the earliest due time (or a retry), at most `maxSleepMs`. */
  private async arm(): Promise<void> {
    if (this.stopped) return;
    const now = this.options.schedules.now().getTime();
    let wake = now + SCHEDULER_TIMING.maxSleepMs;
    try {
      for (const s of await this.options.schedules.store.list())
        wake = Math.min(wake, Math.max(Date.parse(s.nextDueAt), this.retryAt.get(s.id) ?? 0));
    } catch (error) {
      this.options.logger.error("schedule.read_failed", { error });
    }
    if (this.stopped) return;
    if (this.handle !== null) this.timer.clear(this.handle);
    this.handle = this.timer.set(
      () => {
        this.handle = null;
        void this.tick();
      },
      Math.max(0, wake - now),
    );
  }
}
