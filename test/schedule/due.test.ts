import { describe, expect, it } from "vitest";
import {
  describeTimetable,
  parseTimeOfDay,
  slotAfter,
  slotAtOrBefore,
  slotsBetween,
  timetable,
} from "../../src/schedule/due.js";

const at = (iso: string) => new Date(iso);

describe("parseTimeOfDay", () => {
  it("reads HH:MM in 24-hour UTC time", () => {
    expect(parseTimeOfDay("09:00")).toBe(540);
    expect(parseTimeOfDay("9:05")).toBe(545);
    expect(parseTimeOfDay("23:59 UTC")).toBe(1439);
    expect(parseTimeOfDay("00:00")).toBe(0);
  });
  it("refuses anything else", () => {
    for (const bad of ["24:00", "12:60", "noon", "9", "09:00pm", "", "1:2"]) expect(parseTimeOfDay(bad)).toBeNull();
  });
});

describe("a daily timetable at 09:00 UTC", () => {
  const t = timetable("daily", 540, at("2025-06-18T12:34:00Z"));

  it("is due next at 09:00 the next day when made after 09:00, and the same day when made before", () => {
    expect(slotAfter(t, at("2025-06-18T12:34:00Z")).toISOString()).toBe("2025-06-19T09:00:00.000Z");
    expect(slotAfter(t, at("2025-06-18T08:59:59Z")).toISOString()).toBe("2025-06-18T09:00:00.000Z");
    // Exactly at a slot, the next one is a day later: a slot is never due twice.
    expect(slotAfter(t, at("2025-06-18T09:00:00Z")).toISOString()).toBe("2025-06-19T09:00:00.000Z");
  });

  it("knows the latest slot at or before a moment, across month and year ends", () => {
    expect(slotAtOrBefore(t, at("2025-07-01T08:00:00Z")).toISOString()).toBe("2025-06-30T09:00:00.000Z");
    expect(slotAtOrBefore(t, at("2026-01-01T00:30:00Z")).toISOString()).toBe("2025-12-31T09:00:00.000Z");
    expect(slotAtOrBefore(t, at("2025-06-18T09:00:00Z")).toISOString()).toBe("2025-06-18T09:00:00.000Z");
  });

  it("counts the slots missed over a stretch offline", () => {
    expect(slotsBetween(t, at("2025-06-19T09:00:00Z"), at("2025-06-19T09:00:00Z"))).toBe(1);
    expect(slotsBetween(t, at("2025-06-19T09:00:00Z"), at("2025-06-22T10:00:00Z"))).toBe(4);
    expect(slotsBetween(t, at("2025-06-19T09:00:00Z"), at("2025-06-19T08:59:00Z"))).toBe(0);
  });
});

describe("a weekly timetable", () => {
  // 2025-06-18 is a Wednesday.
  const t = timetable("weekly", 17 * 60 + 30, at("2025-06-18T20:00:00Z"));

  it("falls on the UTC weekday it was made on", () => {
    expect(t.weekday).toBe(3);
    expect(describeTimetable(t)).toBe("weekly on Wednesday at 17:30 UTC");
    expect(slotAfter(t, at("2025-06-18T20:00:00Z")).toISOString()).toBe("2025-06-25T17:30:00.000Z");
    expect(slotAfter(t, at("2025-06-18T17:00:00Z")).toISOString()).toBe("2025-06-18T17:30:00.000Z");
    expect(slotAfter(t, at("2025-06-20T09:00:00Z")).toISOString()).toBe("2025-06-25T17:30:00.000Z");
  });

  it("counts missed weeks, not days", () => {
    expect(slotAtOrBefore(t, at("2025-07-08T00:00:00Z")).toISOString()).toBe("2025-07-02T17:30:00.000Z");
    expect(slotsBetween(t, at("2025-06-25T17:30:00Z"), at("2025-07-10T00:00:00Z"))).toBe(3);
  });

  it("uses the weekday in UTC, not the server's time zone", () => {
    // 23:30 UTC on a Sunday is Monday in Tokyo; the subscription still posts on Sundays.
    expect(timetable("weekly", 0, at("2025-06-22T23:30:00Z")).weekday).toBe(0);
    expect(describeTimetable(timetable("daily", 5, at("2025-06-22T23:30:00Z")))).toBe("daily at 00:05 UTC");
  });
});
