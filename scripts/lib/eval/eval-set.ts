import { readFile } from "node:fs/promises";
import { z } from "zod";

const ANSWERABLE = z.object({
  id: z.string(),
  question: z.string(),
  /** An exact substring of an article that a correct answer contains. */
  gold: z.string(),
  /** How the question is phrased (direct, paraphrase, keyword, typo): for reading results, not scored. */
  style: z.string().optional(),
});

const UNANSWERABLE = z.object({
  id: z.string(),
  question: z.string(),
  /** On-topic but not covered, as opposed to off-topic: for reading results, not scored. */
  nearMiss: z.boolean().optional(),
});

/** The file format of an evaluation set. */
const EVAL_SET = z.object({
  /** The corpus folder the questions are about, relative to the repository root (default: the configured one). */
  corpus: z.string().optional(),
  answerable: z.array(ANSWERABLE).readonly(),
  unanswerable: z.array(UNANSWERABLE).readonly(),
});

/** A question the corpus answers, with a span a correct answer must contain. */
export type AnswerableQuestion = Readonly<z.output<typeof ANSWERABLE>>;

/** A question the corpus does not answer; a near miss is on-topic but not covered. */
export type UnanswerableQuestion = Readonly<z.output<typeof UNANSWERABLE>>;

export interface EvalSet {
  /** The corpus folder the questions are about, when it is not the configured corpus. */
  readonly corpus?: string | undefined;
  readonly answerable: readonly AnswerableQuestion[];
  readonly unanswerable: readonly UnanswerableQuestion[];
}

/** Reads and checks an evaluation set file; throws with the file name and the first problem. */
export async function loadEvalSet(path: string): Promise<EvalSet> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`);
  }
  const result = EVAL_SET.safeParse(parsed);
  if (!result.success) throw new Error(`${path}: ${problem(result.error.issues)}`);
  return result.data;
}

/**
 * What is wrong, in one phrase. A missing array is said before a bad entry, whichever array
 * the entry is in, so the reader fixes the shape of the file first.
 */
function problem(issues: readonly z.core.$ZodIssue[]): string {
  const issue = issues.find((i) => i.path.length <= 1) ?? issues[0];
  if (issue === undefined || issue.path.length <= 1) return 'needs "answerable" and "unanswerable" arrays';
  return issue.path[0] === "answerable"
    ? "answerable entries need id, question and gold"
    : "unanswerable entries need id and question";
}
