/**
 * The command-line tools as a person runs them: real child processes through tsx, against an
 * index in a temporary data folder. Slow-ish (each process loads TypeScript), so few and broad.
 */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { markdownTable } from "../../../scripts/cli.js";

const ROOT = new URL("../../..", import.meta.url).pathname;
const TSX = join(ROOT, "node_modules", ".bin", "tsx");
let dataDir: string;
let env: NodeJS.ProcessEnv;

/** Runs a script with `input` on stdin; resolves with its exit code and output, never rejects. */
function script(
  file: string,
  args: string[],
  input = "",
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(TSX, [join(ROOT, file), ...args], { cwd: ROOT, env: { ...env, ...extraEnv } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "passage-cli-"));
  // A clean environment: no token (so `start` opens the terminal chat), our data folder.
  env = { PATH: process.env.PATH, HOME: process.env.HOME, PASSAGE_DATA_DIR: dataDir, LOG_LEVEL: "warn" };
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe("npm run reindex", () => {
  it("builds the index and prints a summary of articles, passages and seconds", async () => {
    const r = await script("scripts/reindex.ts", []);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Indexed 1 article into 31 passages in \d+\.\d\d s\./);
    expect(r.stdout).toContain(join(dataDir, "index"));

    // Again, with nothing changed: every passage keeps its vector, and the summary says so.
    const again = await script("scripts/reindex.ts", []);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/Embedded 0 new or changed passages; 31 kept their vectors\./);
    const json = await script("scripts/reindex.ts", ["--json"]);
    expect(JSON.parse(json.stdout)).toMatchObject({
      passages: 31,
      kind: "incremental",
      embedded: 0,
      fullBecause: null,
    });
  });

  it("explains itself with --help and refuses unknown flags in one line", async () => {
    const help = await script("scripts/reindex.ts", ["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm run reindex/);
    const bad = await script("scripts/reindex.ts", ["--bogus"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    expect(bad.stderr).toMatch(/bogus/);
  });
});

describe("npm run ask", () => {
  it("prints only JSON on stdout with --json, answering from the cited passage", async () => {
    const r = await script("scripts/ask.ts", ["--json"], "Whom did Blinken meet first?\n");
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const answer = JSON.parse(lines[0] ?? "");
    expect(Object.keys(answer)).toEqual(["question", "abstained", "answer", "citations"]);
    expect(answer.abstained).toBe(false);
    expect(answer.answer).toContain("met his Chinese counterpart");
    expect(Object.keys(answer.citations[0])).toEqual(["n", "id", "source", "title", "location", "text"]);
    expect(answer.citations[0].text).toContain("met his Chinese counterpart");
  });

  it("answers a stream of questions as JSON Lines, one object per line, abstaining where it should", async () => {
    const r = await script(
      "scripts/ask.ts",
      ["--json"],
      "Whom did Blinken meet first?\n\nWho is the prime minister of the UK?\n   \nWhat did China ban?\n",
    );
    expect(r.code).toBe(0);
    const answers = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(answers.map((a) => a.question)).toEqual([
      "Whom did Blinken meet first?",
      "Who is the prime minister of the UK?",
      "What did China ban?",
    ]);
    expect(answers.map((a) => a.abstained)).toEqual([false, true, false]);
  });

  it("prints an answer with its sources for a person, and a clear error for an empty question", async () => {
    const r = await script("scripts/ask.ts", ["Where was the meeting held?"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Diaoyutai State Guest House.*\[1\]/s);
    expect(r.stdout).toMatch(/Sources:\n\s+\[1\] Blinken’s visit to China — An Analysis, ¶ 2/);
    const empty = await script("scripts/ask.ts", ["   "]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/Give a question/);
  });

  it("says to reindex, in one line, when the index is damaged", async () => {
    const broken = await mkdtemp(join(tmpdir(), "passage-broken-"));
    const { writeFile, mkdir } = await import("node:fs/promises");
    await mkdir(join(broken, "index"), { recursive: true });
    await writeFile(join(broken, "index", "manifest.json"), "{garbage");
    const r = await script("scripts/ask.ts", ["--json", "What about Taiwan?"], "", { PASSAGE_DATA_DIR: broken });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/unreadable.*npm run reindex/);
    await rm(broken, { recursive: true, force: true });
  });
});

describe("npm run eval", () => {
  it("prints one JSON object scoring Passage and its three baselines, without touching data/", async () => {
    const r = await script("scripts/eval.ts", ["--json", "--set", "test/fixtures/dev-questions.json"]);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result).toMatchObject({ answerable: 54, unanswerable: 18, passages: 31 });
    expect(result.systems.map((s: { system: string }) => s.system)).toEqual(["passage", "bm25", "dense", "exact"]);
    for (const s of result.systems) {
      for (const key of [
        "recallAt1",
        "recallAt3",
        "recallAt5",
        "mrr",
        "answerHitRate",
        "falseAbstentionRate",
        "abstentionRate",
        "citationPrecision",
      ]) {
        expect(s[key]).toBeGreaterThanOrEqual(0);
        expect(s[key]).toBeLessThanOrEqual(1);
      }
    }
    const passage = result.systems[0];
    const bm25 = result.systems[1];
    expect(passage.recallAt5).toBeGreaterThanOrEqual(bm25.recallAt5 - 0.05);
  });
});

describe("npm start without a token", () => {
  it("builds the index when missing, then answers piped questions in the terminal chat", async () => {
    const fresh = await mkdtemp(join(tmpdir(), "passage-start-"));
    const r = await script("src/main.ts", [], "What did China ban?\n/status\n", { PASSAGE_DATA_DIR: fresh });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/Indexed 1 article into 31 passages/);
    expect(r.stdout).toMatch(/Q: What did China ban\?\n.*Micron.*\[1\]/s);
    expect(r.stdout).toMatch(/Articles:\s+1\nPassages:\s+31/);
    await rm(fresh, { recursive: true, force: true });
  });

  it("refuses a malformed token with one line naming the variable, and never prints the value", async () => {
    const r = await script("src/main.ts", [], "", { DISCORD_TOKEN: "definitely-not-a-token" });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^DISCORD_TOKEN does not look like a bot token/);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).not.toContain("definitely-not-a-token");
  });
});

