import { markdownTable } from "../markdown-table.js";
import { renderChart } from "./chart.js";
import type { GenerationBench } from "./generation.js";
import type { BenchResult } from "./measure.js";

/** Results as `npm run bench -- --json` prints them: one JSON object per line. */
export function parseBenchResults(jsonLines: string): BenchResult[] {
  const lines = jsonLines.split("\n").filter((l) => l.trim().length > 0);
  return lines.map((l) => JSON.parse(l) as BenchResult);
}

/** The results as `npm run bench` prints them: the setup in one line, then a row per size. */
export function benchTable(results: readonly BenchResult[]): string {
  const header = [
    "passages",
    "build s",
    "passages/s",
    "peak RSS MB",
    "index MB",
    "load ms",
    "answerer ms",
    "retrieval p50/p95 ms",
    "answer p50/p95 ms",
    "HNSW p95 ms",
    "exact p95 ms",
    "recall@10",
    "reindex 1 article: bot s (of full)",
    "from disk s (of full)",
  ];
  const rows = results.map((r) => [
    String(r.passages),
    r.buildSeconds.toFixed(1),
    String(r.passagesPerSecond),
    String(r.peakRssMB),
    (r.indexBytes / 1e6).toFixed(0),
    r.loadMs.toFixed(0),
    r.answererMs.toFixed(0),
    `${r.retrieval.p50Ms.toFixed(2)} / ${r.retrieval.p95Ms.toFixed(2)}`,
    `${r.answer.p50Ms.toFixed(2)} / ${r.answer.p95Ms.toFixed(2)}`,
    r.dense.p95Ms.toFixed(2),
    r.exact.p95Ms.toFixed(2),
    r.recallAt10.toFixed(3),
    `${r.incremental.seconds.toFixed(2)} (${(r.incremental.ratio * 100).toFixed(1)} %)`,
    r.incremental.fromDisk
      ? `${r.incremental.fromDisk.seconds.toFixed(2)} (${(r.incremental.fromDisk.ratio * 100).toFixed(1)} %)`
      : "–",
  ]);
  const first = results[0];
  const setup = first
    ? `embedder ${first.embedder}; HNSW M ${first.hnsw.m}, efConstruction ${first.hnsw.efConstruction}, efSearch ${first.hnsw.efSearch}; ${first.questions} questions per size`
    : "no results";
  return [setup, "", markdownTable(header, rows)].join("\n");
}

/** An SVG chart of latency and build time against corpus size, with the targets dashed. */
export function benchChart(results: readonly BenchResult[]): string {
  const by = (f: (r: BenchResult) => number) => results.map((r) => [r.passages, f(r)] as const);
  const sizes = results.map((r) => r.passages);
  const flat = (y: number) => [[Math.min(...sizes), y] as const, [Math.max(...sizes), y] as const];
  const first = results[0];
  return renderChart(
    [
      {
        title: "Latency per question (p95)",
        yLabel: "milliseconds",
        series: [
          { name: "whole answer", color: "#d62728", points: by((r) => r.answer.p95Ms) },
          { name: "retrieval", color: "#1f77b4", points: by((r) => r.retrieval.p95Ms) },
          { name: "HNSW search", color: "#2ca02c", points: by((r) => r.dense.p95Ms) },
          { name: "exact search", color: "#7f7f7f", points: by((r) => r.exact.p95Ms) },
          { name: "answer target (20 ms)", color: "#d62728", dashed: true, points: flat(20) },
          { name: "retrieval target (5 ms)", color: "#1f77b4", dashed: true, points: flat(5) },
        ],
      },
      {
        title: "Build time",
        yLabel: "seconds",
        series: [
          { name: "full build", color: "#9467bd", points: by((r) => r.buildSeconds) },
          {
            name: "reindex after one article changed (running bot)",
            color: "#ff7f0e",
            points: by((r) => r.incremental.seconds),
          },
          {
            name: "same, npm run reindex (reads the index from disk)",
            color: "#8c564b",
            points: by((r) => r.incremental.fromDisk?.seconds ?? r.incremental.seconds),
          },
          { name: "target: 1,000 passages/s", color: "#9467bd", dashed: true, points: by((r) => r.passages / 1000) },
        ],
      },
    ],
    first
      ? `npm run bench · ${first.embedder.split("-").slice(0, 2).join("-")} · HNSW M ${first.hnsw.m}, efC ${first.hnsw.efConstruction}, ef ${first.hnsw.efSearch} · 2-core machine`
      : "npm run bench",
  );
}

/** What answering with a model adds, as `npm run bench` prints it: medians and p95, with ratios to the baselines. */
export function generationReport(g: GenerationBench): string {
  const ms = (s: { p50Ms: number; p95Ms: number }) => `${s.p50Ms.toFixed(2)} / ${s.p95Ms.toFixed(2)}`;
  const ratio = (a: number, b: number) => (b > 0 ? `×${(a / b).toFixed(2)}` : "n/a");
  const d = g.discord;
  return [
    `Answering with a model (seed article; a loopback fake streams a faithful answer, one word every ${d.tokenDelayMs} ms):`,
    "",
    markdownTable(
      ["measure", "p50 / p95 ms", "median against baseline"],
      [
        [
          `verifying one reply (${g.sentencesPerAnswer.toFixed(1)} sentences, ${g.answers} replies)`,
          ms(g.verification),
          `${ratio(g.verification.p50Ms, g.quotedAnswer.p50Ms)} the quoted answer`,
        ],
        ["baseline: the quoted answer (retrieval and decision)", ms(g.quotedAnswer), ""],
        [`Discord: INTERACTION_CREATE → deferral (${d.interactions} /ask)`, ms(d.defer), ""],
        [
          "Discord: INTERACTION_CREATE → first visible edit",
          ms(d.firstVisibleEdit),
          `${ratio(d.firstVisibleEdit.p50Ms, d.modelFirstSentence.p50Ms)} the model's first sentence`,
        ],
        ["Discord: INTERACTION_CREATE → final edit", ms(d.finalEdit), ""],
        ["baseline: the model's first sentence, read directly", ms(d.modelFirstSentence), ""],
      ],
      1,
    ),
  ].join("\n");
}
