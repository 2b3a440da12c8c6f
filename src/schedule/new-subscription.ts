import type { NewSubscription } from "../store/types.js";
import { type Cadence, slotAfter, timetable } from "./due.js";

/** What a moderator asks for in `/brief-schedule add`. */
export interface SubscriptionRequest {
  readonly guildId: string;
  readonly channelId: string;
  readonly topic: string;
  readonly points: number;
  readonly cadence: Cadence;
  readonly minuteOfDay: number;
  readonly createdBy: string;
}

/**
 * The subscription to store for a request made at `now`: its timetable (a weekly one falls on
 * today's weekday) and its first slot, the first one after `now`. Worked out here, not in the
 * store, so every store keeps the same timetable.
 */
export function newSubscription(request: SubscriptionRequest, now: Date): NewSubscription {
  const t = timetable(request.cadence, request.minuteOfDay, now);
  return {
    guildId: request.guildId,
    channelId: request.channelId,
    topic: request.topic,
    points: request.points,
    timetable: t,
    createdBy: request.createdBy,
    createdAt: now,
    nextDueAt: slotAfter(t, now),
  };
}
