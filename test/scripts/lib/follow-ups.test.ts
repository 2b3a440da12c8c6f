import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluateFollowUps, loadFollowUpSet } from "../../../scripts/lib/eval/follow-ups.js";
import { makeStack, type TestStack } from "../../helpers/services.js";

let stack: TestStack;
let dir: string;
beforeAll(async () => {
  stack = await makeStack();
  dir = await mkdtemp(join(tmpdir(), "passage-follow-ups-"));
});
afterAll(async () => {
  await stack.cleanup();
  await rm(dir, { recursive: true, force: true });
});

describe("the follow-up evaluation", () => {
  it("answers each follow-up in context and alone, and says which quote the gold span", async () => {
    const outcomes = await evaluateFollowUps(stack.services, {
      pairs: [
        { previous: "What did Blinken say about fentanyl?", followUp: "and what about Taiwan?", gold: "Taiwan" },
        { previous: "Where was the meeting held?", followUp: "and who won the 2024 election?", gold: "Trump" },
      ],
    });
    expect(outcomes.map((o) => o.understood)).toEqual([
      "What did Blinken say about Taiwan?",
      "And who won the 2024 election (about the meeting)?",
    ]);
    expect(outcomes.map((o) => [o.hitInContext, o.hitAlone])).toEqual([
      [true, true],
      [false, false],
    ]);
  });

  it("refuses a set without pairs, naming the file", async () => {
    const file = join(dir, "empty.json");
    await writeFile(file, JSON.stringify({ pairs: [] }));
    await expect(loadFollowUpSet(file)).rejects.toThrow(/empty\.json: /);
  });
});
