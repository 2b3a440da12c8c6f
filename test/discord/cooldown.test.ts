import { describe, expect, it } from "vitest";
import { Cooldowns } from "../../src/discord/cooldown.js";

/** A clock the test moves by hand, in milliseconds. */
function manualClock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
  };
}

describe("Cooldowns", () => {
  it("accepts a user's first request and refuses the next until the cooldown has passed", () => {
    const clock = manualClock();
    const cooldowns = new Cooldowns(30, clock.now);
    expect(cooldowns.take("alice")).toBe(0);
    clock.advance(29_999);
    expect(cooldowns.take("alice")).toBe(1);
    clock.advance(1);
    expect(cooldowns.take("alice")).toBe(0);
  });

  it("says how many whole seconds are left, rounded up", () => {
    const clock = manualClock();
    const cooldowns = new Cooldowns(30, clock.now);
    cooldowns.take("alice");
    expect(cooldowns.take("alice")).toBe(30);
    clock.advance(500);
    expect(cooldowns.take("alice")).toBe(30);
    clock.advance(501);
    expect(cooldowns.take("alice")).toBe(29);
    clock.advance(28_998);
    expect(cooldowns.take("alice")).toBe(1);
  });

  it("does not restart the wait when a refused user tries again", () => {
    const clock = manualClock();
    const cooldowns = new Cooldowns(10, clock.now);
    cooldowns.take("alice");
    for (let i = 0; i < 9; i++) {
      clock.advance(1000);
      expect(cooldowns.take("alice")).toBeGreaterThan(0);
    }
    clock.advance(1000);
    expect(cooldowns.take("alice")).toBe(0);
  });

  it("keeps each user's cooldown apart", () => {
    const clock = manualClock();
    const cooldowns = new Cooldowns(30, clock.now);
    expect(cooldowns.take("alice")).toBe(0);
    expect(cooldowns.take("bob")).toBe(0);
    expect(cooldowns.take("alice")).toBe(30);
    clock.advance(15_000);
    expect(cooldowns.take("carol")).toBe(0);
    expect(cooldowns.take("bob")).toBe(15);
  });

  it("never refuses anyone when the cooldown is 0 seconds", () => {
    const clock = manualClock();
    const cooldowns = new Cooldowns(0, clock.now);
    for (let i = 0; i < 5; i++) expect(cooldowns.take("alice")).toBe(0);
  });

  it("still refuses a user who is cooling down after the table of many users is pruned", () => {
    const clock = manualClock();
    const cooldowns = new Cooldowns(60, clock.now);
    expect(cooldowns.take("recent")).toBe(0);
    clock.advance(61_000);
    expect(cooldowns.take("alice")).toBe(0);
    // Past 10,000 users the table prunes expired entries; alice's is not one of them.
    for (let i = 0; i < 10_001; i++) cooldowns.take(`user-${i}`);
    expect(cooldowns.take("alice")).toBe(60);
    expect(cooldowns.take("recent")).toBe(0);
  });
});
