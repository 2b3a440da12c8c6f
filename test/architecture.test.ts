import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

/** The dependency rules `npm run deps` enforces, read from the same config file. */
interface Rule {
  readonly name: string;
  readonly from: { readonly path?: string };
  readonly to: { readonly path?: string; readonly circular?: boolean };
}
const { forbidden } = createRequire(import.meta.url)("../.dependency-cruiser.cjs") as { forbidden: Rule[] };

/** The names of the rules that forbid an import of `to` from `from`. */
function forbids(from: string, to: string): string[] {
  return forbidden
    .filter((r) => r.to.path !== undefined)
    .filter((r) => new RegExp(r.from.path ?? ".").test(from) && new RegExp(r.to.path ?? ".").test(to))
    .map((r) => r.name);
}

// The layers in the order data flows; each may import only from those before it.
const FLOW = [
  "text",
  "corpus",
  "embed",
  "index",
  "retrieval",
  "answer",
  "briefing",
  "feedback",
  "commands",
  "schedule",
];

describe("architecture rules", () => {
  it("let every layer import the layers below it", () => {
    FLOW.forEach((layer, i) => {
      for (const below of FLOW.slice(0, i)) expect(forbids(`src/${layer}/a.ts`, `src/${below}/b.ts`)).toEqual([]);
    });
    for (const top of ["src/main.ts", "src/compose.ts", "src/discord/bot.ts", "src/terminal/chat.ts"]) {
      expect(forbids(top, "src/schedule/scheduler.ts")).toEqual([]);
    }
    expect(forbids("src/index/a.ts", "src/errors.ts")).toEqual([]);
  });

  it("forbid every upward import", () => {
    FLOW.forEach((layer, i) => {
      for (const above of FLOW.slice(i + 1)) expect(forbids(`src/${layer}/a.ts`, `src/${above}/b.ts`)).not.toEqual([]);
    });
    expect(forbids("src/log.ts", "src/config.ts")).toEqual([]);
    expect(forbids("src/schedule/a.ts", "src/discord/render/answer.ts")).not.toEqual([]);
    expect(forbids("src/commands/ask.ts", "src/compose.ts")).not.toEqual([]);
  });

  it("keep the transports apart and the runtime free of tools and tests", () => {
    expect(forbids("src/discord/bot.ts", "src/terminal/chat.ts")).not.toEqual([]);
    expect(forbids("src/terminal/chat.ts", "src/discord/bot.ts")).not.toEqual([]);
    expect(forbids("src/answer/answerer.ts", "scripts/lib/stats.ts")).not.toEqual([]);
    expect(forbids("src/main.ts", "test/helpers/services.ts")).not.toEqual([]);
    expect(forbids("scripts/bench-discord.ts", "test/helpers/services.ts")).not.toEqual([]);
    expect(forbids("test/e2e/bot.test.ts", "scripts/lib/loopback-discord/index.ts")).toEqual([]);
  });

  it("forbid cycles anywhere", () => {
    expect(forbidden.some((r) => r.to.circular === true && Object.keys(r.from).length === 0)).toBe(true);
  });
});
