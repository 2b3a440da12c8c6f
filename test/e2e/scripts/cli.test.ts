/**
 * The command-line tools as a person runs them: real child processes through tsx, against an
 * index in a temporary data folder. Each process costs a second or more (tsx loads TypeScript),
 * so only what needs a real process is checked here: exit codes, what goes to stdout and what to
 * stderr, --help, building a missing index, the token. What the tools compute and print is
 * checked in-process (test/scripts, test/terminal, test/commands).
 */
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BenchResult } from "../../../scripts/lib/bench/measure.js";
import { benchChart, benchTable, parseBenchResults } from "../../../scripts/lib/bench/report.js";
import { refusedUrl, startFakeModelServer } from "../../../scripts/lib/fake-model/index.js";
import { ANSWER_JSON_KEYS } from "../../helpers/answer-json.js";

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
  it("builds the index and prints a summary of articles, passages and seconds on stdout", async () => {
    const r = await script("scripts/reindex.ts", []);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Indexed 1 article into 31 passages in \d+\.\d\d s\./);
    expect(r.stdout).toContain(`\nIndex: ${join(dataDir, "index")}\n`);
    // No progress bar on a pipe, and nothing else on stderr.
    expect(r.stderr).toBe("");
  });

  it("explains itself with --help and refuses unknown flags in one line", async () => {
    const help = await script("scripts/reindex.ts", ["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm run reindex/);
    const bad = await script("scripts/reindex.ts", ["--bogus"]);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe("");
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    expect(bad.stderr).toMatch(/bogus/);
  });
});

