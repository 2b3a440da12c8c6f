/**
 * The feedback pieces that are pure: custom ids (they must round-trip and fit Discord's 100
 * characters), the feedback row beside at most four rows of passage buttons (Discord allows
 * five rows), /gaps as an embed (members' words escaped), and /status's usage line.
 */
import { describe, expect, it } from "vitest";
import type { Answer, Citation } from "../../src/answer/answer.js";
import type { GapsReport } from "../../src/commands/feedback.js";
import { describeUsage } from "../../src/commands/status.js";
import {
  answerIdArg,
  commentModalId,
  followUpId,
  followUpModalId,
  parseCustomId,
  publishId,
  voteId,
} from "../../src/discord/feedback/custom-ids.js";
import { DISCORD_LIMITS } from "../../src/discord/limits.js";
import { renderAnswer } from "../../src/discord/render/answer.js";
import { renderGaps } from "../../src/discord/render/gaps.js";

const SNOWFLAKE = "1310000000000000300";

function citation(n: number): Citation {
  return { n, id: `${n}`.padStart(16, "0"), source: "a.md", title: "T", url: null, location: `¶ ${n}`, text: "Text." };
}

function answer(citations: number): Answer {
  return {
    question: "Why?",
    kind: "answer",
    abstained: false,
    answer: "Because. [1]",
    sentences: [{ text: "Because.", n: 1 }],
    citations: Array.from({ length: citations }, (_, i) => citation(i + 1)),
    method: "extractive · test",
  };
}

describe("custom ids", () => {
  it("round-trip their kind and arguments, with - for an answer the log did not record", () => {
    expect(parseCustomId(voteId("down", "a1B2c3D4e5"))).toEqual({ kind: "vote", args: ["down", "a1B2c3D4e5"] });
    expect(parseCustomId(publishId(null, SNOWFLAKE))).toEqual({ kind: "publish", args: ["-", SNOWFLAKE] });
    expect(answerIdArg(parseCustomId(followUpId(null)).args[0])).toBeNull();
    expect(parseCustomId(followUpModalId("x")).kind).toBe("follow-up-modal");
    expect(parseCustomId(commentModalId("x")).kind).toBe("comment-modal");
  });

  it("fit Discord's 100 characters with a long answer id and a snowflake", () => {
    const id = "A".repeat(32);
    for (const custom of [voteId("up", id), followUpModalId(id), commentModalId(id), publishId(id, SNOWFLAKE)])
      expect(custom.length).toBeLessThanOrEqual(DISCORD_LIMITS.customId);
  });
});

describe("the feedback row", () => {
  it("comes last, after at most four rows of passage buttons, so an answer never exceeds five rows", () => {
    const { components } = renderAnswer(answer(25), { feedback: { answerId: "abc" } });
    expect(components).toHaveLength(5);
    expect(components.at(-1)?.components.map((b) => ("custom_id" in b ? b.custom_id : ""))).toEqual([
      "vote:up:abc",
      "vote:down:abc",
      "follow-up:abc",
    ]);
  });

  it("has only Follow up when the answer was not logged, and carries extra buttons after it", () => {
    const extra = { type: 2, style: 3, label: "Post publicly", custom_id: publishId(null, SNOWFLAKE) } as const;
    const { components } = renderAnswer(answer(1), { feedback: { answerId: null, extra: [extra] } });
    expect(components.at(-1)?.components.map((b) => ("label" in b ? b.label : ""))).toEqual([
      "Follow up",
      "Post publicly",
    ]);
  });

  it("leaves an answer rendered without feedback as before: passage buttons only", () => {
    expect(renderAnswer(answer(2)).components.flatMap((r) => r.components)).toHaveLength(2);
  });

  it("shows a follow-up as typed above the question as understood", () => {
    const { embeds } = renderAnswer(answer(1), { followUp: "and Taiwan?" });
    expect(embeds[0]?.author?.name).toBe("Follow-up “and Taiwan?”, understood as:");
    expect(embeds[0]?.title).toBe("Why?");
  });
});

describe("renderGaps", () => {
  const report = (groups: GapsReport["groups"]): GapsReport => ({
    days: 7,
    since: "2026-01-01T00:00:00.000Z",
    rows: groups.reduce((n, g) => n + g.count, 0),
    total: groups.length,
    groups,
    csv: "",
  });

  it("escapes members' questions and comments, so a gap cannot ping or format", () => {
    const embed = renderGaps(
      report([
        {
          question: "@everyone **why** <@123>?",
          count: 2,
          abstained: 1,
          votedDown: 1,
          wordings: [],
          passageId: null,
          comments: ["[x](https://evil.example)"],
          lastAt: "2026-01-02T00:00:00.000Z",
          answerIds: [],
          passage: null,
        },
      ]),
    );
    expect(embed.description).not.toMatch(/(?<!\u200b)@everyone|<@\d|\]\(https/);
    expect(embed.description).toMatch(/^1\. \*\*2×\*\* .* \(abstained 1×, 👎 1×\) · “/);
  });

  it("says so when there is nothing to show", () => {
    expect(renderGaps(report([])).description).toMatch(/^No abstentions and no answers voted down in the last 7 days/);
  });
});

describe("describeUsage", () => {
  it("gives counts for 24 h and 7 days and the 👍 share, or says there are no votes", () => {
    const usage = { day: { answered: 2, abstained: 1 }, week: { answered: 9, abstained: 3 } };
    expect(describeUsage({ ...usage, votes: { up: 3, down: 1 } })).toBe(
      "24 h: 2 answered, 1 abstained · 7 d: 9 answered, 3 abstained · 👍 75 % of 4 votes",
    );
    expect(describeUsage({ ...usage, votes: { up: 0, down: 0 } })).toMatch(/· no votes yet$/);
  });
});
