import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ask } from "../../src/commands/ask.js";
import { answerEntry, gaps, recordAnswer } from "../../src/commands/feedback.js";
import { askFollowUp } from "../../src/commands/follow-up.js";
import { Services } from "../../src/commands/services.js";
import { hasCode } from "../../src/errors.js";
import { AnswerLog, FEEDBACK_DB_FILE } from "../../src/feedback/answer-log.js";
import { runChat } from "../../src/terminal/chat.js";
import { makeStack, type TestStack } from "../helpers/services.js";

let stack: TestStack;
let clock: Date;
beforeAll(async () => {
  stack = await makeStack();
});
afterAll(() => stack.cleanup());

/** The stack's services with an answer log in a fresh folder under the stack's root. */
async function withLog(name: string): Promise<{ services: Services; log: AnswerLog; dataDir: string }> {
  const dataDir = join(stack.root, name);
  clock = new Date("2025-06-18T12:00:00Z");
  const log = await AnswerLog.open(dataDir, { now: () => clock });
  const s = stack.services;
  return {
    services: new Services(s.indexes, s.embedder, s.concepts, s.logger, s.version, null, s.startedAt, log),
    log,
    dataDir,
  };
}

const DISCORD = {
  source: "discord",
  userId: "1310000000000000301",
  guildId: "1",
  channelId: "2",
  latencyMs: 7,
} as const;

describe("recordAnswer", () => {
  it("logs an answer with its kind, mode, cited passages and corpus version", async () => {
    const { services, log } = await withLog("record");
    const answer = await ask(services, "Where was the meeting held?");
    const logged = await recordAnswer(services, answerEntry(services, answer, DISCORD));
    expect(logged).not.toBeNull();
    expect(await log.get(logged?.id ?? "")).toMatchObject({
      question: "Where was the meeting held?",
      understoodAs: null,
      kind: answer.kind,
      mode: "quoted",
      passageIds: answer.citations.map((c) => c.id),
      corpusChecksum: services.indexes.current.manifest.corpusChecksum,
      latencyMs: 7,
    });
    await log.close();
  });

  it("keeps a follow-up as typed beside the question as understood", async () => {
    const { services, log } = await withLog("follow-up");
    const answer = await askFollowUp(services, "What did the US want from the visit?", "and what about Taiwan?");
    const logged = await recordAnswer(
      services,
      answerEntry(services, answer, { ...DISCORD, asked: "and what about Taiwan?" }),
    );
    expect(logged).toMatchObject({ question: "and what about Taiwan?", understoodAs: answer.question });
    await log.close();
  });

  it("returns null and logs why, without the user's id, when the database is locked; the answer still goes out", async () => {
    const { services, log, dataDir } = await withLog("locked");
    const holder = new Database(join(dataDir, FEEDBACK_DB_FILE));
    holder.exec("BEGIN EXCLUSIVE");
    try {
      const before = stack.logs.length;
      const answer = await ask(services, "Where was the meeting held?");
      expect(await recordAnswer(services, answerEntry(services, answer, DISCORD))).toBeNull();
      const failures = stack.logs.slice(before).filter((l) => l.event === "feedback.record_failed");
      expect(failures).toHaveLength(1);
      expect(JSON.stringify(failures)).toMatch(/locked|busy/i);
      expect(JSON.stringify(stack.logs.slice(before))).not.toContain(DISCORD.userId);

      // The terminal chat prints the answer all the same.
      const output = new PassThrough();
      let out = "";
      output.on("data", (c: Buffer) => (out += c.toString()));
      await runChat(services, Readable.from(["Where was the meeting held?\n"]), output, false, { userId: "me" });
      expect(out).toMatch(/Diaoyutai State Guest House/);
    } finally {
      holder.exec("ROLLBACK");
      holder.close();
    }
    await log.close();
    // A closed (or otherwise broken) log fails the same soft way.
    const answer = await ask(services, "Where was the meeting held?");
    expect(await recordAnswer(services, answerEntry(services, answer, DISCORD))).toBeNull();
  });

  it("does nothing without a log", async () => {
    const answer = await ask(stack.services, "Where was the meeting held?");
    expect(await recordAnswer(stack.services, answerEntry(stack.services, answer, DISCORD))).toBeNull();
  });
});

describe("the terminal chat and the answer log", () => {
  it("logs each answer as the terminal's, unless told not to", async () => {
    const { services, log } = await withLog("chat");
    const run = (options: { log?: boolean }) =>
      runChat(
        services,
        Readable.from(["Where was the meeting held?\nWho won the World Cup in 2022?\n"]),
        new PassThrough(),
        false,
        {
          userId: "local:tester",
          ...options,
        },
      );
    await run({ log: false });
    expect((await log.usage()).day).toEqual({ answered: 0, abstained: 0 });
    await run({});
    expect((await log.usage()).day).toEqual({ answered: 1, abstained: 1 });
    expect(await log.gapRows(1)).toMatchObject([{ question: "Who won the World Cup in 2022?", reason: "abstained" }]);
    expect(await log.forget("local:tester")).toBe(2);
    await log.close();
  });
});

describe("gaps", () => {
  it("names the passage a voted-down answer cited, and limits the list but not the CSV", async () => {
    const { services, log } = await withLog("gaps");
    const answered = await ask(services, "Where was the meeting held?");
    const cited = answered.citations[0];
    const a = await recordAnswer(services, answerEntry(services, answered, DISCORD));
    await log.vote(a?.id ?? "", "1310000000000000302", "down");
    for (const q of [
      "What did Blinken eat at the state dinner?",
      "Who won the World Cup in 2022?",
      "What did Blinken eat at the dinner?",
    ])
      await recordAnswer(services, answerEntry(services, await ask(services, q), DISCORD));
    const report = await gaps(services, { days: 7, limit: 2 });
    expect(report).toMatchObject({ days: 7, rows: 4, total: 3 });
    expect(report.groups).toHaveLength(2);
    expect(report.groups[0]).toMatchObject({ count: 2, abstained: 2 });
    const down = (await gaps(services, { days: 7 })).groups.find((g) => g.votedDown === 1);
    expect(down?.passage).toEqual({
      id: cited?.id,
      title: cited?.title,
      location: cited?.location,
      source: cited?.source,
    });
    expect(report.csv.trimEnd().split("\r\n")).toHaveLength(4);
    expect(report.csv).toContain(`${cited?.title}, ${cited?.location} (${cited?.source})`);
    await log.close();
  });

  it("refuses a bad period or limit, and says when there is no log", async () => {
    const { services, log } = await withLog("gaps-bad");
    expect(hasCode(await caughtSync(() => gaps(services, { days: 0 })), "BAD_DAYS")).toBe(true);
    expect(hasCode(await caughtSync(() => gaps(services, { limit: 51 })), "BAD_LIMIT")).toBe(true);
    expect(hasCode(await caughtSync(() => gaps(stack.services, {})), "FEEDBACK_OFF")).toBe(true);
    await log.close();
  });
});

async function caughtSync(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error("expected a failure");
}
