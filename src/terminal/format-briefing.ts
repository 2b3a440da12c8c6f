import type { Briefing } from "../briefing/briefing.js";
import {
  briefingSections,
  briefingSummary,
  briefingTitle,
  changesLine,
  corpusVersion,
} from "../briefing/presentation.js";
import { truncate } from "../text/truncate.js";
import { wrap } from "./format.js";

/** Longest excerpt of a cited passage listed under a briefing in the terminal. */
const EXCERPT_CHARS = 160;

/** A briefing as a person reads it in a terminal: title, summary, points under headings, sources. */
export function formatBriefing(briefing: Briefing, width = 100): string {
  const lines = [
    briefingTitle(briefing),
    `Corpus ${corpusVersion(briefing.corpus)}`,
    "",
    wrap(briefingSummary(briefing), width),
  ];
  const changes = changesLine(briefing);
  if (changes) lines.push(wrap(changes, width));
  for (const section of briefingSections(briefing)) {
    lines.push("", section.heading);
    for (const p of section.points) {
      const text = `${p.isNew ? "🆕 " : ""}${p.text} ${p.citations.map((c) => `[${c.n}]`).join(" ")}`;
      lines.push(`  • ${wrap(text, width - 4, "    ").trimStart()}`);
    }
  }
  if (briefing.citations.length > 0) {
    lines.push("", "Sources:");
    for (const c of briefing.citations) {
      lines.push(`  [${c.n}] ${c.title}, ${c.location} (${c.source})`);
      lines.push(wrap(`“${truncate(c.text, EXCERPT_CHARS)}”`, width - 6, "      "));
    }
  }
  return lines.join("\n");
}
