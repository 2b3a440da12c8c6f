import { readFile } from "node:fs/promises";

/** A question the corpus answers, with a span a correct answer must contain. */
export interface AnswerableQuestion {
  readonly id: string;
  readonly question: string;
  /** An exact substring of an article that a correct answer contains. */
  readonly gold: string;
  readonly style: string;
}

/** A question the corpus does not answer; a near miss is on-topic but not covered. */
export interface UnanswerableQuestion {
  readonly id: string;
  readonly question: string;
  readonly nearMiss: boolean;
}

export interface EvalSet {
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
  const set = parsed as Partial<EvalSet>;
  if (!Array.isArray(set.answerable) || !Array.isArray(set.unanswerable))
    throw new Error(`${path}: needs "answerable" and "unanswerable" arrays`);
  for (const q of set.answerable) {
    if (typeof q?.question !== "string" || typeof q.gold !== "string" || typeof q.id !== "string")
      throw new Error(`${path}: answerable entries need id, question and gold`);
  }
  for (const q of set.unanswerable) {
    if (typeof q?.question !== "string" || typeof q.id !== "string")
      throw new Error(`${path}: unanswerable entries need id and question`);
  }
  return { answerable: set.answerable, unanswerable: set.unanswerable };
}
