import { markdownTable } from "../markdown-table.js";
import type { EvalReport } from "./compare.js";

/** The report as `npm run eval` prints it: one line about the set, then a row per system. */
export function evalTable(report: EvalReport): string {
  const f = (x: number) => x.toFixed(3);
  const header = [
    "system",
    "R@1",
    "R@3",
    "R@5",
    "MRR",
    "answer hit",
    "false abst.",
    "abst. unans.",
    "cite prec.",
    "p50 ms",
    "p95 ms",
  ];
  const rows = report.systems.map((s) => [
    s.system,
    f(s.recallAt1),
    f(s.recallAt3),
    f(s.recallAt5),
    f(s.mrr),
    f(s.answerHitRate),
    f(s.falseAbstentionRate),
    f(s.abstentionRate),
    f(s.citationPrecision),
    s.latencyMs.p50.toFixed(2),
    s.latencyMs.p95.toFixed(2),
  ]);
  return [
    `${report.set}: ${report.answerable} answerable, ${report.unanswerable} unanswerable questions; ${report.passages} passages`,
    "",
    markdownTable(header, rows, 1),
  ].join("\n");
}
