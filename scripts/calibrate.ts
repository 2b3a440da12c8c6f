import { ABSTENTION_MODEL } from "../src/answer/abstention.js";
import { Answerer } from "../src/answer/answerer.js";
import { errorMessage } from "../src/errors.js";
import { fail, startScript, withTemporaryIndex } from "./cli.js";
import { calibrationReport, evidenceOf, fitLogistic, type LabelledEvidence } from "./lib/eval/calibrate.js";
import { loadEvalSet } from "./lib/eval/eval-set.js";

const USAGE = `
Usage: npm run calibrate -- [--set FILE]... [--json]

Fits the abstention model (src/answer/abstention.ts) on development sets (default the seed
article's, test/fixtures/dev-questions.json, and five encyclopedic corpora's,
test/fixtures/wiki/, wiki2/, wiki4/, wiki5/ and wiki6/dev-questions.json): a logistic regression of "the question is answerable"
on the evidence of the best sentence, with both classes weighted equally, over the questions no
rule refuses (a sentence without what is asked, or contradicting the question). Prints the
fitted model to paste into ABSTENTION_MODEL, and how the current and fitted models decide on
the sets. Never fit on a held-out set (test/eval): it measures, it does not train.

Options:
  --set FILE  a development set (repeat for several; each may name its corpus folder)
  --json      print the fitted model as JSON
  -h, --help  show this help
`;

const DEFAULT_SETS = [
  "test/fixtures/dev-questions.json",
  "test/fixtures/wiki/dev-questions.json",
  "test/fixtures/wiki2/dev-questions.json",
  "test/fixtures/wiki4/dev-questions.json",
  "test/fixtures/wiki5/dev-questions.json",
  "test/fixtures/wiki6/dev-questions.json",
];
const { values, config } = startScript(
  USAGE,
  { set: { type: "string", multiple: true, default: DEFAULT_SETS }, json: { type: "boolean" } },
  false,
);
try {
  const names = values.set ?? DEFAULT_SETS;
  const rows: LabelledEvidence[] = [];
  for (const name of names) {
    const set = await loadEvalSet(name);
    // Threshold 0: the model never abstains, so every question no rule refuses yields its best sentence's evidence.
    const found = await withTemporaryIndex(set.corpus ?? config.corpusDir, ({ indexes, embedder, concepts }) =>
      evidenceOf(
        set,
        new Answerer(indexes.current, embedder, concepts, {
          extractive: { abstention: { ...ABSTENTION_MODEL, threshold: 0 } },
        }),
      ),
    );
    rows.push(...found);
  }
  const fitted = fitLogistic(rows);
  process.stdout.write(
    values.json ? `${JSON.stringify(fitted)}\n` : `${calibrationReport(rows, fitted, names.join(" and "))}\n`,
  );
} catch (error) {
  fail(`Calibration failed: ${errorMessage(error)}`, 1);
}
