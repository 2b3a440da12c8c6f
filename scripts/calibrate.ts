import { ABSTENTION_MODEL } from "../src/answer/abstention.js";
import { Answerer } from "../src/answer/answerer.js";
import { errorMessage } from "../src/errors.js";
import { fail, startScript, withTemporaryIndex } from "./cli.js";
import { calibrationReport, evidenceOf, fitLogistic } from "./lib/eval/calibrate.js";
import { loadEvalSet } from "./lib/eval/eval-set.js";

const USAGE = `
Usage: npm run calibrate -- [--set FILE] [--json]

Fits the abstention model (src/answer/abstention.ts) on a development set (default
test/fixtures/dev-questions.json): a logistic regression of "the question is answerable" on
the evidence of the best sentence, with both classes weighted equally. Prints the fitted
model to paste into ABSTENTION_MODEL, and how the current and fitted models decide on the
set. Never fit on the held-out set (test/eval): it measures, it does not train.

Options:
  --set FILE  the development set
  --json      print the fitted model as JSON
  -h, --help  show this help
`;

const { values, config } = startScript(
  USAGE,
  { set: { type: "string", default: "test/fixtures/dev-questions.json" }, json: { type: "boolean" } },
  false,
);
try {
  const set = await loadEvalSet(values.set ?? "");
  // Threshold 0: the answerer never abstains, so every question yields its best sentence's evidence.
  const rows = await withTemporaryIndex(config.corpusDir, ({ indexes, embedder, concepts }) =>
    evidenceOf(
      set,
      new Answerer(indexes.current, embedder, concepts, {
        extractive: { abstention: { ...ABSTENTION_MODEL, threshold: 0 } },
      }),
    ),
  );
  const fitted = fitLogistic(rows);
  process.stdout.write(
    values.json ? `${JSON.stringify(fitted)}\n` : `${calibrationReport(rows, fitted, values.set ?? "")}\n`,
  );
} catch (error) {
  fail(`Calibration failed: ${errorMessage(error)}`, 1);
}