describe("npm run ask", () => {
  it("answers a stream of questions with only JSON Lines on stdout, one object per line", async () => {
    const r = await script(
      "scripts/ask.ts",
      ["--json"],
      "Whom did Blinken meet first?\n\nWho is the prime minister of the UK?\n   \nWhat did China ban?\nwhat is this article about?\n",
    );
    expect(r.code).toBe(0);
    // Nothing but one JSON object per non-blank question, each on its own line.
    const lines = r.stdout.split("\n");
    expect(lines.pop()).toBe("");
    const answers = lines.map((l) => JSON.parse(l));
    expect(
      answers.map(
        (a: { question: string; kind: string; abstained: boolean }) => `${a.question} ${a.kind} ${a.abstained}`,
      ),
    ).toEqual([
      "Whom did Blinken meet first? answer false",
      "Who is the prime minister of the UK? abstained true",
      "What did China ban? answer false",
      "what is this article about? overview false",
    ]);
    const [first] = answers;
    expect(Object.keys(first)).toEqual([...ANSWER_JSON_KEYS]);
    expect(answers[3].answer).toMatch(/^An overview of the article, in 3 key points:\n• /);
    expect(answers[3].citations).toHaveLength(3);
    expect(first.answer).toContain("met his Chinese counterpart");
    expect(Object.keys(first.citations[0])).toEqual(["n", "id", "source", "title", "location", "text"]);
    expect(first.citations[0].text).toContain("met his Chinese counterpart");
  });

  it("says to reindex, in one line, when the index is damaged", async () => {
    const broken = await mkdtemp(join(tmpdir(), "passage-broken-"));
    await mkdir(join(broken, "index"), { recursive: true });
    // An index laid out before versions (files directly in index/), its manifest damaged.
    await writeFile(join(broken, "index", "manifest.json"), "{garbage");
    const r = await script("scripts/ask.ts", ["--json", "What about Taiwan?"], "", { PASSAGE_DATA_DIR: broken });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/unreadable.*npm run reindex/);
    await rm(broken, { recursive: true, force: true });
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

describe("npm run eval", () => {
  it("prints the table with abstention split by kind, and the style table with --by-style", async () => {
    const set = join(dataDir, "tiny-set.json");
    await writeFile(
      set,
      JSON.stringify({
        answerable: [
          { id: "a", question: "Where was the meeting held?", gold: "Diaoyutai State Guest House", style: "direct" },
        ],
        unanswerable: [
          { id: "n", question: "How many rooms does the guest house have?", nearMiss: true },
          { id: "o", question: "Who is the prime minister of the UK?", nearMiss: false },
        ],
      }),
    );
    const r = await script("scripts/eval.ts", ["--set", set, "--by-style"]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toBe(`${set}: 1 answerable, 2 unanswerable questions (1 near miss, 1 off-topic); 31 passages`);
    expect(lines[2]).toContain("| abst. near miss | abst. off-topic |");
    expect(lines).toContain("Answer hit by style (false abstentions in brackets):");
    expect(lines.at(-1)).toMatch(/^\| direct \| 1 \| /);

    const help = await script("scripts/eval.ts", ["--help"]);
    expect(help.stdout).toMatch(
      /^Usage: npm run eval -- \[--set FILE\] \[--mode quoted\|generated\] \[--by-style\] \[--json\]/,
    );
    expect(help.stdout).toContain("near misses");
  });
});

describe("npm run ask with a model", () => {
  it("gives a generated answer, every sentence cited and verified, and says so in --json", async () => {
    const model = await startFakeModelServer({
      chat: (request) => {
        const user = request.messages.find((m) => m.role === "user")?.content ?? "";
        const n = /<passage n="(\d+)"[^>]*>\n[^<]*Diaoyutai/.exec(user)?.[1] ?? "1";
        return `The meeting was held at the Diaoyutai State Guest House, a lavish estate [${n}]. It lasted nine days on a ship [${n}].`;
      },
    });
    try {
      const llm = { LLM_BASE_URL: model.openaiBaseUrl, LLM_MODEL: "fake-chat", LLM_API_KEY: "sk-test-never-printed" };
      const r = await script("scripts/ask.ts", ["--json", "Where was the meeting held?"], "", llm);
      expect(r.code, r.stderr).toBe(0);
      const json = JSON.parse(r.stdout);
      expect(json).toMatchObject({
        kind: "answer",
        abstained: false,
        mode: "generated",
        model: "fake-chat",
        removed: 1,
      });
      expect(json.answer).toBe("The meeting was held at the Diaoyutai State Guest House, a lavish estate. [1]");
      expect(json.citations[0].text).toContain("Diaoyutai State Guest House");
      expect(r.stdout + r.stderr).not.toContain("sk-test-never-printed");

      // Without --json the same answer is printed for a person, with the line saying who wrote it.
      const text = await script("scripts/ask.ts", ["Where was the meeting held?"], "", llm);
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toMatch(
        /^The meeting was held at the Diaoyutai State Guest House, a lavish estate\. \[1\]\n\nSources:/,
      );
      expect(text.stdout).toContain("(Written by fake-chat;");

      // A server that refuses: the quoted answer, saying why.
      const down = await script("scripts/ask.ts", ["--json", "Where was the meeting held?"], "", {
        ...llm,
        LLM_BASE_URL: await refusedUrl(),
      });
      expect(down.code, down.stderr).toBe(0);
      expect(JSON.parse(down.stdout)).toMatchObject({ mode: "quoted", model: null, removed: 0 });
      expect(JSON.parse(down.stdout).modelUnavailable).toMatch(/^fake-chat: connection refused/);
    } finally {
      await model.close();
    }
  });
});

describe("npm run bench", () => {
  it("measures answering with a model: verification per reply and Discord's first visible edit, beside baselines", async () => {
    const r = await script("scripts/bench.ts", ["--model", "--json", "--questions", "12"]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const g = JSON.parse(lines[0] ?? "");
    expect(g.answers).toBeGreaterThan(0);
    expect(g.sentencesPerAnswer).toBeGreaterThanOrEqual(2); // at least one quoted and the fabricated one
    expect(g.verification.p50Ms).toBeGreaterThan(0);
    expect(g.quotedAnswer.p50Ms).toBeGreaterThan(0);
    expect(g.discord.interactions).toBe(12);
    // Ordered by what happens first: the deferral, then the first sentence shown, then the final edit.
    expect(g.discord.defer.p50Ms).toBeLessThan(g.discord.firstVisibleEdit.p50Ms);
    expect(g.discord.firstVisibleEdit.p50Ms).toBeLessThanOrEqual(g.discord.finalEdit.p50Ms);
    expect(g.discord.modelFirstSentence.p50Ms).toBeGreaterThan(0);
  });

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

    // The table and the chart come from the same JSON lines (as --from reads them).
    const results = parseBenchResults(`${lines[0]}\n\n${JSON.stringify({ ...result, passages: 600 })}\n`);
    expect(results.map((x: BenchResult) => x.passages)).toEqual([300, 600]);
    const table = benchTable(results);
    expect(table).toMatch(/^embedder \S+; HNSW M \d+, efConstruction \d+, efSearch \d+; 20 questions per size\n\n/);
    expect(table).toMatch(/\|\s+300 \|/);
    expect(table).toMatch(/\|\s+600 \|/);
    expect(benchChart(results)).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
  });
});
