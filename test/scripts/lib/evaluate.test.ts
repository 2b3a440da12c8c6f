import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadEvalSet } from "../../../scripts/lib/eval/eval-set.js";
import { evaluate } from "../../../scripts/lib/eval/evaluate.js";
import { makeStack, type TestStack } from "../../helpers/services.js";

let stack: TestStack;
beforeAll(async () => {
  stack = await makeStack();
});
afterAll(() => stack.cleanup());

describe("evaluate", () => {
  it("scores hits, abstentions, recall and citation precision from the answers given", async () => {
    const scores = await evaluate(
      { name: "passage", answerer: stack.services.answerer() },
      {
        answerable: [
          { id: "a", question: "Where was the meeting held?", gold: "Diaoyutai State Guest House", style: "direct" },
          // A gold span no passage holds: never retrieved, never hit.
          { id: "b", question: "Where was the meeting held?", gold: "no such span anywhere", style: "direct" },
        ],
        unanswerable: [{ id: "u", question: "Who is the prime minister of the UK?", nearMiss: false }],
      },
    );
    expect(scores).toMatchObject({
      system: "passage",
      recallAt1: 0.5,
      recallAt5: 0.5,
      mrr: 0.5,
      answerHitRate: 0.5,
      falseAbstentionRate: 0,
      abstentionRate: 1,
    });
    expect(scores.citationPrecision).toBeGreaterThan(0);
    expect(scores.citationPrecision).toBeLessThanOrEqual(0.5);
    expect(scores.latencyMs.p95).toBeGreaterThanOrEqual(scores.latencyMs.p50);
  });

  it("reads the held-out set, whose gold spans are all in the corpus", async () => {
    const set = await loadEvalSet(new URL("../../eval/questions.json", import.meta.url).pathname);
    expect(set.answerable.length).toBeGreaterThanOrEqual(60);
    expect(set.unanswerable.length).toBeGreaterThanOrEqual(20);
    const text = stack.services.indexes.current.passages.map((p) => p.pageContent).join("\n");
    for (const q of set.answerable) expect(text, q.id).toContain(q.gold);
  });

  it("refuses a malformed set with the file name", async () => {
    await expect(loadEvalSet(new URL("../../../package.json", import.meta.url).pathname)).rejects.toThrow(
      /package\.json: needs "answerable"/,
    );
  });
});
