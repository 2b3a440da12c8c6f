/**
 * `npm run bench:discord -- --huge-article` as an operator runs it, with a small run-on article:
 * the real bot answers questions about it and another member's question alongside, through the
 * loopback Discord. What is checked is the shape of the figures, that every question was
 * answered, that bad flags exit 2 in one line, and that nothing is left in the temporary folder.
 * No figure is compared with a speed: speed belongs to the benchmark itself.
 */
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HugeArticleResult } from "../../../scripts/lib/bench/huge-article.js";
import { runScript, type ScriptRun } from "../../helpers/run-script.js";

let tmp: string;
let run: ScriptRun;
let result: HugeArticleResult;

beforeAll(async () => {
  // The benchmark's own temporary folders go here, so the test can see that it removed them.
  tmp = await mkdtemp(join(tmpdir(), "passage-bench-huge-test-"));
  run = await runScript("bench-discord", ["--huge-article", "--huge-words", "20000", "--rounds", "2", "--json"], {
    TMPDIR: tmp,
  });
  expect(run.stderr).not.toMatch(/Error/);
  expect(run.code).toBe(0);
  result = JSON.parse(run.stdout) as HugeArticleResult;
}, 120_000);

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe("npm run bench:discord -- --huge-article", () => {
  it("prints one JSON object about the article it wrote, with no sentence split in it", () => {
    expect(run.stdout.trim().split("\n")).toHaveLength(1);
    expect(result.article.words).toBe(20_000);
    expect(result.article.bytes).toBeGreaterThan(100_000);
    // Cut into passages by size alone: there is no sentence end to cut at.
    expect(result.article.passages).toBeGreaterThan(10);
    expect(result.buildSeconds).toBeGreaterThan(0);
    expect(result.rounds).toBe(2);
  });

  it("answers every question, alone and side by side", () => {
    expect(result.answered).toEqual({ unrelatedAlone: 2, unrelatedLoaded: 2, huge: 2, asked: 2 });
  });

  it("reports medians, p95s, their ratio and the event loop's longest block", () => {
    for (const s of [result.unrelatedAloneMs, result.unrelatedLoadedMs, result.hugeMs]) {
      expect(s.p50Ms).toBeGreaterThan(0);
      expect(s.p95Ms).toBeGreaterThanOrEqual(s.p50Ms);
    }
    expect(result.ratio.p50).toBeCloseTo(result.unrelatedLoadedMs.p50Ms / result.unrelatedAloneMs.p50Ms, 1);
    expect(result.eventLoopMaxMs.loaded).toBeGreaterThan(0);
    expect(result.eventLoopMaxMs.alone).toBeGreaterThan(0);
    expect(result.deferred.huge).toBeLessThanOrEqual(2);
  });

  it("removes the corpus and index it wrote", async () => {
    // tsx keeps its compile cache there too (tsx-<uid>); only the benchmark's folders count.
    expect((await readdir(tmp)).filter((name) => name.startsWith("passage-"))).toEqual([]);
  });

  it("exits 2 with one line for --rounds without --huge-article, and for a bad size", async () => {
    const stray = await runScript("bench-discord", ["--rounds", "3"], {});
    expect(stray.code).toBe(2);
    expect(stray.stderr.trim().split("\n")).toEqual(["--rounds and --huge-words go with --huge-article (see --help)"]);
    const tiny = await runScript("bench-discord", ["--huge-article", "--huge-words", "5"], {});
    expect(tiny.code).toBe(2);
    expect(tiny.stderr.trim().split("\n")).toEqual([
      '--huge-words must be a whole number from 1000 to 10000000, not "5" (see --help)',
    ]);
  });
});
