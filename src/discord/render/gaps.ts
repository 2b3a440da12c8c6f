import type { APIEmbed } from "discord.js";
import type { GapEntry, GapsReport } from "../../commands/feedback.js";
import { safeText } from "../escape.js";
import { fitEmbed, truncate } from "../limits.js";
import { COLOURS } from "./message.js";

/** Characters of an example wording or a comment in the list; the CSV has them in full. */
const QUESTION_CHARS = 160;
const COMMENT_CHARS = 120;

/**
 * `/gaps` as an embed: one numbered line per merged question, most frequent first, with how
 * often it was abstained on and voted down, the passage a voted-down answer cited, and the
 * latest 👎 comment. Escaped, so a member's question cannot ping or format.
 */
export function renderGaps(report: GapsReport): APIEmbed {
  const lines = report.groups.map((g, i) => gapLine(g, i + 1));
  const period = `the last ${report.days} day${report.days === 1 ? "" : "s"}`;
  const description =
    lines.length === 0
      ? `No abstentions and no answers voted down in ${period}. Nothing to add to the corpus for now.`
      : lines.join("\n");
  const shown = report.groups.length < report.total ? ` · showing ${report.groups.length}` : "";
  return fitEmbed({
    color: COLOURS.abstain,
    title: `What Passage could not answer, ${period}`,
    description,
    footer: {
      text: `${report.total} question${report.total === 1 ? "" : "s"} (${report.rows} asked, near-duplicates merged)${shown} · all in the attached CSV`,
    },
  });
}

function gapLine(g: GapEntry, n: number): string {
  const why: string[] = [];
  if (g.abstained > 0) why.push(`abstained ${g.abstained}×`);
  if (g.votedDown > 0) why.push(`👎 ${g.votedDown}×`);
  const cited = g.passage ? ` · cited ${safeText(`${g.passage.title}, ${g.passage.location}`)}` : "";
  const comment = g.comments[0] ? ` · “${safeText(truncate(g.comments[0], COMMENT_CHARS))}”` : "";
  return `${n}. **${g.count}×** ${safeText(truncate(g.question, QUESTION_CHARS))} (${why.join(", ")})${cited}${comment}`;
}
