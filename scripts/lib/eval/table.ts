import { markdownTable } from "../markdown-table.js";
import type { EvalReport } from "./compare.js";

const f = (x: number | null) => (x === null ? "n/a" : x.toFixed(3));

/** The report as `npm run eval` prints it: one line about the set, then a row per system. */
export function evalTable(report: EvalReport): string {
  const header = [
    "system",
    "R@1",
    "R@3",
    "R@5",
    "MRR",
    "answer hit",
    "false abst.",
    "abst. unans.",
    "abst. near miss",
    "abst. off-topic",
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
    f(s.nearMissAbstentionRate),
    f(s.offTopicAbstentionRate),
    f(s.citationPrecision),
    s.latencyMs.p50.toFixed(2),
    s.latencyMs.p95.toFixed(2),
  ]);
  return [
    `${report.set}: ${report.answerable} answerable, ${report.unanswerable} unanswerable questions ` +
      `(${report.nearMisses} near ${report.nearMisses === 1 ? "miss" : "misses"}, ${report.offTopic} off-topic); ` +
      `${report.passages} passages`,
    "",
    markdownTable(header, rows, 1),
  ].join("\n");
}

/**
 * Answer hit per phrasing style of the answerable questions: a row per style with its count,
 * a column per system, false abstentions in brackets.
 */
export function styleTable(report: EvalReport): string {
  const styles = Object.entries(report.systems[0]?.byStyle ?? {}).map(([style, s]) => [style, s.questions] as const);
  const rows = styles.map(([style, n]) => [
    style,
    String(n),
    ...report.systems.map((s) => {
      const scores = s.byStyle[style];
      return scores ? `${f(scores.answerHitRate)} (${f(scores.falseAbstentionRate)})` : "n/a";
    }),
  ]);
  return [
    "Answer hit by style (false abstentions in brackets):",
    "",
    markdownTable(["style", "n", ...report.systems.map((s) => s.system)], rows, 1),
  ].join("\n");
}

/** What verification did to each model-using system's answers, or null when none used a model. */
export function generationTable(report: EvalReport): string | null {
  const rows = report.systems.flatMap((s) =>
    s.generation
      ? [
          [
            s.system,
            String(s.generation.answers),
            String(s.generation.kept),
            String(s.generation.removed),
            f(s.generation.keptShare),
            String(s.generation.unavailable),
          ],
        ]
      : [],
  );
  if (rows.length === 0) return null;
  return [
    "Generated answers (sentences kept and removed by verification):",
    "",
    markdownTable(["system", "answers", "kept", "removed", "kept share", "model unavailable"], rows, 1),
  ].join("\n");
}
