/**
 * `npm run ask` logging (and `--no-log`) and `npm run gaps`, as real child processes sharing a
 * temporary data folder: answers asked on the command line, and a 👎 with a comment recorded
 * through the real AnswerLog as the bot would, come back merged and counted.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AnswerLog, FEEDBACK_DB_FILE } from "../../../src/feedback/answer-log.js";
import { runScript } from "../../helpers/run-script.js";

let dataDir: string;

function script(name: string, args: string[]) {
  return runScript(name, args, { PASSAGE_DATA_DIR: dataDir, LOG_LEVEL: "warn" });
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "passage-gaps-cli-"));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe("npm run ask logging and npm run gaps", () => {
  it("logs what ask answers unless --no-log, and gaps lists the merged questions with a voted-down answer's passage and comment", async () => {
    for (const q of ["What did Blinken eat at the state dinner?", "what did blinken eat at the state dinner"]) {
      const r = await script("ask", ["--json", q]);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).kind).toBe("abstained");
    }
    const unlogged = await script("ask", ["--json", "--no-log", "Who won the football World Cup in 2022?"]);
    expect(JSON.parse(unlogged.stdout).kind).toBe("abstained");

    // A 👎 with a comment, recorded as the Discord bot records it (same data folder, same salt).
    const log = await AnswerLog.open(dataDir);
    const answered = await log.record({
      source: "discord",
      guildId: "1310000000000000100",
      channelId: "1310000000000000200",
      userId: "1310000000000000301",
      question: "Where was the meeting held?",
      understoodAs: null,
      kind: "answer",
      mode: "quoted",
      passageIds: ["nonexistent-passage"],
      corpusChecksum: "c",
      latencyMs: 3,
    });
    await log.vote(answered.id, "1310000000000000302", "down");
    await log.comment(answered.id, "1310000000000000302", "=cmd|' /C calc'!A0");
    await log.close();

    const json = await script("gaps", ["--json", "--days", "1"]);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ days: 1, rows: 3, total: 2 });
    expect(
      report.groups.map((g: { count: number; abstained: number; votedDown: number }) => [
        g.count,
        g.abstained,
        g.votedDown,
      ]),
    ).toEqual([
      [2, 2, 0],
      [1, 0, 1],
    ]);
    expect(report.groups[1]).toMatchObject({
      passageId: "nonexistent-passage",
      passage: null,
      comments: ["=cmd|' /C calc'!A0"],
    });

    const text = await script("gaps", []);
    expect(text.stdout).toMatch(
      /^Gaps in the last 7 days: 3 questions in 2 groups, most frequent first\.\n\n1\. ×2 {2}/,
    );
    expect(text.stdout).toContain("👎 “=cmd|' /C calc'!A0”");
    const csv = await script("gaps", ["--csv"]);
    expect(csv.stdout.split("\r\n")[0]).toBe(
      "count,abstained,voted_down,question,other_wordings,passage,comments,last_asked",
    );
    expect(csv.stdout).toContain(",nonexistent-passage,'=cmd|' /C calc'!A0,");

    // Neither the local user's name nor a Discord id is in the file; the questions are.
    const bytes = await readFile(join(dataDir, FEEDBACK_DB_FILE));
    expect(bytes.includes(userInfo().username === "" ? "local:" : `local:${userInfo().username}`)).toBe(false);
    expect(bytes.includes("1310000000000000301")).toBe(false);
    expect(bytes.includes("World Cup")).toBe(false);
    // Six processes, the first building the index: more than one script's time.
  }, 60_000);

  it("explains itself with --help and refuses bad input in one line", async () => {
    const help = await script("gaps", ["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm run gaps -- \[--days N\] \[--limit N\] \[--json \| --csv\]/);
    const bad = await script("gaps", ["--limit", "500"]);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe("");
    expect(bad.stderr).toBe('--limit must be a whole number from 1 to 50, not "500" (see --help)\n');
    const both = await script("gaps", ["--json", "--csv"]);
    expect(both.stderr).toBe("Give --json or --csv, not both (see --help)\n");
  });
});
