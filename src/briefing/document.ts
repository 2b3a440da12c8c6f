import { type Briefing, type BriefingCorpus, briefingSections, NEAREST_HEADING } from "./briefing.js";

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

/**
 * The briefing as a Markdown document a team can hand on: title, date, corpus version, then
 * the points under their headings, each with its whole passage quoted and its source, and the
 * list of sources at the end.
 */
export function briefingMarkdown(briefing: Briefing, generatedAt: Date): string {
  const c = briefing.corpus;
  const lines = [
    `# ${briefingTitle(briefing)}`,
    "",
    `- Date: ${utcMinute(generatedAt.toISOString())}`,
    `- Corpus version: ${corpusVersion(c)} (${c.articles} article${c.articles === 1 ? "" : "s"}, ${c.passages} passages)`,
    `- Method: ${briefing.method}`,
    "",
    briefingSummary(briefing),
  ];
  const changes = changesLine(briefing);
  if (changes) lines.push("", changes);
  for (const section of briefingSections(briefing)) {
    lines.push("", `## ${section.heading}`);
    for (const p of section.points) {
      const cite = p.citations.map((x) => `[${x.n}]`).join(" ");
      lines.push("", `- ${p.isNew ? "🆕 " : ""}${p.text} ${cite}`);
      for (const x of p.citations) {
        lines.push("", ...quote(x.text), "  >", `  > — ${x.title}, ${x.location} (${x.source})`);
      }
    }
  }
  if (briefing.citations.length > 0) {
    lines.push("", "## Sources", "");
    for (const x of briefing.citations)
      lines.push(`${x.n}. ${x.title}, ${x.location} — \`${x.source}\`${x.url ? ` <${x.url}>` : ""} (passage ${x.id})`);
  }
  if (!briefing.covered && briefing.points.some((p) => p.heading === NEAREST_HEADING)) {
    lines.push("", "_These passages are the nearest the corpus has; Passage answers only from its articles._");
  }
  return `${lines.join("\n")}\n`;
}

function quote(text: string): string[] {
  return text.split(/\r?\n/).map((l) => `  > ${l}`);
}

/** A file name for the document: "briefing-taiwan-2025-06-18.md", "briefing-whole-corpus-…". */
export function briefingFileName(briefing: Briefing, generatedAt: Date): string {
  const slug =
    (briefing.topic ?? "whole corpus")
      .normalize("NFKD")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 40)
      .replace(/-+$/, "") || "topic";
  return `briefing-${slug}-${generatedAt.toISOString().slice(0, 10)}.md`;
}

/** The JSON a script prints: exactly topic, covered and the points with their citations. */
export interface BriefingJson {
  readonly topic: string | null;
  readonly covered: boolean;
  readonly points: readonly {
    readonly heading: string;
    readonly text: string;
    readonly citations: readonly {
      n: number;
      id: string;
      source: string;
      title: string;
      location: string;
      text: string;
    }[];
  }[];
}

export function briefingJson(briefing: Briefing): BriefingJson {
  return {
    topic: briefing.topic,
    covered: briefing.covered,
    points: briefing.points.map((p) => ({
      heading: p.heading,
      text: p.text,
      citations: p.citations.map((c) => ({
        n: c.n,
        id: c.id,
        source: c.source,
        title: c.title,
        location: c.location,
        text: c.text,
      })),
    })),
  };
}
