import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { errorMessage } from "../src/errors.js";
import { checkArguments, fail, startScript } from "./cli.js";
import { scaleArguments } from "./lib/bench-scale/arguments.js";
import { measureSize, parseTask, runTask, SCALE_CHILD_ENV, type ScaleResult } from "./lib/bench-scale/children.js";
import { scaleReport } from "./lib/bench-scale/report.js";

const USAGE = `
Usage: npm run bench:scale -- [--sizes N,N,...] [--questions Q] [--seed S] [--json | --from FILE]

Measures what one replica needs as the corpus grows: for each size, a child process writes a
synthetic corpus (the seed article's sentence shapes with WordNet's words, as npm run bench
makes them) and builds its index with the default local embedder; a second, fresh process
opens that index as npm start does, answers generated questions one after another, then
changes one article and reindexes while serving (as each replica does when the shared corpus
changes). It reports the index's size on disk, the replica's memory (RSS, JS heap, native
memory) before the index is opened, once it is open and after answering, its peak while
reindexing and the peak of the full build, and answers per second per core (answers over the
CPU time they took). Then it fits a line through the sizes: a replica's memory per 100,000
passages, and its fixed part. Everything goes to a temporary folder,
removed afterwards; your corpus/ and data/ are not touched.

Options:
  --sizes LIST     corpus sizes in passages, at least two (default 5000,20000,50000: 3 to 6
                   minutes on two cores, with their load)
  --questions Q    questions answered per size (default 300)
  --seed S         seed of the corpora and questions (default 1)
  --json           one JSON object per size, one per line
  --from FILE      read results (JSON Lines, as --json prints) instead of measuring
  -h, --help       show this help
`;

const { values } = startScript(
  USAGE,
  {
    sizes: { type: "string" },
    questions: { type: "string" },
    seed: { type: "string" },
    json: { type: "boolean" },
    from: { type: "string" },
  },
  false,
);
const plan = checkArguments(() => scaleArguments(values));
const SEED_ARTICLE = fileURLToPath(new URL("../corpus/blinken-china-visit.md", import.meta.url));
const log = (line: string) => process.stderr.write(`bench:scale: ${line}\n`);

try {
  const task = process.env[SCALE_CHILD_ENV];
  if (task !== undefined) {
    process.stdout.write(`${JSON.stringify(await runTask(parseTask(task), SEED_ARTICLE))}\n`);
  } else {
    const results: ScaleResult[] = [];
    if (plan.from !== undefined) {
      const lines = (await readFile(plan.from, "utf8")).split("\n").filter((l) => l.trim().length > 0);
      results.push(...lines.map((l) => JSON.parse(l) as ScaleResult));
    } else {
      for (const passages of plan.sizes) {
        log(`${passages} passages: writing the corpus and building its index…`);
        const result = await measureSize(fileURLToPath(import.meta.url), passages, plan);
        log(
          `${passages} passages: built in ${result.buildSeconds} s; serving ${result.serve.serving.rssMB} MB RSS, ${result.serve.answers.perCoreSecond} answers/s per core`,
        );
        results.push(result);
        if (plan.json) process.stdout.write(`${JSON.stringify(result)}\n`);
      }
    }
    if (!plan.json) process.stdout.write(`${scaleReport(results)}\n`);
  }
} catch (error) {
  fail(`Benchmark failed: ${errorMessage(error)}`, 1);
}
