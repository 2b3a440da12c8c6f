/**
 * The terminal with a model: each verified sentence printed as it passes, then the sources;
 * and when the model stops halfway, the quoted answer printed under a line saying so.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type ChatRequest, type FakeModelServer, startFakeModelServer } from "../../scripts/lib/fake-model/index.js";
import { askAndPrint } from "../../src/terminal/stream-answer.js";
import { makeStack, type TestStack } from "../helpers/services.js";

const MEETING = "The meeting was held at Diaoyutai State Guest House";

let model: FakeModelServer;
let stack: TestStack;

beforeAll(async () => {
  model = await startFakeModelServer();
  stack = await makeStack({
    llm: { provider: "openai", baseUrl: model.openaiBaseUrl, model: "fake-chat", apiKey: null, timeoutMs: 1500 },
  });
});
afterAll(async () => {
  await model.close();
  await stack.cleanup();
});
beforeEach(() => model.reset());

function numberOf(request: ChatRequest, needle: string): number {
  const user = request.messages.find((m) => m.role === "user")?.content ?? "";
  for (const m of user.matchAll(/<passage n="(\d+)"[^>]*>\n([\s\S]*?)\n<\/passage>/g))
    if ((m[2] ?? "").includes(needle)) return Number(m[1]);
  throw new Error(`no passage sent contains ${needle}`);
}

/** Runs askAndPrint, recording each write and whether sources had been printed by then. */
async function printed(question: string) {
  const writes: string[] = [];
  const answer = await askAndPrint(stack.services, question, (text) => writes.push(text));
  return { answer, writes, text: writes.join("") };
}

describe("askAndPrint with a model", () => {
  it("prints each verified sentence as it passes, then the sources and who wrote it", async () => {
    model.chat.push((request) => {
      const n = numberOf(request, "Diaoyutai");
      return { text: `${MEETING} [${n}]. Blinken also visited the Moon in secret [${n}].`, delayMs: 5 };
    });
    const { answer, writes, text } = await printed("Where was the meeting held?");
    expect(answer.generated).toEqual({ model: "fake-chat", removed: 1 });
    // The first write is the sentence alone: it went out before the reply was finished.
    expect(writes[0]).toBe(`${MEETING}. [1]`);
    expect(text).not.toContain("Moon");
    expect(text).toMatch(/\n\nSources:\n {2}\[1\] Blinken’s visit to China — An Analysis, ¶ \d+/);
    expect(text.replace(/\s+/g, " ")).toMatch(
      /\(Written by fake-chat; every sentence was checked against the passage it cites\. 1 unsupported sentence was removed\.\) $/,
    );
  });

  it("prints the quoted answer, saying why, when the model stops after a sentence was shown", async () => {
    model.chat.push((request) => {
      const n = numberOf(request, "Diaoyutai");
      return { text: `${MEETING} [${n}]. Then the two sides`, stallAfterChunks: 12 };
    });
    const { answer, writes, text } = await printed("Where was the meeting held?");
    expect(writes[0]).toBe(`${MEETING}. [1]`);
    expect(answer.generated).toBeUndefined();
    expect(answer.modelUnavailable?.reason).toMatch(/timed out/);
    expect(text).toContain("(The model stopped before it finished; here is the answer again as it stands.)");
    expect(text.replace(/\s+/g, " ")).toMatch(/fake-chat was unavailable — timed out.* — so this is quoted\.\) $/);
  });

  it("prints the whole quoted answer at once when the model is not asked", async () => {
    const { answer, writes } = await printed("Who is the prime minister of the UK?");
    expect(answer.abstained).toBe(true);
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatch(/^The article doesn't say\./);
    expect(model.chat.count).toBe(0);
  });
});
