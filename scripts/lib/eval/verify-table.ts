import { markdownTable } from "../markdown-table.js";
import type { GroupScore, VerifyReport } from "./verify-eval.js";

const percent = (s: GroupScore) => `${(s.rate * 100).toFixed(1)}%`;

/** The headline rates and the per-kind table of a verifier evaluation. */
export function verifyTables(report: VerifyReport): string {
  const headline = markdownTable(
    ["set", "items", "faithful kept", "unfaithful rejected"],
    [
      [
        report.set,
        String(report.items),
        `${percent(report.faithfulKept)} (${report.faithfulKept.correct}/${report.faithfulKept.items})`,
        `${percent(report.unfaithfulRejected)} (${report.unfaithfulRejected.correct}/${report.unfaithfulRejected.items})`,
      ],
    ],
    1,
  );
  const kinds = Object.entries(report.byKind).sort(
    ([a, x], [b, y]) => Number(y.faithful) - Number(x.faithful) || a.localeCompare(b),
  );
  const perKind = markdownTable(
    ["kind", "faithful", "items", "judged right", "rate"],
    kinds.map(([kind, s]) => [kind, s.faithful ? "yes" : "no", String(s.items), String(s.correct), percent(s)]),
    2,
  );
  const reasons = Object.entries(report.faithfulRemovedBy).sort(([, a], [, b]) => b - a);
  const removed =
    reasons.length === 0
      ? "No faithful sentence was removed."
      : `Faithful sentences removed, by reason: ${reasons.map(([r, n]) => `${r} ${n}`).join(", ")}.`;
  return [headline, perKind, removed].join("\n\n");
}

/** One line per wrong verdict: what it was, what verification said, and the sentence. */
export function wrongVerdicts(report: VerifyReport): string {
  const wrong = report.results.filter((r) => !r.correct);
  if (wrong.length === 0) return "Every verdict was right.";
  return wrong
    .map((r) => {
      const said = r.kept
        ? "kept"
        : `removed: ${r.reason}${r.detail && r.detail.length > 0 ? ` [${r.detail.join(", ")}]` : ""}`;
      return `${r.id} ${r.faithful ? "faithful" : "unfaithful"} ${r.kind} — ${said}\n  ${r.sentence}`;
    })
    .join("\n");
}
