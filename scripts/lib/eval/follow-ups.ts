import { readFile } from "node:fs/promises";
import { z } from "zod";
import { ask } from "../../../src/commands/ask.js";
import { askFollowUp } from "../../../src/commands/follow-up.js";
import type { Services } from "../../../src/commands/services.js";

const SET = z.object({
  about: z.string().optional(),
  /** The folder of the articles, relative to the repository root (default: the configured corpus). */
  corpus: z.string().optional(),
  pairs: z
    .array(z.object({ previous: z.string().min(1), followUp: z.string().min(1), gold: z.string().min(1) }))
    .min(1),
});

/** A set of follow-ups, each after the question asked before it, with the span its answer must quote. */
export type FollowUpSet = z.output<typeof SET>;

/** Reads and checks a follow-up set; throws an Error naming the file and the problem. */
export async function loadFollowUpSet(file: string): Promise<FollowUpSet> {
  const parsed = SET.safeParse(JSON.parse(await readFile(file, "utf8")));
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues[0]?.message ?? "not a follow-up set"}`);
  return parsed.data;
}

/** One follow-up's outcome, understood in context and asked alone. */
export interface FollowUpOutcome {
  readonly previous: string;
  readonly followUp: string;
  readonly understood: string;
  readonly hitInContext: boolean;
  readonly hitAlone: boolean;
}

/**
 * Answers each follow-up twice, in the context of the question before it (`askFollowUp`) and
 * alone (`ask`); a hit is a non-abstaining answer that quotes the gold span.
 */
export async function evaluateFollowUps(services: Services, set: FollowUpSet): Promise<FollowUpOutcome[]> {
  const out: FollowUpOutcome[] = [];
  for (const p of set.pairs) {
    const inContext = await askFollowUp(services, p.previous, p.followUp);
    const alone = await ask(services, p.followUp);
    out.push({
      previous: p.previous,
      followUp: p.followUp,
      understood: inContext.question,
      hitInContext: !inContext.abstained && inContext.answer.includes(p.gold),
      hitAlone: !alone.abstained && alone.answer.includes(p.gold),
    });
  }
  return out;
}
