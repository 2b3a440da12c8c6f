/**
 * When scheduled briefings are due. Pure: every function takes the time it reasons about, so
 * tests need no clock. All times are UTC.
 */

import type { Cadence, Timetable } from "../store/types.js";

// The timetable is stored with each subscription, so its types live with the state store.
export { CADENCES, type Cadence, type Timetable } from "../store/types.js";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * Reads "HH:MM" (24-hour, UTC) into minutes after midnight; null when it is not a time of day.
 * "9:30" and "09:30" are both accepted.
 */
export function parseTimeOfDay(text: string): number | null {
  const m = /^\s*([01]?\d|2[0-3]):([0-5]\d)\s*(?:utc|z)?\s*$/i.exec(text);
  if (!m) return null;
  return Number(m[1]) * 60 + Number(m[2]);
}

/** "09:30" */
export function formatTimeOfDay(minuteOfDay: number): string {
  return `${String(Math.floor(minuteOfDay / 60)).padStart(2, "0")}:${String(minuteOfDay % 60).padStart(2, "0")}`;
}

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/** "daily at 09:30 UTC", "weekly on Monday at 09:30 UTC" */
export function describeTimetable(t: Timetable): string {
  const at = `at ${formatTimeOfDay(t.minuteOfDay)} UTC`;
  return t.cadence === "daily" ? `daily ${at}` : `weekly on ${WEEKDAYS[t.weekday ?? 0]} ${at}`;
}

/**
 * The timetable of a subscription made at `createdAt`: weekly ones fall on the UTC weekday of
 * that moment (a subscription made on a Monday posts on Mondays).
 */
export function timetable(cadence: Cadence, minuteOfDay: number, createdAt: Date): Timetable {
  return { cadence, minuteOfDay, weekday: cadence === "weekly" ? createdAt.getUTCDay() : null };
}

/** The last slot at or before `t`. */
export function slotAtOrBefore(t: Timetable, at: Date): Date {
  const midnight = Math.floor(at.getTime() / DAY) * DAY;
  let slot = midnight + t.minuteOfDay * MINUTE;
  if (slot > at.getTime()) slot -= DAY;
  if (t.cadence === "weekly") {
    const back = (new Date(slot).getUTCDay() - (t.weekday ?? 0) + 7) % 7;
    slot -= back * DAY;
  }
  return new Date(slot);
}

/** The first slot strictly after `t`. */
export function slotAfter(t: Timetable, at: Date): Date {
  const step = t.cadence === "daily" ? DAY : 7 * DAY;
  return new Date(slotAtOrBefore(t, at).getTime() + step);
}

/** How many slots fall in [from, to]: the briefings due since `from` (a missed backlog counts them all). */
export function slotsBetween(t: Timetable, from: Date, to: Date): number {
  if (to.getTime() < from.getTime()) return 0;
  const step = t.cadence === "daily" ? DAY : 7 * DAY;
  const last = slotAtOrBefore(t, to).getTime();
  if (last < from.getTime()) return 0;
  return Math.floor((last - from.getTime()) / step) + 1;
}
