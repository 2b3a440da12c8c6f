import type { GapRow } from "./answer-log.js";

/** How alike two questions are, from 0 (nothing shared) to 1 (the same). */
export type QuestionSimilarity = (a: string, b: string) => number;

/**
 * Questions merge into a group when their mean similarity to the group's questions reaches this.
 * Calibrated on test/fixtures/gap-paraphrases.json (12 groups of paraphrases about the seed
 * article, near misses of one another) with {@link localQuestionSimilarity}; see docs/feedback.md.
 */
export const MERGE_THRESHOLD = 0.3;

/** Near-duplicate gap questions merged: what moderators read in /gaps. */
export interface GapGroup {
  /** One example wording: the group's most frequent; among ties a well-formed one, then the latest. */
  readonly question: string;
  /** How many times it was asked (abstentions) or its answers voted down, in all. */
  readonly count: number;
  readonly abstained: number;
  readonly votedDown: number;
  /** Every distinct wording, most frequent first. */
  readonly wordings: readonly string[];
  /** For voted-down answers, the passage they cited most often; null when none was voted down. */
  readonly passageId: string | null;
  /** The 👎 comments, newest first. */
  readonly comments: readonly string[];
  /** When it was last asked (ISO 8601). */
  readonly lastAt: string;
  /** The logged answers merged into the group. */
  readonly answerIds: readonly string[];
}

/**
 * Merges near-duplicate questions among `rows` and counts them, most frequent first (then most
 * recent). Average linkage: a question joins the group whose questions it is most similar to on
 * average, when that mean reaches `threshold`; otherwise it starts a group. The mean, unlike the
 * best single match, keeps a chain of loosely related questions from collapsing into one group.
 * Rows are taken oldest first, so the result does not depend on the order they came in.
 */
export function findGaps(
  rows: readonly GapRow[],
  similarity: QuestionSimilarity,
  threshold: number = MERGE_THRESHOLD,
): GapGroup[] {
  const ordered = [...rows].sort((a, b) => a.at.localeCompare(b.at) || a.answerId.localeCompare(b.answerId));
  const groups: GapRow[][] = [];
  const key = (q: string) =>
    q
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, " ")
      .trim();
  for (const row of ordered) {
    let best: GapRow[] | null = null;
    let bestScore = -Infinity;
    for (const group of groups) {
      // The same wording is always the same question, whatever the similarity says.
      const score = group.some((r) => key(r.question) === key(row.question))
        ? 1
        : group.reduce((sum, r) => sum + similarity(r.question, row.question), 0) / group.length;
      if (score > bestScore) {
        best = group;
        bestScore = score;
      }
    }
    if (best && bestScore >= threshold) best.push(row);
    else groups.push([row]);
  }
  return groups.map(summarize).sort((a, b) => b.count - a.count || b.lastAt.localeCompare(a.lastAt));
}

function summarize(rows: readonly GapRow[]): GapGroup {
  const wordings = new Map<string, { count: number; lastAt: string }>();
  for (const r of rows) {
    const w = wordings.get(r.question);
    wordings.set(r.question, {
      count: (w?.count ?? 0) + 1,
      lastAt: r.at > (w?.lastAt ?? "") ? r.at : (w?.lastAt ?? r.at),
    });
  }
  // Among equally frequent wordings the example is a well-formed one ("What…?" over "what…"), then the latest.
  const wellFormed = (q: string) => (/^\p{Lu}/u.test(q) ? 1 : 0) + (q.endsWith("?") ? 1 : 0);
  const byFrequency = [...wordings.entries()]
    .sort(
      ([qa, a], [qb, b]) => b.count - a.count || wellFormed(qb) - wellFormed(qa) || b.lastAt.localeCompare(a.lastAt),
    )
    .map(([q]) => q);
  const down = rows.filter((r) => r.reason === "voted-down");
  const cited = new Map<string, number>();
  for (const r of down) {
    const first = r.passageIds[0];
    if (first !== undefined) cited.set(first, (cited.get(first) ?? 0) + 1);
  }
  const passageId = [...cited.entries()].sort(([a, x], [b, y]) => y - x || a.localeCompare(b))[0]?.[0] ?? null;
  const newestFirst = [...rows].reverse();
  return {
    question: byFrequency[0] ?? "",
    count: rows.length,
    abstained: rows.length - down.length,
    votedDown: down.length,
    wordings: byFrequency,
    passageId,
    comments: newestFirst.flatMap((r) => r.comments),
    // Rows arrive oldest first (findGaps sorts them), so the last is the latest.
    lastAt: rows[rows.length - 1]?.at ?? "",
    answerIds: rows.map((r) => r.answerId),
  };
}

/** Columns of {@link gapsCsv}, in order. */
export const GAPS_CSV_HEADER = [
  "count",
  "abstained",
  "voted_down",
  "question",
  "other_wordings",
  "passage",
  "comments",
  "last_asked",
] as const;

/**
 * The groups as CSV (RFC 4180: CRLF line ends, fields with a comma, quote or line break quoted,
 * quotes doubled). A cell that starts with `=`, `+`, `-` or `@` is prefixed with `'`, so a
 * spreadsheet shows a question such as "=HYPERLINK(…)" as text instead of running it.
 * `passageLabel` turns a passage id into what moderators read (default: the id).
 */
export function gapsCsv(groups: readonly GapGroup[], passageLabel: (id: string) => string = (id) => id): string {
  const lines = [GAPS_CSV_HEADER.join(",")];
  for (const g of groups) {
    lines.push(
      [
        String(g.count),
        String(g.abstained),
        String(g.votedDown),
        g.question,
        g.wordings.slice(1).join(" | "),
        g.passageId === null ? "" : passageLabel(g.passageId),
        g.comments.join(" | "),
        g.lastAt,
      ]
        .map(csvCell)
        .join(","),
    );
  }
  return `${lines.join("\r\n")}\r\n`;
}

/** One CSV field, defused and quoted as needed. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
