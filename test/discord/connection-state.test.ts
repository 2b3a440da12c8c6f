import { describe, expect, it } from "vitest";
import { ConnectionState } from "../../src/discord/connection-state.js";
import { createLogger } from "../../src/log.js";

function tracked(): { state: ConnectionState; logs: Record<string, unknown>[]; tick: (ms: number) => void } {
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger({ level: "debug", write: (line) => void logs.push(JSON.parse(line)) });
  let now = Date.parse("2026-01-01T00:00:00Z");
  const state = new ConnectionState(logger, () => new Date(now));
  return { state, logs, tick: (ms) => (now += ms) };
}

describe("ConnectionState", () => {
  it("counts attempts until ready, keeps the time a phase began, and logs each change", () => {
    const { state, logs, tick } = tracked();
    state.set(0, "connecting");
    tick(1000);
    state.set(0, "connecting");
    expect(state.snapshot()).toEqual([
      { shard: 0, phase: "connecting", since: new Date("2026-01-01T00:00:00Z"), attempts: 2 },
    ]);
    tick(1000);
    state.set(0, "ready");
    state.set(0, "ready");
    expect(state.snapshot()).toEqual([
      { shard: 0, phase: "ready", since: new Date("2026-01-01T00:00:02Z"), attempts: 0 },
    ]);
    state.set(0, "reconnecting");
    expect(state.snapshot()[0]).toMatchObject({ phase: "reconnecting", attempts: 1 });
    expect(logs.map((l) => [l.event, l.from, l.to, l.attempts])).toEqual([
      ["discord.connection", null, "connecting", 1],
      ["discord.connection", "connecting", "connecting", 2],
      ["discord.connection", "connecting", "ready", 0],
      ["discord.connection", "ready", "reconnecting", 1],
    ]);
  });

  it("lists shards by id", () => {
    const { state } = tracked();
    state.set(3, "ready");
    state.set(1, "disconnected");
    expect(state.snapshot().map((s) => [s.shard, s.phase])).toEqual([
      [1, "disconnected"],
      [3, "ready"],
    ]);
    expect(state.has(3)).toBe(true);
    expect(state.has(2)).toBe(false);
  });
});
