import { errorMessage } from "../src/errors.js";
import { fail, startScript, withTemporaryIndex } from "./cli.js";
import { evaluateFollowUps, loadFollowUpSet } from "./lib/eval/follow-ups.js";

const USAGE = `
Usage: npm run eval:follow-ups -- [--set FILE] [--verbose] [--json]

Measures follow-ups: each entry of the set is a question a member asked and the follow-up
after it ("and what about Taiwan?"). Each follow-up is answered in the context of the question
before it, as the Follow up button and the terminal chat do, and alone; a hit is an answer that
quotes the entry's gold span. The index is built fresh from the set's "corpus" (or the corpus
folder) in a temporary folder; your data/ is not touched.

Sets: test/fixtures/follow-ups.json (seed article) and test/fixtures/wiki2/follow-ups.json are
where the rules were developed; test/eval/follow-ups.json is held out (the default).

Options:
  --set FILE  the follow-up set (JSON: {"corpus"?, "pairs": [{"previous", "followUp", "gold"}]})
  --verbose   one line per follow-up: hit in context, hit alone, and the question as understood
  --json      one JSON object: the counts and every outcome
  -h, --help  show this help
`;

const DEFAULT_SET = "test/eval/follow-ups.json";
const { values, config } = startScript(
  USAGE,
  { set: { type: "string", default: DEFAULT_SET }, verbose: { type: "boolean" }, json: { type: "boolean" } },
  false,
);

try {
  const file = values.set ?? DEFAULT_SET;
  const set = await loadFollowUpSet(file);
  const outcomes = await withTemporaryIndex(set.corpus ?? config.corpusDir, (services) =>
    evaluateFollowUps(services, set),
  );
  const inContext = outcomes.filter((o) => o.hitInContext).length;
  const alone = outcomes.filter((o) => o.hitAlone).length;
  if (values.json)
    process.stdout.write(`${JSON.stringify({ set: file, pairs: outcomes.length, inContext, alone, outcomes })}\n`);
  else {
    if (values.verbose)
      for (const o of outcomes)
        process.stdout.write(`${o.hitInContext ? "hit " : "miss"}  ${o.hitAlone ? "hit " : "miss"}  ${o.understood}\n`);
    process.stdout.write(
      `${file}: ${outcomes.length} follow-ups; answered in context ${inContext} (${((inContext / outcomes.length) * 100).toFixed(0)} %), alone ${alone} (${((alone / outcomes.length) * 100).toFixed(0)} %)\n`,
    );
  }
} catch (error) {
  fail(`Evaluation failed: ${errorMessage(error)}`, 1);
}
