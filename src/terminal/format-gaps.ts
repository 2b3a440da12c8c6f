import type { GapsReport } from "../commands/feedback.js";

/**
 * A gaps report as moderators read it in a terminal: each merged question with how often it
 * came up, its other wordings, and, for voted-down answers, the passage cited and the comments.
 */
export function formatGaps(report: GapsReport): string {
  const period = `the last ${report.days} day${report.days === 1 ? "" : "s"}`;
  if (report.total === 0) return `No gaps in ${period}: every question was answered and no answer was voted down.`;
  const lines = [
    `Gaps in ${period}: ${report.rows} question${report.rows === 1 ? "" : "s"} in ${report.total} group${report.total === 1 ? "" : "s"}, most frequent first${report.total > report.groups.length ? ` (the first ${report.groups.length} shown)` : ""}.`,
  ];
  report.groups.forEach((g, i) => {
    const why = [
      g.abstained > 0 ? `${g.abstained} unanswered` : null,
      g.votedDown > 0 ? `${g.votedDown} voted down` : null,
    ].filter((w) => w !== null);
    lines.push("", `${i + 1}. ×${g.count}  ${g.question}  (${why.join(", ")})`);
    const others = g.wordings.slice(1, 4);
    if (others.length > 0)
      lines.push(
        `     also asked as: ${others.map((w) => `“${w}”`).join(" · ")}${g.wordings.length > 4 ? ` and ${g.wordings.length - 4} more` : ""}`,
      );
    if (g.passageId !== null)
      lines.push(
        `     cited: ${g.passage ? `${g.passage.title}, ${g.passage.location} (${g.passage.source})` : `${g.passageId} (no longer in the index)`}`,
      );
    for (const c of g.comments.slice(0, 3)) lines.push(`     👎 “${c}”`);
  });
  return lines.join("\n");
}

/** A gaps report as `npm run gaps -- --json` prints it (the CSV left out: `--csv` prints that). */
export function gapsJson(report: GapsReport): Omit<GapsReport, "csv"> {
  const { csv: _csv, ...rest } = report;
  return rest;
}
