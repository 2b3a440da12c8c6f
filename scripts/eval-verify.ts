import { existsSync } from "node:fs";
import { errorMessage } from "../src/errors.js";
import { fail, startScript, withTemporaryIndex } from "./cli.js";
import { type ItemResult, summarize, verifyItems } from "./lib/eval/verify-eval.js";
import { loadVerifySet } from "./lib/eval/verify-set.js";
import { verifyTables, wrongVerdicts } from "./lib/eval/verify-table.js";

const USAGE = `
Usage: npm run eval:verify -- [--set FILE] [--json] [--verbose]

Measures the verification of generated sentences (src/answer/generate/verify.ts) on a set of
sentences written as a model would write them, each marked faithful to its passages or not.
Each corpus the set names is indexed fresh in a temporary folder (your data/ is not touched),
each item's passages are found there, and its sentence is checked by verificationContext and
verifySentence with the real concept source (WordNet), as a generated answer is.

Prints the share of faithful sentences kept (1 − over-strict) and of unfaithful sentences
removed (1 − over-lenient), overall and per kind of sentence, and the reasons faithful ones
were removed.

Options:
  --set FILE  the set (default test/fixtures/verify/dev.json; the held-out set is
              test/eval/verify-questions.json): {"items": [{"id", "corpus", "passages":
              [{"file", "text"}], "sentence", "faithful", "kind"}]}, where "text" is a
              snippet found in exactly one passage of "file"
  --verbose   also list every wrong verdict with the reason and the words that failed it
  --json      print one JSON object (rates, per kind, every item's verdict) instead
  -h, --help  show this help
`;

const DEFAULT_SET = "test/fixtures/verify/dev.json";
const { values } = startScript(
  USAGE,
  { set: { type: "string", default: DEFAULT_SET }, json: { type: "boolean" }, verbose: { type: "boolean" } },
  false,
);

try {
  const setName = values.set ?? DEFAULT_SET;
  const set = await loadVerifySet(setName);
  const corpora = [...new Set(set.items.map((i) => i.corpus))];
  const missing = corpora.find((c) => !existsSync(c));
  if (missing !== undefined) fail(`${setName}: corpus folder ${missing} does not exist.`);
  const results: ItemResult[] = [];
  for (const corpus of corpora) {
    const items = set.items.filter((i) => i.corpus === corpus);
    results.push(
      ...(await withTemporaryIndex(corpus, async (services) =>
        verifyItems(items, services.indexes.current.passages, services.concepts),
      )),
    );
  }
  // Back in the set's order, whatever order the corpora were indexed in.
  const order = new Map(set.items.map((item, i) => [item.id, i]));
  results.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  const report = summarize(setName, results);
  if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else
    process.stdout.write(
      `${verifyTables(report)}\n${values.verbose ? `\nWrong verdicts:\n${wrongVerdicts(report)}\n` : ""}`,
    );
} catch (error) {
  fail(`Verifier evaluation failed: ${errorMessage(error)}`, 1);
}