describe("npm run bench", () => {
  it("measures one size and prints one JSON object with every figure", async () => {
    const r = await script("scripts/bench.ts", ["--json", "--passages", "300", "--questions", "20"]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const result = JSON.parse(lines[0] ?? "") as Record<string, unknown> & {
      retrieval: Record<string, number>;
      answer: Record<string, number>;
      incremental: Record<string, unknown>;
    };
    expect(Object.keys(result)).toEqual(
      expect.arrayContaining([
        "passages",
        "buildSeconds",
        "passagesPerSecond",
        "peakRssMB",
        "indexBytes",
        "loadMs",
        "retrieval",
        "answer",
        "recallAt10",
      ]),
    );
    expect(result.passages).toBe(300);
    expect(Object.keys(result.retrieval).sort()).toEqual(["p50Ms", "p95Ms", "p99Ms"]);
    expect(result.answer.p50Ms).toBeLessThanOrEqual(result.answer.p99Ms ?? 0);
    expect(result.recallAt10).toBeGreaterThan(0.5);
    expect(result.recallAt10).toBeLessThanOrEqual(1);
    expect(result.peakRssMB).toBeGreaterThan(10);
    // Changing one article reuses the rest: only the changed and added passages are embedded.
    expect(result.incremental).toMatchObject({ kind: "incremental" });
    expect(result.incremental.embedded).toBeLessThan(result.incremental.changedArticlePassages as number);
    // Both times are reported, beside the full build's: in a running bot and from disk.
    const { seconds, fullSeconds, ratio, fromDisk } = result.incremental as {
      seconds: number;
      fullSeconds: number;
      ratio: number;
      fromDisk: { kind: string; seconds: number; ratio: number };
    };
    expect(fullSeconds).toBe(result.buildSeconds);
    expect(seconds).toBeGreaterThan(0);
    expect(ratio).toBeCloseTo(seconds / fullSeconds, 1);
    expect(fromDisk.kind).toBe("incremental");
    expect(fromDisk.ratio).toBeCloseTo(fromDisk.seconds / fullSeconds, 1);

    // The table and the chart come from the same JSON lines.
    const file = join(dataDir, "bench.jsonl");
    const chart = join(dataDir, "bench.svg");
    await writeFile(file, `${lines[0]}\n${JSON.stringify({ ...result, passages: 600 })}\n`);
    const table = await script("scripts/bench.ts", ["--from", file, "--chart", chart]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/\|\s+300 \|/);
    expect(table.stdout).toMatch(/\|\s+600 \|/);
    expect(await readFile(chart, "utf8")).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
  });

  it("refuses a size it cannot measure in one line", async () => {
    const r = await script("scripts/bench.ts", ["--passages", "ten"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/--passages must be a whole number/);
  });
});

describe("markdownTable", () => {
  it("pads every column to its widest cell, text columns left and number columns right", () => {
    expect(
      markdownTable(
        ["system", "R@1"],
        [
          ["passage", "0.5"],
          ["bm25", "0.25"],
        ],
        1,
      ),
    ).toBe(["| system  |  R@1 |", "|:--------|-----:|", "| passage |  0.5 |", "| bm25    | 0.25 |"].join("\n"));
    expect(markdownTable(["n", "s"], [["1000", "1.1"]])).toBe(
      ["|    n |   s |", "|-----:|----:|", "| 1000 | 1.1 |"].join("\n"),
    );
  });
});
