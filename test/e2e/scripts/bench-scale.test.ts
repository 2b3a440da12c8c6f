/**
 * `npm run bench:scale` as an operator runs it: real child processes build and serve two small
 * corpora. What is checked is what the figures mean (the sizes asked, an index that grows with
 * them, every question answered, memory read in a replica that did not build), that bad flags
 * exit 2 in one line, and that nothing is left in the temporary folder. No figure is compared
 * with a speed: speed belongs to the benchmark itself.
 */
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScaleResult } from "../../../scripts/lib/bench-scale/children.js";
import { runScript } from "../../helpers/run-script.js";

let tmp: string;
let results: ScaleResult[] = [];
let stdout = "";

beforeAll(async () => {
  // The benchmark's own temporary folders go here, so the test can see that it removed them.
  tmp = await mkdtemp(join(tmpdir(), "passage-bench-scale-test-"));
  const run = await runScript("bench-scale", ["--sizes", "400,200", "--questions", "12", "--json"], { TMPDIR: tmp });
  expect(run.stderr).not.toMatch(/Benchmark failed/);
  expect(run.code).toBe(0);
  stdout = run.stdout;
  results = stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as ScaleResult);
}, 120_000);

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe("npm run bench:scale", () => {
  it("measures each size asked, smallest first, one JSON line each", () => {
    expect(results.map((r) => r.passages)).toEqual([200, 400]);
    for (const r of results) expect(r.articles).toBeGreaterThan(0);
  });

  it("reports an index on disk that grows with the corpus", () => {
    const [small, large] = results;
    expect(small?.indexBytes).toBeGreaterThan(0);
    expect(large?.indexBytes).toBeGreaterThan(small?.indexBytes ?? 0);
  });

  it("answers every question in a replica that opened the index, and gives answers per CPU second", () => {
    for (const { serve } of results) {
      expect(serve.answers.count).toBe(12);
      expect(serve.answers.cpuSeconds).toBeGreaterThan(0);
      // Within the rounding of the figures printed (CPU seconds to the millisecond).
      const perCpuSecond = serve.answers.count / serve.answers.cpuSeconds;
      expect(Math.abs(serve.answers.perCoreSecond / perCpuSecond - 1)).toBeLessThan(0.02);
      // Memory is read in order: nothing open, the index open, after answering.
      expect(serve.baseline.rssMB).toBeGreaterThan(0);
      expect(serve.serving.heapUsedMB).toBeGreaterThan(0);
      expect(serve.peakRssMB).toBeGreaterThanOrEqual(Math.floor(serve.serving.rssMB));
    }
  });

  it("removes the corpora and indexes it wrote", async () => {
    // tsx keeps its compile cache there too (tsx-<uid>); only the benchmark's folders count.
    expect((await readdir(tmp)).filter((name) => name.startsWith("passage-"))).toEqual([]);
  });

  it("prints the table and the fitted lines from saved results without measuring", async () => {
    const file = join(tmp, "scale.jsonl");
    await writeFile(file, stdout);
    const run = await runScript("bench-scale", ["--from", file], {});
    await rm(file);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/\|\s+400 \|/);
    expect(run.stdout).toContain("Least-squares lines through the sizes");
    expect(run.stdout).toMatch(/\| RSS, serving \(after answering\)\s+\|/);
  });

  it("exits 2 with one line for a single size, which fits no line", async () => {
    const run = await runScript("bench-scale", ["--sizes", "5000"], {});
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split("\n")).toEqual([
      "--sizes needs at least two different sizes to fit a line (see --help)",
    ]);
  });
});
