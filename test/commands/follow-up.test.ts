import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ask } from "../../src/commands/ask.js";
import { askFollowUp, resolveFollowUp } from "../../src/commands/follow-up.js";
import { makeStack, type TestStack } from "../helpers/services.js";

describe("resolveFollowUp", () => {
  it("puts an elliptical follow-up's topic in the previous question's topic slot", () => {
    expect(resolveFollowUp("What did Blinken say about fentanyl?", "and what about Taiwan?")).toBe(
      "What did Blinken say about Taiwan?",
    );
    expect(resolveFollowUp("What did Blinken say about fentanyl?", "ok, and the balloon?")).toBe(
      "What did Blinken say about the balloon?",
    );
  });

  it("adds the topic to a previous question that has no topic slot", () => {
    expect(resolveFollowUp("What did the US want from the visit?", "and what about Taiwan?")).toBe(
      "What did the US want from the visit, regarding Taiwan?",
    );
  });

  it("replaces pronouns by what the previous question named", () => {
    expect(resolveFollowUp("Who did Blinken meet first?", "what did he say?")).toBe("What did Blinken say?");
    expect(resolveFollowUp("Why was the February visit called off?", "when was it rescheduled?")).toBe(
      "When was the February visit rescheduled?",
    );
    expect(resolveFollowUp("What did Qin Gang say about Taiwan?", "and his view on the chips?")).toBe(
      "What did Qin Gang say about Qin Gang’s view on the chips?",
    );
  });

  it("asks a bare 'why?' of the previous question", () => {
    expect(resolveFollowUp("What did China ban?", "why?")).toBe("Why: What did China ban?");
  });

  it("leaves a question that stands on its own as it is", () => {
    expect(resolveFollowUp("What did Blinken say about fentanyl?", "Who is Xi Jinping?")).toBe("Who is Xi Jinping?");
    expect(resolveFollowUp("Where was the meeting held?", "What did China ban in response?")).toBe(
      "What did China ban in response?",
    );
  });

  it("refuses an empty follow-up as /ask would", () => {
    expect(() => resolveFollowUp("What did China ban?", "   ")).toThrow(/Please ask a question/);
  });
});

describe("askFollowUp", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await makeStack();
  });
  afterAll(() => stack.cleanup());

  it("answers a follow-up with the previous question's subject, and says how it understood it", async () => {
    const answer = await askFollowUp(stack.services, "What did Blinken say about fentanyl?", "and what about Taiwan?");
    expect(answer.question).toBe("What did Blinken say about Taiwan?");
    expect(answer.abstained).toBe(false);
    expect(answer.citations[0]?.text).toMatch(/Taiwan/);
    // Asked alone, the follow-up has no subject to go on.
    const alone = await ask(stack.services, "and what about Taiwan?");
    expect(alone.question).toBe("and what about Taiwan?");
  });

  it("still gives the overview for 'what is this article about?', whatever came before", async () => {
    const answer = await askFollowUp(stack.services, "Where was the meeting held?", "what is this article about?");
    expect(answer.kind).toBe("overview");
  });
});
