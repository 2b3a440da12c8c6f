import type { Briefing, BriefingCorpus, BriefingPoint } from "./briefing.js";

// The parts of a briefing every transport shows (title, summary, changes line, corpus version,
// sections), so Discord, the terminal and the Markdown document word it alike.

/** Characters of the manifest's corpus checksum shown as the corpus version (as /status shows it). */
export const CORPUS_VERSION_CHARS = 12;

/** "3f9a1c2b7d4e, built 2025-06-18T08:59:12.000Z": which corpus a briefing was made from. */
export function corpusVersion(corpus: BriefingCorpus): string {
  return `${corpus.checksum.slice(0, CORPUS_VERSION_CHARS)}, built ${corpus.builtAt}`;
}

/** "Briefing: Taiwan" or "Briefing: the whole corpus". */
export function briefingTitle(briefing: Briefing): string {
  return `Briefing: ${briefing.topic ?? "the whole corpus"}`;
}

/** One line saying what a briefing holds, or that the corpus does not cover its topic. */
export function briefingSummary(briefing: Briefing): string {
  const n = briefing.points.length;
  const articles = `${briefing.corpus.articles} article${briefing.corpus.articles === 1 ? "" : "s"}`;
  if (!briefing.covered) {
    if (briefing.topic === null) return `The corpus has nothing to brief on.`;
    return `The corpus does not cover “${briefing.topic}”. ${n > 0 ? `The nearest passages are quoted below; none of them is about it.` : "Its words are too common to look for."}`;
  }
  const fewer = n < briefing.requested ? ` (${briefing.requested} asked for; the corpus has no more on this)` : "";
  return `${n} key point${n === 1 ? "" : "s"} from ${articles}${fewer}, each quoted and cited.`;
}

/** "3 new passages since the briefing of 2025-06-17 09:00 UTC; new points are marked 🆕." */
export function changesLine(briefing: Briefing): string | null {
  const c = briefing.changes;
  if (!c) return null;
  const marked = briefing.points.some((p) => p.isNew)
    ? "; new points are marked 🆕"
    : "; none of them is among these points";
  return `The corpus changed since the briefing of ${utcMinute(c.since)}: ${c.newPassages} new passage${c.newPassages === 1 ? "" : "s"}${c.newPassages > 0 ? marked : ""}.`;
}

/** "2025-06-18 09:00 UTC" */
export function utcMinute(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** Consecutive points under the same heading, as sections to render. */
export function briefingSections(briefing: Briefing): { heading: string; points: BriefingPoint[] }[] {
  const sections: { heading: string; points: BriefingPoint[] }[] = [];
  for (const p of briefing.points) {
    const last = sections[sections.length - 1];
    if (last && last.heading === p.heading) last.points.push(p);
    else sections.push({ heading: p.heading, points: [p] });
  }
  return sections;
}
