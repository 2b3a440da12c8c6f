/**
 * `npm run bench:scale`'s pure parts: its flags, the least-squares line that turns a few sizes
 * into "MB per 100,000 passages", and the report. The measuring itself runs in real processes
 * in test/e2e/scripts/bench-scale.test.ts.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_SCALE_SIZES, scaleArguments } from "../../scripts/lib/bench-scale/arguments.js";
import type { ScaleResult } from "../../scripts/lib/bench-scale/children.js";
import { linearFit } from "../../scripts/lib/bench-scale/linear-fit.js";
import type { MemoryFigures } from "../../scripts/lib/bench-scale/replica.js";
import { scaleFits, scaleReport } from "../../scripts/lib/bench-scale/report.js";
import { UsageError } from "../../scripts/lib/command-line.js";

describe("linearFit", () => {
  it("recovers a line the points lie on, with R² 1", () => {
    const fit = linearFit([
      [5000, 250],
      [20_000, 400],
      [50_000, 700],
    ]);
    expect(fit.slope).toBeCloseTo(0.01, 10);
    expect(fit.intercept).toBeCloseTo(200, 8);
    expect(fit.r2).toBeCloseTo(1, 10);
  });

  it("gives the least-squares line and an R² below 1 for scattered points", () => {
    // y = 1 + 2x with residuals +1, -2, +1 (orthogonal to 1 and x): the line is 1 + 2x, residuals sum to 6.
    const fit = linearFit([
      [0, 2],
      [1, 1],
      [2, 6],
    ]);
    expect(fit.slope).toBeCloseTo(2, 10);
    expect(fit.intercept).toBeCloseTo(1, 10);
    const meanY = 3;
    const total = (2 - meanY) ** 2 + (1 - meanY) ** 2 + (6 - meanY) ** 2;
    expect(fit.r2).toBeCloseTo(1 - 6 / total, 10);
  });

  it("refuses points that determine no line", () => {
    expect(() => linearFit([[1000, 5]])).toThrow(/two points/);
    expect(() =>
      linearFit([
        [1000, 5],
        [1000, 6],
      ]),
    ).toThrow(/two points/);
  });
});

describe("scaleArguments", () => {
  const refusal = (values: Parameters<typeof scaleArguments>[0]): string => {
    try {
      scaleArguments(values);
    } catch (error) {
      expect(error).toBeInstanceOf(UsageError);
      return (error as Error).message;
    }
    throw new Error("expected a UsageError");
  };

  it("measures 5k, 20k and 50k passages with 300 questions unless told otherwise", () => {
    expect(scaleArguments({})).toEqual({ sizes: DEFAULT_SCALE_SIZES, questions: 300, seed: 1, json: false });
    expect(DEFAULT_SCALE_SIZES).toEqual([5000, 20_000, 50_000]);
  });

  it("reads sizes in any order and measures them smallest first", () => {
    expect(scaleArguments({ sizes: "2000, 500,1000", questions: "40", json: true }).sizes).toEqual([500, 1000, 2000]);
  });

  it("refuses fewer than two different sizes, since a line needs two", () => {
    expect(refusal({ sizes: "5000" })).toMatch(/at least two different sizes/);
    expect(refusal({ sizes: "5000,5000" })).toMatch(/at least two different sizes/);
  });

  it("refuses a size that is not a whole number in range, and --from with --sizes", () => {
    expect(refusal({ sizes: "5000,lots" })).toMatch(/^--sizes must be a whole number/);
    expect(refusal({ sizes: "50,5000" })).toMatch(/^--sizes must be a whole number from 100/);
    expect(refusal({ questions: "5" })).toMatch(/^--questions/);
    expect(refusal({ from: "r.jsonl", sizes: "100,200" })).toMatch(/--from reads results/);
  });
});

/** A result whose memory grows by `perPassage` MB per passage over `fixed` MB. */
function result(passages: number, fixed: number, perPassage: number): ScaleResult {
  const mem = (rss: number): MemoryFigures => ({ rssMB: rss, heapUsedMB: rss / 2, nativeMB: rss / 4 });
  return {
    passages,
    articles: passages / 20,
    buildSeconds: passages / 1000,
    indexBytes: passages * 3500,
    buildPeakRssMB: fixed + 2 * perPassage * passages,
    serve: {
      baseline: mem(fixed),
      opened: mem(fixed + perPassage * passages * 0.8),
      serving: mem(fixed + perPassage * passages),
      peakRssMB: fixed + perPassage * passages + 10,
      reindexPeakRssMB: fixed + 1.5 * perPassage * passages,
      reindexSeconds: passages / 10_000,
      openMs: passages / 100,
      answers: { count: 300, wallSeconds: 3, cpuSeconds: 2.5, perCoreSecond: 120 },
    },
  };
}

describe("scaleFits and scaleReport", () => {
  const results = [result(5000, 200, 0.01), result(20_000, 200, 0.01), result(50_000, 200, 0.01)];

  it("gives each measure's fixed part and its growth per 100,000 passages", () => {
    const fits = Object.fromEntries(scaleFits(results).map((f) => [f.name, f]));
    const serving = fits["RSS, serving (after answering)"];
    expect(serving).toEqual({
      name: "RSS, serving (after answering)",
      fixedMB: 200,
      per100kMB: 1000,
      r2: 1,
      at100kMB: 1200,
    });
    expect(fits["JS heap used, serving"]?.per100kMB).toBe(500);
    expect(fits["index on disk"]?.per100kMB).toBe(350);
    expect(fits["index on disk"]?.fixedMB).toBe(0);
    expect(fits["peak RSS, reindex while serving (one article changed)"]?.per100kMB).toBe(1500);
    expect(fits["peak RSS, full build (a new replica's first start)"]?.at100kMB).toBe(2200);
  });

  it("prints a row per size and the fitted lines", () => {
    const report = scaleReport(results);
    expect(report).toContain("answers 300 generated questions");
    expect(report).toMatch(/\|\s+50,000 \|/);
    expect(report).toMatch(
      /\| RSS, serving \(after answering\)\s+\|\s+200\.0 \|\s+1000\.0 \|\s+1\.0000 \|\s+1200\.0 \|/,
    );
    expect(report.split("\n").filter((l) => /^\|\s+[\d,]+ \|/.test(l))).toHaveLength(3);
  });
});
