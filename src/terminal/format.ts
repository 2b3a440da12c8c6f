import type { Answer } from "../answer/answer.js";
import { describeCorpus, describeUsage, type StatusReport } from "../commands/status.js";
import { truncate } from "../text/truncate.js";

/** Longest excerpt of a passage shown under an answer in the terminal. */
const EXCERPT_CHARS = 220;

/**
 * An answer as a person reads it in a terminal: the reply, then the numbered sources. An
 * overview's lines (its opening line, then one "• point [n]" each) are wrapped one by one.
 */
export function formatAnswer(answer: Answer, width = 100): string {
  const body = answer.kind === "overview" ? answer.answer.split("\n") : [answer.answer];
  const lines = body.map((line) =>
    line.startsWith("• ") ? `  • ${wrap(line.slice(2), width - 4, "    ").trimStart()}` : wrap(line, width),
  );
  lines.push("", formatSources(answer, width));
  return lines.join("\n").trimEnd();
}

/**
 * What follows an answer's text: the numbered sources (or closest passages), then, when a model
 * was configured, a line on how the answer was made.
 */
export function formatSources(answer: Answer, width = 100): string {
  const lines: string[] = [];
  if (answer.citations.length > 0) {
    lines.push(answer.abstained ? "Closest passages:" : "Sources:");
    for (const c of answer.citations) {
      lines.push(`  [${c.n}] ${c.title}, ${c.location} (${c.source})`);
      lines.push(wrap(`“${truncate(c.text, EXCERPT_CHARS)}”`, width - 6, "      "));
    }
  }
  const made = madeBy(answer);
  if (made) lines.push("", wrap(made, width));
  return lines.join("\n");
}

/** How the answer was made, when a model was involved; null for the offline quoted answer. */
function madeBy(answer: Answer): string | null {
  if (answer.generated) {
    const { model, removed } = answer.generated;
    const dropped = removed > 0 ? ` ${removed} unsupported sentence${removed === 1 ? " was" : "s were"} removed.` : "";
    return answer.abstained
      ? `(${model} wrote nothing its sources support.${dropped})`
      : `(Written by ${model}; every sentence was checked against the passage it cites.${dropped})`;
  }
  if (answer.modelUnavailable)
    return `(${answer.modelUnavailable.model} was unavailable — ${answer.modelUnavailable.reason} — so this is quoted.)`;
  return null;
}

/** The status report as aligned lines. */
export function formatStatus(s: StatusReport): string {
  return [
    `Passage ${s.version}`,
    `Articles:  ${s.articles}`,
    `Passages:  ${s.passages}`,
    `Built at:  ${s.builtAt}`,
    `Embedder:  ${s.embedder}`,
    `Corpus:    ${describeCorpus(s)}`,
    `Answers:   ${s.answerModel ? `written by ${s.answerModel}, verified` : "quoted"}`,
    `Usage:     ${describeUsage(s.usage)}`,
    `Uptime:    ${s.uptimeSeconds} s${s.rebuilding ? " (reindexing now)" : ""}`,
  ].join("\n");
}

/** Wraps text to `width` columns on word boundaries, each line starting with `indent`. */
export function wrap(text: string, width: number, indent = ""): string {
  const out: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      out.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(indent + line);
  return out.join("\n");
}
