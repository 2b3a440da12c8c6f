/**
 * The terminal's two loops over standard input, run in-process on streams: the chat for people
 * (or piped questions) and the JSON Lines stream of `npm run ask -- --json`.
 */
import { PassThrough, Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runChat } from "../../src/terminal/chat.js";
import { runJsonLines } from "../../src/terminal/json-lines.js";
import { ANSWER_JSON_KEYS } from "../helpers/answer-json.js";
import { makeStack, type TestStack } from "../helpers/services.js";

let stack: TestStack;
beforeAll(async () => {
  stack = await makeStack();
});
afterAll(() => stack.cleanup());

/** Runs `loop` over `input` and resolves with everything it wrote. */
async function transcript(loop: (input: Readable, output: PassThrough) => Promise<void>, input: string) {
  const output = new PassThrough();
  const chunks: string[] = [];
  output.on("data", (c: Buffer) => chunks.push(c.toString()));
  await loop(Readable.from([input]), output);
  return chunks.join("");
}

describe("the terminal chat", () => {
  it("answers piped questions after an echo of each, runs commands, and skips blank lines", async () => {
    const out = await transcript(
      (input, output) => runChat(stack.services, input, output, false),
      "What did China ban?\n\n/status\n/brief Taiwan\n/help\n",
    );
    expect(out).toMatch(/^Q: What did China ban\?\n.*Micron.*\[1\]/s);
    expect(out).toMatch(/\nArticles:\s+1\nPassages:\s+31\n/);
    expect(out).toMatch(/\nBriefing: Taiwan\n/);
    expect(out).toContain("\n  /brief [topic]  key points on a topic");
    expect(out.match(/^Q: /gm)).toHaveLength(1);
    expect(out).not.toMatch(/Passage — ask about/);
  });

  it("greets a person, reports a user's mistake in plain words, rebuilds on request, and stops at /quit", async () => {
    const out = await transcript(
      (input, output) => runChat(stack.services, input, output, true),
      `${"why ".repeat(200)}\n/brief ${"x".repeat(201)}\n/reindex\n/quit\nWhat did China ban?\n`,
    );
    expect(out).toMatch(/^Passage — ask about 1 article \(31 passages\)\. \/help for commands\.\n/);
    expect(out).toMatch(/That question is \d+ characters long; please keep it under 500\./);
    expect(out).toMatch(/That topic is 201 characters long/);
    expect(out).toMatch(/Read 1 article\n/);
    expect(out).toMatch(/Indexed 1 article into 31 passages in \d+\.\d\d s\./);
    expect(out).not.toContain("Micron");
    expect(out).not.toContain("Something went wrong");
  });
});

describe("the terminal chat's context", () => {
  it("reads a line as a follow-up of the one before, says how it understood it, and forgets with /new", async () => {
    const out = await transcript(
      (input, output) => runChat(stack.services, input, output, false, { log: false }),
      "What did Blinken say about fentanyl?\nand what about Taiwan?\n/new\nand what about Taiwan?\n",
    );
    const [, , second, third] = out.split(/^Q: /m);
    expect(second).toContain("(Understood as: What did Blinken say about Taiwan?)");
    expect(second).toMatch(/Taiwan.*\[1\]/s);
    expect(out).toContain("Starting afresh");
    // After /new the same words are a question of their own.
    expect(third).not.toContain("Understood as");
  });
});

describe("JSON Lines", () => {
  it("answers one question per line, one object per line, skipping blank lines and abstaining where it should", async () => {
    const out = await transcript(
      (input, output) => runJsonLines(stack.services, input, output),
      "Whom did Blinken meet first?\n\nWho is the prime minister of the UK?\n   \nWhat did China ban?\n",
    );
    const answers = out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(answers.map((a) => a.question)).toEqual([
      "Whom did Blinken meet first?",
      "Who is the prime minister of the UK?",
      "What did China ban?",
    ]);
    expect(answers.map((a) => a.abstained)).toEqual([false, true, false]);
    expect(Object.keys(answers[0])).toEqual([...ANSWER_JSON_KEYS]);
  });

  it("answers a question it refuses with an error on that line, and goes on", async () => {
    const long = "why ".repeat(200);
    const out = await transcript(
      (input, output) => runJsonLines(stack.services, input, output),
      `${long}\nWhat did China ban?`,
    );
    const [refused, answered] = out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    // The line is 800 characters; its error quotes the first 500 at most, not the whole of it.
    expect(refused).toEqual({
      question: expect.stringMatching(/^why why .*…$/),
      error: expect.stringMatching(/^That question is 799 characters long/),
    });
    expect(refused.question.length).toBeLessThanOrEqual(500);
    expect(answered).toMatchObject({ question: "What did China ban?", abstained: false });
    // A 1 MB line gets a line of its own size, not another megabyte.
    const huge = "why ".repeat(250_000);
    const hugeOut = await transcript((input, output) => runJsonLines(stack.services, input, output), huge);
    expect(hugeOut.length).toBeLessThan(1000);
    expect(JSON.parse(hugeOut).error).toMatch(/^That question is 999999 characters long/);
    // A user's mistake is theirs, not a failure of ours: nothing is logged as an error.
    expect(stack.logs.filter((l) => l.level === "error")).toEqual([]);
  });
});
