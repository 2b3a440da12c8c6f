/**
 * `npm run brief` as a person or a script runs it: a real child process through tsx, against an
 * index built in a temporary data folder.
 */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = new URL("../../..", import.meta.url).pathname;
const TSX = join(ROOT, "node_modules", ".bin", "tsx");
let dataDir: string;

function briefScript(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(TSX, [join(ROOT, "scripts/brief.ts"), ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, PASSAGE_DATA_DIR: dataDir, LOG_LEVEL: "warn" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end();
  });
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "passage-brief-"));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe("npm run brief", () => {
  it("prints a whole-corpus briefing for a person: headings, cited points and sources", async () => {
    const r = await briefScript([]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Briefing: the whole corpus\nCorpus [0-9a-f]{12}, built \d{4}-/);
    expect(r.stdout).toMatch(/6 key points from 1 article/);
    expect(r.stdout).toMatch(/\n {2}• [^•]+? \[1\]\n/);
    expect(r.stdout).toMatch(
      /Sources:\n {2}\[1\] Blinken’s visit to China — An Analysis, ¶ \d+ \(blinken-china-visit\.md\)/,
    );
  });

  it("prints exactly the promised JSON and nothing else on stdout, and writes the Markdown with --out", async () => {
    const out = join(dataDir, "taiwan.md");
    const r = await briefScript(["Taiwan", "--points", "4", "--json", "--out", out]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const json = JSON.parse(lines[0] ?? "");
    expect(Object.keys(json)).toEqual(["topic", "covered", "points"]);
    expect(json.topic).toBe("Taiwan");
    expect(json.covered).toBe(true);
    expect(json.points.length).toBeLessThanOrEqual(4);
    for (const p of json.points) {
      expect(Object.keys(p)).toEqual(["heading", "text", "citations"]);
      expect(Object.keys(p.citations[0])).toEqual(["n", "id", "source", "title", "location", "text"]);
      expect(p.citations[0].text).toContain(p.text);
      expect(p.text).toContain("Taiwan");
    }
    const md = await readFile(out, "utf8");
    expect(md).toMatch(/^# Briefing: Taiwan\n/);
    expect(md).toContain(json.points[0].citations[0].text);
  });

  it("says when the corpus does not cover a topic, as JSON too", async () => {
    const r = await briefScript(["--json", "cricket"]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ topic: "cricket", covered: false });
    expect(json.points.every((p: { heading: string }) => p.heading === "Nearest passages")).toBe(true);
  });

  it("explains itself with --help and refuses bad input in one line", async () => {
    const help = await briefScript(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm run brief -- \[topic\] \[--points N\] \[--out FILE\.md\] \[--json\]/);
    for (const args of [["--points", "2"], ["--points", "many"], ["--bogus"], ["--out", " "]]) {
      const bad = await briefScript(args);
      expect(bad.code).toBe(2);
      expect(bad.stdout).toBe("");
      expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    }
  });
});
