/**
 * `npm run brief` as a script runs it: a real child process through tsx, against an index it
 * builds in a temporary data folder. What a briefing says and how it reads are checked
 * in-process (test/briefing, test/terminal); here, what only a process shows.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runScript } from "../../helpers/run-script.js";

let dataDir: string;

function briefScript(args: string[]) {
  return runScript("brief", args, { PASSAGE_DATA_DIR: dataDir, LOG_LEVEL: "warn" });
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "passage-brief-"));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe("npm run brief", () => {
  it("builds the index, prints exactly the promised JSON and nothing else on stdout, and writes the Markdown with --out", async () => {
    const out = join(dataDir, "taiwan.md");
    const r = await briefScript(["Taiwan", "--points", "4", "--json", "--out", out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /^Wrote the briefing to \S+taiwan\.md \(suggested name: briefing-taiwan-[\d-]{10}\.md\)\.\n$/,
    );
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

  it("explains itself with --help and refuses bad input in one line", async () => {
    const help = await briefScript(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm run brief -- \[topic\] \[--points N\] \[--out FILE\.md\] \[--json\]/);
    // Every bad argument is refused the same way (each is checked in test/scripts/arguments.test.ts).
    const bad = await briefScript(["--points", "2"]);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe("");
    expect(bad.stderr).toBe('--points must be a whole number from 3 to 10 (got "2")\n');
  });
});
