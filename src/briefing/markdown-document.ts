import { type Briefing, NEAREST_HEADING } from "./briefing.js";
import {
  briefingSections,
  briefingSummary,
  briefingTitle,
  changesLine,
  corpusVersion,
  utcMinute,
} from "./presentation.js";

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
