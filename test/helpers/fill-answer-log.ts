import type { AnswerLog } from "../../src/feedback/answer-log.js";
import type { AnswerKind } from "../../src/store/types.js";

/**
 * Records `count` answers with long questions, so the answers table spans many pages, as after
 * weeks of use: what a test that damages one page of the file needs.
 */
export async function fillAnswerLog(log: AnswerLog, kind: AnswerKind, count = 60): Promise<void> {
  const long = "A question long enough to fill pages of the answers table quickly. ".repeat(20);
  for (let i = 0; i < count; i++)
    await log.record({
      source: "discord",
      guildId: "1",
      channelId: "2",
      userId: `user-${i}`,
      question: `${long}${i}`,
      understoodAs: null,
      kind,
      mode: "quoted",
      passageIds: ["p-1"],
      corpusChecksum: "c",
      latencyMs: 1,
    });
}
