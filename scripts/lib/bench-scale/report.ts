import { markdownTable } from "../markdown-table.js";
import type { ScaleResult } from "./children.js";
import { type LinearFit, linearFit } from "./linear-fit.js";

/** Per 100,000 passages: the unit docs/SCALING.md sizes replicas in. */
const PER = 100_000;

/** A measured quantity fitted against the passages: the fixed part and the part per 100,000 passages. */
export interface ScaleFit {
  readonly name: string;
  /** MB with no passages (the runtime, modules, WordNet). */
  readonly fixedMB: number;
  /** MB added per 100,000 passages. */
  readonly per100kMB: number;
  readonly r2: number;
  /** The line's value at 100,000 passages: a replica's size for a corpus that large. */
  readonly at100kMB: number;
}

/** The lines through the results: resident memory, heap, native memory, and the index on disk. */
export function scaleFits(results: readonly ScaleResult[]): ScaleFit[] {
  const lineOf = (name: string, y: (r: ScaleResult) => number): ScaleFit => {
    const line: LinearFit = linearFit(results.map((r) => [r.passages, y(r)] as const));
    return {
      name,
      fixedMB: round1(line.intercept),
      per100kMB: round1(line.slope * PER),
      r2: Math.round(line.r2 * 10_000) / 10_000,
      at100kMB: round1(line.intercept + line.slope * PER),
    };
  };
  return [
    lineOf("RSS, serving (after answering)", (r) => r.serve.serving.rssMB),
    lineOf("RSS, index just opened", (r) => r.serve.opened.rssMB),
    lineOf("JS heap used, serving", (r) => r.serve.serving.heapUsedMB),
    lineOf("RSS less the JS heap (native: hnswlib, code, buffers), serving", (r) => r.serve.serving.nativeMB),
    lineOf("peak RSS, reindex while serving (one article changed)", (r) => r.serve.reindexPeakRssMB),
    lineOf("peak RSS, full build (a new replica's first start)", (r) => r.buildPeakRssMB),
    lineOf("index on disk", (r) => r.indexBytes / 1e6),
  ];
}

/** The results as `npm run bench:scale` prints them: a row per size, then the fitted lines. */
export function scaleReport(results: readonly ScaleResult[]): string {
  const rows = results.map((r) => {
    const s = r.serve;
    return [
      r.passages.toLocaleString("en-US"),
      String(r.articles),
      (r.indexBytes / 1e6).toFixed(1),
      r.buildSeconds.toFixed(1),
      s.baseline.rssMB.toFixed(0),
      s.opened.rssMB.toFixed(0),
      s.serving.rssMB.toFixed(0),
      s.serving.heapUsedMB.toFixed(0),
      s.serving.nativeMB.toFixed(0),
      String(s.reindexPeakRssMB),
      String(r.buildPeakRssMB),
      String(s.openMs),
      s.answers.perCoreSecond.toFixed(0),
    ];
  });
  const table = markdownTable(
    [
      "passages",
      "articles",
      "index MB",
      "build s",
      "RSS before index MB",
      "RSS opened MB",
      "RSS serving MB",
      "heap MB",
      "native MB",
      "peak RSS reindexing MB",
      "peak RSS full build MB",
      "open ms",
      "answers/s per core",
    ],
    rows,
  );
  const fits = markdownTable(
    ["measure (MB ≈ fixed + per 100k × passages / 100,000)", "fixed MB", "per 100k passages MB", "R²", "at 100k MB"],
    scaleFits(results).map((f) => [
      f.name,
      f.fixedMB.toFixed(1),
      f.per100kMB.toFixed(1),
      f.r2.toFixed(4),
      f.at100kMB.toFixed(1),
    ]),
    1,
  );
  const questions = results[0]?.serve.answers.count ?? 0;
  return [
    "One replica per size: a fresh process opens the built index as npm start does (default local embedder),",
    `then answers ${questions} generated questions one after another. MB are 10^6 bytes, read after a full GC.`,
    "",
    table,
    "",
    "Least-squares lines through the sizes:",
    "",
    fits,
  ].join("\n");
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
