import { readFile } from "node:fs/promises";
import { z } from "zod";

const PASSAGE_REF = z.object({
  /** The article file, relative to the corpus folder (a passage's `metadata.source`). */
  file: z.string().min(1),
  /** Text that occurs in exactly one passage of that file (white space aside). */
  text: z.string().min(1),
});

const ITEM = z.object({
  id: z.string().min(1),
  /** The corpus folder, relative to the repository root ("corpus", "test/fixtures/wiki2/corpus"). */
  corpus: z.string().min(1),
  /** The passages the model was given, numbered from 1 in this order. */
  passages: z.array(PASSAGE_REF).min(1),
  /** One sentence as a model would write it, markers and all. */
  sentence: z.string().min(1),
  /** Whether the cited passages say what the sentence says: the verdict verification should give. */
  faithful: z.boolean(),
  /** How the sentence was written ("paraphrase", "changed-number"…): for reading results. */
  kind: z.string().min(1),
});

const VERIFY_SET = z.object({
  description: z.string().optional(),
  items: z.array(ITEM).min(1),
});

/** Where one passage given to the model is: its article and text only it contains. */
export type PassageRef = Readonly<z.output<typeof PASSAGE_REF>>;

/** One sentence to verify, the passages it was written from, and whether it is faithful to them. */
export type VerifyItem = Readonly<z.output<typeof ITEM>>;

/** A verifier evaluation set. */
export interface VerifySet {
  readonly items: readonly VerifyItem[];
}

/** Reads and checks a verifier evaluation set; throws with the file name and the first problem, on one line. */
export async function loadVerifySet(path: string): Promise<VerifySet> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message.split("\n")[0]}`);
  }
  const result = VERIFY_SET.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join(".") : "the file";
    throw new Error(
      `${path}: ${where}: ${issue?.message ?? "invalid"} (needs {"items": [{id, corpus, passages: [{file, text}], sentence, faithful, kind}]})`,
    );
  }
  const seen = new Set<string>();
  for (const item of result.data.items) {
    if (seen.has(item.id)) throw new Error(`${path}: duplicate id "${item.id}"`);
    seen.add(item.id);
  }
  return { items: result.data.items };
}
